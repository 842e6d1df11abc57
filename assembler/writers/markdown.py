"""The Markdown writer: the whole draft as stable plain text.

One block per clause, numbers shown, so that git diffs and reviews of the
text are meaningful. Deterministic: the same tree gives the same bytes.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from assembler.assembly.tree import (
    BLANK_MARK,
    Article,
    Blank,
    Block,
    Build,
    Cell,
    DealInfo,
    Document,
    Emphasis,
    Footnote,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Ref,
    Schedule,
    Section,
    Strong,
    Table,
    TermUse,
    Text,
)

# Characters that could start markup anywhere in a line: a backslash before
# punctuation, emphasis and code marks, "_" unless between letters, "~~", the "]"
# of a link or link definition, HTML tags and autolinks, entities.
_INLINE_SPECIAL = re.compile(
    r"\\(?=[!-/:-@\[-`{-~])|[*`]|(?<![^\W_])_|_(?![^\W_])|~(?=~)|\](?=[(\[:])|<(?=[A-Za-z/!?])|&(?=#?\w+;)"
)
# What starts a block at the beginning of a line: a heading, quote, list item,
# thematic break or code fence.
_BLOCK_START = re.compile(r"^([ \t]*)(#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$))|`{3,}|~{3,})", re.M)


def _escape(text: str, line_start: bool = False) -> str:
    """Text that a Markdown reader shows literally: no links, images, HTML,
    entities, emphasis, headings, quotes or list markers can come from deal
    values, while ordinary punctuation ("4.0", "[reserved]", "a_b") stays
    as it is typed. ``line_start``: the text begins a line of the output."""
    text = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text)

    def block_start(match: re.Match[str]) -> str:
        if match.start() == 0 and not line_start:
            return match.group(0)
        marker = match.group(2)
        if marker[0].isdigit():  # "1." → "1\."
            return f"{match.group(1)}{marker}\\"
        return f"{match.group(1)}\\{marker}"

    return _BLOCK_START.sub(block_start, text)


class _Notes:
    """The footnotes of one document: numbered in order, written after the
    clause that holds them (``[^1]: …``)."""

    def __init__(self) -> None:
        self.count = 0
        self.pending: list[str] = []

    def add(self, text: str) -> str:
        self.count += 1
        self.pending.append(f"[^{self.count}]: {text}")
        return f"[^{self.count}]"

    def flush(self) -> list[str]:
        pending, self.pending = self.pending, []
        return pending


_NOTES: ContextVar[_Notes | None] = ContextVar("footnotes", default=None)


def _link_md(node: Link) -> str:
    url = node.url if not re.search(r"[\s()<>]", node.url) else f"<{node.url.replace('>', '%3E')}>"
    return f"[{inlines_md(node.children)}]({url})"


def _footnote_md(node: Footnote) -> str:
    notes = _NOTES.get()
    text = inlines_md(node.children)
    return f"^[{text}]" if notes is None else notes.add(text)


def inlines_md(inlines: tuple[Inline, ...], line_start: bool = False) -> str:
    """Inline content as Markdown; ``line_start``: it begins a line."""
    parts: list[str] = []
    for index, node in enumerate(inlines):
        if isinstance(node, Text):
            parts.append(_escape(node.text, line_start and index == 0))
        elif isinstance(node, Emphasis):
            parts.append(f"*{inlines_md(node.children)}*")
        elif isinstance(node, Strong):
            parts.append(f"**{inlines_md(node.children)}**")
        elif isinstance(node, TermUse):
            parts.append(_escape(node.text, line_start and index == 0))
        elif isinstance(node, Ref):
            # Inside running text a reference never starts a line ("Sections 7.3, 7.5").
            parts.append(_escape(node.text, line_start and index == 0))
        elif isinstance(node, Blank):
            parts.append(BLANK_MARK)
        elif isinstance(node, Link):
            parts.append(_link_md(node))
        elif isinstance(node, Footnote):
            parts.append(_footnote_md(node))
    return "".join(parts)


def blocks_md(blocks: tuple[Block, ...], depth: int = 0) -> list[str]:
    """Markdown paragraphs of ``blocks``; list labels are written as text."""
    out: list[str] = []
    indent = " " * min(2 * depth, 3)
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(indent + inlines_md(block.inlines, line_start=True))
        elif isinstance(block, ListBlock):
            for item in block.items:
                inner = blocks_md(item.blocks, depth + 1)
                label = item.label or "-"
                first = inner[0].lstrip() if inner else ""
                out.append(f"{indent}{label} {first}")
                out.extend(inner[1:])
        elif isinstance(block, Table):
            out.append(_table(block))
    return out


def _cells(row: tuple[Cell, ...]) -> str:
    return "| " + " | ".join(inlines_md(c.inlines).replace("|", "\\|") for c in row) + " |"  # a bar ends a cell


def _table(table: Table) -> str:
    width = max(len(r) for r in (*table.header, *table.rows, *table.footer))
    header = table.header[0] if table.header else tuple(Cell((Text(""),)) for _ in range(width))
    aligns = {"left": "---", "right": "--:", "center": ":-:"}
    lines = [_cells(header), "|" + "|".join(aligns[c.align] for c in header) + "|"]
    lines += [_cells(r) for r in (*table.header[1:], *table.rows, *table.footer)]
    return "\n".join(lines)


def _section(section: Section, level: str) -> list[str]:
    title = _escape(section.title)
    out = [f"{level} {section.number} {title}" if section.number else f"{level} {title}"]
    for definition in section.definitions:
        names = " or ".join(f"“**{_escape(name)}**”" for name in (definition.term, *definition.aliases))
        out.append(f"{names} {definition.verb} {inlines_md(definition.inlines)}")
    out.extend(blocks_md(section.blocks))
    return _with_notes(out)


def _with_notes(out: list[str]) -> list[str]:
    notes = _NOTES.get()
    return out + notes.flush() if notes is not None else out


def _article(article: Article) -> list[str]:
    out = [f"## {article.number}. {_escape(article.title)}"]
    out.extend(_with_notes(blocks_md(article.blocks)))
    for section in article.sections:
        out.extend(_section(section, "###"))
    return out


def _schedule(schedule: Schedule) -> list[str]:
    out = [f"## Schedule {schedule.number} — {_escape(schedule.title)}"]
    out.extend(_with_notes(blocks_md(schedule.blocks)))
    for section in schedule.sections:
        out.extend(_section(section, "###"))
    return out


SIGNATURE_LINE = "_" * 30


def _signatures(deal: DealInfo) -> list[str]:
    """The execution page: the lead-in, then a block per party (the same
    lines as the DOCX and PDF blocks)."""
    out = [_escape(deal.signing_lead_in, line_start=True)]
    for party in deal.parties:
        out.append(f"Signed for and on behalf of **{_escape(party.legal_name)}**")
        out.append(f"Signature: {SIGNATURE_LINE}")
        out.append(_escape(f"Name: {party.signatory_name}".rstrip(), line_start=True))
        out.append(_escape(f"Title: {party.signatory_title}".rstrip(), line_start=True))
        out.append("Date:")
    return out


def document_md(document: Document, build: Build) -> str:
    """One document as Markdown text."""
    token = _NOTES.set(_Notes())
    try:
        return _document_md(document, build)
    finally:
        _NOTES.reset(token)


def _document_md(document: Document, build: Build) -> str:
    deal = build.deal
    out = [f"# {_escape(document.title)}"]
    line = [deal.confidentiality_marking] if deal.confidentiality_marking else []
    line += [f"Draft {deal.draft_version}" if not deal.final else "", deal.date_text]
    out.append(_escape(" · ".join(part for part in line if part), line_start=True))
    if document.key_terms is not None:
        out += [f"**{_escape(document.key_terms_heading)}**", _table(document.key_terms)]
    for section in document.preamble:
        out.extend(_section(section, "##"))
    for article in document.articles:
        out.extend(_article(article))
    if document.signature and deal.parties:
        out.append("## Signatures")
        out.extend(_signatures(deal))
    for schedule in document.schedules:
        out.extend(_schedule(schedule))
    return "\n\n".join(out) + "\n"


def write_markdown(build: Build) -> dict[str, bytes]:
    """One ``<document>.md`` per document of the build."""
    return {f"{doc.id}.md": document_md(doc, build).encode("utf-8") for doc in build.documents}
