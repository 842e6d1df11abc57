"""Our side of a returned document: the clauses of one built document as the
units a reader meets (a heading and its lines), with where every reference
points, so that their copy can be compared line by line.

A unit is a clause (a preamble clause, a section, an article-level clause, a
schedule or a schedule paragraph), an article heading that is no clause, or
the generated Definitions section. A line is a paragraph, a list item, a
table row or a definition, with the number part of each reference to a
heading of this document marked by that heading's bookmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assembler.assembly.lockfile import DEFINITIONS_ID
from assembler.assembly.tree import BLANK_MARK as _BLANK
from assembler.assembly.tree import (
    Article,
    Blank,
    Block,
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
from assembler.assembly.tree_text import block_text

from .textnorm import Span, mask_spans


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph, list item, table row or definition of our text."""

    kind: str
    """p (paragraph), li (list item), row (table row) or def (definition)."""
    text: str
    """What it reads, without a list label; a row's cells joined by " | "."""
    spans: tuple[Span, ...] = ()
    """The number of each reference to a heading of this document."""
    depth: int = 0
    label: str = ""
    cells: tuple[str, ...] | None = None
    header: bool = False
    inlines: tuple[tuple[Inline, ...], ...] = ()
    """The inline content (one tuple per cell of a row), for rewriting."""
    term: str = ""
    """The defined term of a definition line."""

    @property
    def masked(self) -> str:
        return mask_spans(self.text, self.spans)


@dataclass(frozen=True, slots=True)
class Unit:
    """A heading of our document and the lines under it."""

    key: str
    """The clause id; ``article:<bookmark>`` for an article heading that is
    no clause; ``definitions`` for the Definitions section."""
    clause_id: str
    kind: str
    """article, section, schedule, schedule_section, preamble or definitions."""
    bookmark: str
    number: str
    title: str
    lines: tuple[Line, ...] = ()
    text: str = ""
    """The clause text as the lock records it (title, then the lines)."""
    heading: bool = True
    """False for a preamble clause without a title (no heading paragraph)."""
    owners: dict[str, str] = field(default_factory=dict)
    """For the Definitions unit: term → the clause that defines it."""


@dataclass(slots=True)
class OurDocument:
    """The units of one built document, and how its references resolve."""

    id: str
    units: list[Unit]
    targets: dict[str, str]
    """Reference target (clause, article or schedule id) → bookmark."""
    numbers: dict[str, str]
    """Bookmark → the number a reference shows ("7.2", "7", "Schedule 2", "3")."""

    def unit(self, key: str) -> Unit:
        return next(u for u in self.units if u.key == key)


def _inline_line(inlines: tuple[Inline, ...], targets: dict[str, str]) -> tuple[str, tuple[Span, ...]]:
    parts: list[str] = []
    spans: list[Span] = []
    length = 0

    def walk(nodes: tuple[Inline, ...]) -> None:
        nonlocal length
        for node in nodes:
            if isinstance(node, (Emphasis, Strong, Link)):
                walk(node.children)  # a link reads as its text; its address is a relationship
                continue
            if isinstance(node, Footnote):
                continue  # a footnote's text is not in the paragraph: the file keeps it apart
            if isinstance(node, Ref):
                bookmark = None if node.external else targets.get(node.target)
                if bookmark is not None:
                    start = length + len(node.prefix)
                    end = start + len(node.number) + (len(node.suffix) if node.kind == "schedule_section" else 0)
                    spans.append(Span(start, end, bookmark))
                    for label, item in node.items:  # "(b)" of "Section 7.2(b)": a field of its own
                        if item:
                            spans.append(Span(end, end + len(label), item))
                        end += len(label)
                piece = node.text
            elif isinstance(node, (Text, TermUse)):
                piece = node.text
            elif isinstance(node, Blank):
                piece = _BLANK
            else:
                piece = ""
            parts.append(piece)
            length += len(piece)

    walk(inlines)
    return "".join(parts), tuple(spans)


def _lines(blocks: tuple[Block, ...], targets: dict[str, str], depth: int = 0) -> list[Line]:
    out: list[Line] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            text, spans = _inline_line(block.inlines, targets)
            out.append(Line("p", text, spans, depth, inlines=(block.inlines,)))
        elif isinstance(block, ListBlock):
            for item in block.items:
                rest = item.blocks
                if rest and isinstance(rest[0], Paragraph):
                    text, spans = _inline_line(rest[0].inlines, targets)
                    out.append(Line("li", text, spans, block.depth, item.label or "-", inlines=(rest[0].inlines,)))
                    rest = rest[1:]
                else:
                    out.append(Line("li", "", (), block.depth, item.label or "-"))
                out.extend(_lines(rest, targets, block.depth))
        elif isinstance(block, Table):
            for group, rows in (("header", block.header), ("body", block.rows), ("footer", block.footer)):
                for row in rows:
                    texts: list[str] = []
                    row_spans: list[Span] = []
                    offset = 0
                    for cell in row:
                        text, cell_spans = _inline_line(cell.inlines, targets)
                        row_spans.extend(Span(s.start + offset, s.end + offset, s.bookmark) for s in cell_spans)
                        texts.append(text)
                        offset += len(text) + 3
                    out.append(Line("row", " | ".join(texts), tuple(row_spans), cells=tuple(texts), header=group == "header",
                                    inlines=tuple(cell.inlines for cell in row)))
    return out


def _anchored(document: Document) -> list[tuple[Article | Section | Schedule, str, str, str]]:
    """(node, kind, number a reference shows, number as the lock shows it)
    of every heading of the document, in order."""
    nodes: list[tuple[Article | Section | Schedule, str, str, str]] = [(s, "preamble", "", "") for s in document.preamble]
    for article in document.articles:
        nodes.append((article, "article", article.number, article.number))
        nodes.extend((s, "definitions" if s.clause_id == DEFINITIONS_ID else "section", s.number, s.number) for s in article.sections)
    for schedule in document.schedules:
        nodes.append((schedule, "schedule", f"Schedule {schedule.number}", f"Schedule {schedule.number}"))
        nodes.extend((s, "schedule_section", s.number, f"Schedule {schedule.number}, paragraph {s.number}") for s in schedule.sections)
    return nodes


def our_document(document: Document) -> OurDocument:
    """The units of a built document, in reading order."""
    anchored = _anchored(document)
    targets: dict[str, str] = {}
    numbers: dict[str, str] = {}
    for node, _kind, number, _display in anchored:
        keys = [node.clause_id] if isinstance(node, Section) else [node.id, node.clause_id]
        for key in keys:
            if key:
                targets.setdefault(key, node.bookmark)
        numbers[node.bookmark] = number
    units: list[Unit] = []
    for node, kind, _number, number in anchored:
        if kind == "definitions":
            assert isinstance(node, Section)
            lines = []
            for definition in node.definitions:
                text, spans = _inline_line(definition.inlines, targets)
                names = " or ".join(f"\u201c{name}\u201d" for name in (definition.term, *definition.aliases))
                head = f"{names} {definition.verb} "
                lines.append(Line("def", head + text, tuple(Span(s.start + len(head), s.end + len(head), s.bookmark) for s in spans),
                                  inlines=(definition.inlines,), term=definition.term))
            owners = {d.term: d.clause_id for d in node.definitions}
            units.append(Unit("definitions", "", kind, node.bookmark, number, node.title, tuple(lines), owners=owners))
            continue
        clause_id = node.clause_id
        lines = _lines(node.blocks, targets)
        text = f"{node.title}\n{block_text(node.blocks)}" if clause_id else ""
        if isinstance(node, Article) and not clause_id:
            units.append(Unit(f"article:{node.bookmark}", "", kind, node.bookmark, number, node.title))
            continue
        if isinstance(node, Schedule) and not clause_id:
            units.append(Unit(f"schedule:{node.bookmark}", "", kind, node.bookmark, number, node.title, tuple(lines)))
            continue
        heading = kind != "preamble" or bool(node.title)
        units.append(Unit(clause_id, clause_id, kind, node.bookmark, number, node.title, tuple(lines), text, heading))
    return OurDocument(document.id, units, targets, numbers)
