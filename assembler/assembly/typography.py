"""The typographic pass: how every output's text reads, decided once on the tree.

Curly quotes and apostrophes ("Nordhaven" → “Nordhaven”, Party's → Party’s),
non-breaking spaces inside references and amounts ("Section 7.2",
"Schedule 2", "USD 5,000,000" never end a line between their words) and en
dashes in number ranges ("2027-2029" → "2027–2029").

It runs on the finished tree before the lock is made (``assemble.py``), so
the lock's clause texts are exactly the documents' text, and the Markdown,
DOCX, PDF and HTML writers cannot disagree about a quote.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from .tree import (
    Build,
    Cell,
    DealInfo,
    Document,
    DocumentPart,
    Emphasis,
    Footnote,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Ref,
    Section,
    Strong,
    Table,
    TermUse,
    Text,
)
from .tree_text import inline_text

NBSP = "\u00a0"
OPEN_DOUBLE, CLOSE_DOUBLE, OPEN_SINGLE, APOSTROPHE = "\u201c", "\u201d", "\u2018", "\u2019"

# A quote after one of these (or at the start) opens; after anything else it closes.
_OPENERS = set(" \t\n\u00a0([{\u2018\u201c/\u2013\u2014-")
_REFERENCE_WORDS = r"Sections?|Articles?|Schedules?|Clauses?|[Pp]aragraphs?|Annex(?:es)?|Exhibits?|Appendix|Appendices"
_REFERENCE_SPACE = re.compile(rf"\b({_REFERENCE_WORDS}) (?=\d)")
_AMOUNT_SPACE = re.compile(r"\b([A-Z]{3}) (?=\d)")
_RANGE = re.compile(r"(?<![\w.,/\u2013-])(\d{1,4})-(\d{1,4})(?![\w/\u2013-]|[.,]\d)")


def smart_quotes(text: str, before: str = "") -> str:
    """``text`` with straight quotes made curly; ``before`` is the character
    that precedes it in the paragraph (quotes often sit in another run)."""
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    previous = before
    for index, char in enumerate(text):
        if char == '"':
            char = OPEN_DOUBLE if not previous or previous in _OPENERS else CLOSE_DOUBLE
        elif char == "'":
            following = text[index + 1 : index + 2]
            opens = (not previous or previous in _OPENERS) and following.isalnum()
            char = OPEN_SINGLE if opens else APOSTROPHE
        out.append(char)
        previous = char
    return "".join(out)


def tie_spaces(text: str) -> str:
    """Non-breaking spaces inside "Section 7.2" and "USD 5,000,000"."""
    if " " not in text:
        return text
    text = _REFERENCE_SPACE.sub(rf"\1{NBSP}", text)
    return _AMOUNT_SPACE.sub(rf"\1{NBSP}", text)


def range_dashes(text: str) -> str:
    """An en dash in a range of numbers ("2027-2029", "10-20"), never in a
    date or an identifier ("2026-11-23", "ABC-12")."""
    if "-" not in text:
        return text

    def dash(match: re.Match[str]) -> str:
        low, high = int(match.group(1)), int(match.group(2))
        return f"{match.group(1)}\u2013{match.group(2)}" if low < high else match.group(0)

    return _RANGE.sub(dash, text)


def typeset(text: str, before: str = "") -> str:
    """The whole pass on one piece of running text."""
    return range_dashes(tie_spaces(smart_quotes(text, before)))


def typeset_name(text: str) -> str:
    """A name or address: quotes and apostrophes only (no ties, no dashes)."""
    return smart_quotes(text)


class _Run:
    """Typesets the inline content of one paragraph, carrying the last
    character across nodes so a quote before a defined term still opens."""

    def __init__(self) -> None:
        self.last = ""

    def text(self, value: str) -> str:
        result = typeset(value, self.last)
        if result:
            self.last = result[-1]
        return result

    def inlines(self, nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return tuple(self.inline(node) for node in nodes)

    def inline(self, node: Inline) -> Inline:
        if isinstance(node, Text):
            return Text(self.text(node.text))
        if isinstance(node, TermUse):
            # the term is the library's name for it (term('…'), overrides): only what is shown is typeset
            return replace(node, text=self.text(node.text))
        if isinstance(node, (Emphasis, Strong)):
            return type(node)(self.inlines(node.children))
        if isinstance(node, Link):
            if inline_text(node.children) in (node.url, node.url.removeprefix("mailto:")):
                self.last = node.url[-1:]
                return node  # an address shown as itself reads as typed
            return replace(node, children=self.inlines(node.children))
        if isinstance(node, Footnote):
            return replace(node, children=_inlines(node.children))  # a text of its own
        if isinstance(node, Ref):
            prefix = self.text(node.prefix)
            if prefix.endswith(" "):  # "Section" never ends a line without its number
                prefix = prefix[:-1] + NBSP
            number = self.text(node.number).replace(" ", NBSP)
            return replace(node, prefix=prefix, number=number, suffix=self.text(node.suffix))
        self.last = "]"  # a blank, "[●]"
        return node


def _inlines(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return _Run().inlines(nodes)


def _blocks(blocks: tuple[Any, ...]) -> tuple[Any, ...]:
    out: list[Any] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(replace(block, inlines=_inlines(block.inlines)))
        elif isinstance(block, ListBlock):
            items = tuple(replace(item, blocks=_blocks(item.blocks)) for item in block.items)
            out.append(replace(block, items=items))
        elif isinstance(block, Table):
            out.append(_table(block))
        else:
            out.append(block)
    return tuple(out)


def _table(table: Table) -> Table:
    return replace(table, header=_rows(table.header), rows=_rows(table.rows), footer=_rows(table.footer))


def _rows(rows: tuple[tuple[Cell, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(replace(cell, inlines=_inlines(cell.inlines)) for cell in row) for row in rows)


def _section(section: Section) -> Section:
    return replace(
        section, title=typeset(section.title), blocks=_blocks(section.blocks), notes=smart_quotes(section.notes),
        definitions=tuple(
            replace(d, term=smart_quotes(d.term), aliases=tuple(smart_quotes(a) for a in d.aliases),
                    verb=smart_quotes(d.verb), inlines=_inlines(d.inlines))
            for d in section.definitions
        ),
    )


_P = TypeVar("_P", bound=DocumentPart)


def _part(part: _P) -> _P:
    return replace(
        part, title=typeset(part.title), blocks=_blocks(part.blocks), notes=smart_quotes(part.notes),
        sections=tuple(_section(s) for s in part.sections),
    )


def _document(document: Document) -> Document:
    return replace(
        document,
        title=typeset(document.title),
        preamble=tuple(_section(s) for s in document.preamble),
        articles=tuple(_part(a) for a in document.articles),
        schedules=tuple(_part(s) for s in document.schedules),
        toc=tuple(replace(e, title=typeset(e.title)) for e in document.toc),
        key_terms=None if document.key_terms is None else _table(document.key_terms),
        key_terms_heading=typeset(document.key_terms_heading),
    )


def _names(record: Any, skip: tuple[str, ...] = ()) -> Any:
    """Every string field of a flat record with curly quotes."""
    assert is_dataclass(record) and not isinstance(record, type)
    changes = {
        f.name: typeset_name(value)
        for f in fields(record)
        if f.name not in skip and isinstance(value := getattr(record, f.name), str)
    }
    return replace(record, **changes)


def typeset_build(build: Build) -> Build:
    """The build with the typographic pass applied to every text a writer
    shows: clause text, titles, definitions, contents, notes, footnotes, link
    texts, the cover's key terms and the deal's names. Identifiers (ids,
    bookmarks, a term's library name, addresses), numbers and dates are left
    as they are."""
    deal: DealInfo = _names(build.deal, skip=("deal_type", "stance", "date", "governing_law", "draft_version"))
    deal = replace(
        deal, parties=tuple(_names(p, skip=("role",)) for p in build.deal.parties),
        signing_lead_in=typeset(build.deal.signing_lead_in),
    )
    return replace(build, deal=deal, documents=tuple(_document(d) for d in build.documents))


__all__ = ["NBSP", "range_dashes", "smart_quotes", "tie_spaces", "typeset", "typeset_build", "typeset_name"]
