"""Parse rendered clause text (our Markdown dialect) into tree blocks.

markdown-it-py does the parsing (CommonMark + pipe tables, raw HTML off, so
HTML reaches the tree as literal text). Helper markers left by ``render.py``
become :class:`~assembler.tree.Ref`, :class:`~assembler.tree.TermUse` and
:class:`~assembler.tree.Blank` nodes; references are resolved later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .sandbox import MARK_SEP, MARKER
from .tree import Blank, Block, Cell, Emphasis, Footnote, Inline, Link, ListBlock, ListItem, Paragraph, Ref, Strong, Table, TermUse, Text


class DialectError(ValueError):
    """Clause text uses Markdown outside the dialect (headings, quotes, code)."""


@dataclass(frozen=True, slots=True)
class PendingRef:
    """A reference before numbering: only the target id is known."""

    target: str


@dataclass(frozen=True, slots=True)
class PendingRefList:
    """Several references read as one phrase ("Sections 7.2 and 9.1"), before numbering."""

    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PendingItemRef:
    """A reference to a list item of a clause, before numbering."""

    target: str
    item: str


ANCHOR = re.compile(r"^\[#([a-z][a-z0-9_-]*)\][ \t]*")
"""The name of a list item at the start of its text: ``1. [#late] Late payments …``."""


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(footnote_plugin)
    md.disable(["code", "fence", "html_block", "html_inline", "image", "autolink", "reference"])
    return md


LINK_SCHEMES = ("https://", "http://", "mailto:")
"""What a link in clause text may point to: web pages and email addresses."""


_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
          "xv", "xvi", "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv", "xxvi"]


def list_label(depth: int, index: int) -> str:
    """(a) … (z), (aa) … at depth 1; (i), (ii) … at depth 2; (A) … deeper."""
    if depth == 1:
        letters = ""
        n = index + 1
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(ord("a") + rem) + letters
        return f"({letters})"
    if depth == 2:
        return f"({_ROMAN[index]})" if index < len(_ROMAN) else f"({index + 1})"
    return f"({chr(ord('A') + index % 26)})"


@lru_cache(maxsize=8192)
def parse_blocks(text: str) -> tuple[Block, ...]:
    """Rendered Markdown → blocks. Raises :class:`DialectError`.

    Cached by text: the blocks are frozen, and a process that builds a deal
    many times (absorb's trial builds, lint, batch) parses each text once."""
    tokens = _parser().parse(text)
    tokens, notes = _footnotes(tokens)
    blocks, pos = _blocks(tokens, 0, None, 0, notes)
    return tuple(blocks)


def _footnotes(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    """The tokens before the footnote block, and each footnote's inline tokens by id."""
    start = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), None)
    if start is None:
        return tokens, {}
    notes: dict[int, list[Token]] = {}
    current: int | None = None
    for token in tokens[start:]:
        if token.type == "footnote_open":
            current = int(token.meta["id"])
            notes[current] = []
        elif token.type == "inline" and current is not None:
            if notes[current]:
                raise DialectError("a footnote is one paragraph of text")
            notes[current] = list(token.children or [])
        elif token.type in ("bullet_list_open", "ordered_list_open", "table_open"):
            raise DialectError("a footnote is one paragraph of text (no lists or tables)")
    return tokens[:start], notes


def parse_inlines(text: str) -> tuple[Inline, ...]:
    """Rendered Markdown of one paragraph (a definition text) → inlines."""
    blocks = parse_blocks(text)
    if not blocks:
        return ()
    if len(blocks) != 1 or not isinstance(blocks[0], Paragraph):
        raise DialectError("a definition must be a single paragraph of text")
    return blocks[0].inlines


_Notes = dict[int, list[Token]]


def _blocks(tokens: list[Token], pos: int, stop: str | None, depth: int, notes: _Notes | None = None) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while pos < len(tokens):
        token = tokens[pos]
        if stop is not None and token.type == stop:
            return blocks, pos
        kind = token.type
        if kind == "paragraph_open":
            inline = tokens[pos + 1]
            blocks.append(Paragraph(_inlines(inline.children or [], notes)))
            pos += 3
        elif kind in ("ordered_list_open", "bullet_list_open"):
            block, pos = _list(tokens, pos, depth, notes)
            blocks.append(block)
        elif kind == "table_open":
            table, pos = _table(tokens, pos, notes)
            blocks.append(table)
        elif kind == "heading_open":
            raise DialectError("headings (#) are not part of clause text; use separate clauses")
        elif kind == "blockquote_open":
            raise DialectError("block quotes (>) are not part of clause text")
        elif kind == "hr":
            raise DialectError("horizontal rules (---) are not part of clause text")
        elif kind in ("code_block", "fence"):
            raise DialectError("indented or fenced code is not part of clause text (lines indented by 4+ spaces?)")
        else:
            pos += 1
    return blocks, pos


def _list(tokens: list[Token], pos: int, depth: int, notes: _Notes | None) -> tuple[ListBlock, int]:
    ordered = tokens[pos].type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    item_depth = depth + 1 if ordered else depth
    pos += 1
    items: list[ListItem] = []
    while tokens[pos].type != close:
        if tokens[pos].type == "list_item_open":
            anchor = _anchor(tokens, pos + 1)
            content, pos = _blocks(tokens, pos + 1, "list_item_close", item_depth, notes)
            label = list_label(item_depth, len(items)) if ordered else ""
            if anchor:
                content = _without_anchor(content)
            items.append(ListItem(label, tuple(content), anchor))
        pos += 1
    return ListBlock(ordered, max(item_depth, 1), tuple(items)), pos + 1


def _anchor(tokens: list[Token], pos: int) -> str:
    r"""The ``[#name]`` a list item's first paragraph starts with, read from the
    clause's own text (an escaped ``\[#x]`` from a deal value is no anchor)."""
    if pos + 1 < len(tokens) and tokens[pos].type == "paragraph_open" and tokens[pos + 1].type == "inline":
        found = ANCHOR.match(tokens[pos + 1].content)
        if found:
            return found.group(1)
    return ""


def _without_anchor(content: list[Block]) -> list[Block]:
    first = content[0]
    assert isinstance(first, Paragraph) and first.inlines and isinstance(first.inlines[0], Text)
    rest = ANCHOR.sub("", first.inlines[0].text, count=1)
    inlines = ((Text(rest),) if rest else ()) + first.inlines[1:]
    return [Paragraph(inlines), *content[1:]]


def _table(tokens: list[Token], pos: int, notes: _Notes | None) -> tuple[Table, int]:
    header: list[tuple[Cell, ...]] = []
    rows: list[tuple[Cell, ...]] = []
    section = header
    row: list[Cell] = []
    pos += 1
    while tokens[pos].type != "table_close":
        token = tokens[pos]
        if token.type == "thead_open":
            section = header
        elif token.type == "tbody_open":
            section = rows
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            section.append(tuple(row))
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrs.get("style", "")) if token.attrs else ""
            align: Any = "left"
            if "right" in style:
                align = "right"
            elif "center" in style:
                align = "center"
            row.append(Cell(_inlines(tokens[pos + 1].children or [], notes), align))
            pos += 2
        pos += 1
    footer: list[tuple[Cell, ...]] = []
    if rows and _is_total(rows[-1]):
        footer.append(rows.pop())
    return Table(tuple(header), tuple(rows), tuple(footer)), pos + 1


def _is_total(row: tuple[Cell, ...]) -> bool:
    if not row or not row[0].inlines:
        return False
    first = row[0].inlines[0]
    if not isinstance(first, Strong):
        return False
    text = "".join(c.text for c in first.children if isinstance(c, Text)).strip().lower()
    return text.startswith("total")


def _inlines(children: list[Token], notes: _Notes | None = None) -> tuple[Inline, ...]:
    stack: list[tuple[str, list[Inline]]] = [("root", [])]
    links: list[str] = []
    for token in children:
        kind = token.type
        if kind == "text" or kind == "code_inline":
            stack[-1][1].extend(_split_markers(token.content))
        elif kind in ("softbreak", "hardbreak"):
            stack[-1][1].append(Text(" "))
        elif kind in ("em_open", "strong_open"):
            stack.append((kind, []))
        elif kind in ("em_close", "strong_close"):
            opened, content = stack.pop()
            node: Inline = Emphasis(tuple(content)) if opened == "em_open" else Strong(tuple(content))
            stack[-1][1].append(node)
        elif kind == "link_open":
            url = str(token.attrs.get("href", ""))
            if not url.startswith(LINK_SCHEMES):
                raise DialectError(f"a link must go to an https://, http:// or mailto: address, not {url[:60]!r}")
            links.append(url)
            stack.append((kind, []))
        elif kind == "link_close":
            _opened, content = stack.pop()
            stack[-1][1].append(Link(links.pop(), tuple(_merge_text(content))))
        elif kind == "footnote_ref":
            if token.meta.get("subId"):
                raise DialectError("a footnote can be referred to only once; write a second footnote")
            if notes is None or int(token.meta["id"]) not in notes:
                raise DialectError("footnotes belong in clause text, not in a definition or another footnote")
            stack[-1][1].append(Footnote(_inlines(notes[int(token.meta["id"])], None)))
        elif kind == "footnote_anchor":
            continue
        else:
            stack[-1][1].extend(_split_markers(token.content))
    while len(stack) > 1:  # unbalanced (cannot happen with markdown-it): flatten
        _, content = stack.pop()
        stack[-1][1].extend(content)
    return tuple(_merge_text(stack[0][1]))


def _split_markers(text: str) -> list[Inline]:
    nodes: list[Inline] = []
    last = 0
    for match in MARKER.finditer(text):
        if match.start() > last:
            nodes.append(Text(text[last : match.start()]))
        kind, payload = match.group(1), match.group(2)
        if kind == "I":
            target, _, item = payload.partition(MARK_SEP)
            nodes.append(PendingItemRef(target, item))  # type: ignore[arg-type]
        elif kind == "R" and MARK_SEP in payload:
            nodes.append(PendingRefList(tuple(payload.split(MARK_SEP)[1:])))  # type: ignore[arg-type]
        elif kind == "R":
            nodes.append(PendingRef(payload))  # type: ignore[arg-type]
        elif kind == "T":
            term, _, shown = payload.partition(MARK_SEP)
            nodes.append(TermUse(term, shown or term))
        else:
            nodes.append(Blank(payload))
        last = match.end()
    if last < len(text):
        nodes.append(Text(text[last:]))
    return nodes


def _merge_text(nodes: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return merged


__all__ = ["ANCHOR", "DialectError", "PendingItemRef", "PendingRef", "PendingRefList", "Ref", "list_label", "parse_blocks", "parse_inlines"]
