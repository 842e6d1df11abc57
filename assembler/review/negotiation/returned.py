"""Map a DOCX that came back from the other side onto our clauses.

Their copy is cut into regions at its headings (and at our bookmarks). Each
region is matched to one of our units: by the bookmark its heading still
carries, else by its words (title and text, with a similarity threshold).
Matched clauses are compared line by line (``compare.py``): renumbered
references and headings are no edit, tables are compared cell by cell.
Regions that match nothing are additions, one per run of consecutive
regions (an inserted article, heading and body, is one addition), placed
between the clauses around them; units that match no region were removed;
matched clauses out of our order were moved. Changes of formatting only are
counted, not listed.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..worddiff import Segment, word_diff
from .compare import LinePair, Resolver, TheirLine, align, compare, their_line
from .docx_read import Para
from .regions import Region, assign, cut_regions, their_numbering
from .textnorm import typography
from .units import OurDocument, Unit

_DEFINITION = re.compile(r'^\s*"(?P<term>[^"]+)"|^\s*(?P<bare>[^"]+?)\s+means\b')
"""A definition starts with its quoted term ("Data" means …, "Data" or "D" has the
meaning …, whatever the house's verb), or is an unquoted term followed by "means"."""


@dataclass(slots=True)
class Change:
    """One difference between their copy and our build."""

    kind: str
    """edited, added, removed, moved or moved_and_edited."""
    unit: str = ""
    clause: str = ""
    number: str = ""
    title: str = ""
    where: str = ""
    ours: str = ""
    theirs: str = ""
    words: list[Segment] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    tracked: bool = False
    term: str = ""
    parts: list[tuple[str, str, list[TheirLine]]] = field(default_factory=list)
    """An addition's headings: (kind, title, lines) each."""
    bookmarks: list[str] = field(default_factory=list)
    """Bookmarks an addition's headings carry (a clause of an older build)."""
    neighbours: tuple[str, str] = ("", "")
    """An addition's or a moved clause's units before and after it in their copy (keys)."""

    def label(self) -> str:
        if self.term:
            return f"definition of \u201c{self.term}\u201d ({self.clause})"
        if self.kind == "added":
            return "new text"
        return f"{self.clause or self.title} ({self.number})" if self.number else (self.clause or self.title)

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind, "unit": self.unit, "clause": self.clause or None, "number": self.number, "title": self.title,
            "where": self.where or None, "term": self.term or None, "tracked": self.tracked, "cells": self.cells,
            "ours": self.ours, "theirs": self.theirs, "words": [{"op": op, "text": text} for op, text in self.words],
        }


@dataclass(slots=True)
class Mapping:
    """What their copy of one document changed, clause by clause."""

    file: str
    document: str
    changes: list[Change] = field(default_factory=list)
    formatting: int = 0
    """Lines whose text is ours but whose formatting or typography changed."""
    renumbered: int = 0
    """Lines whose only difference is a reference number that moved with renumbering."""
    by_content: int = 0
    """Clauses found by their words because their bookmark was gone."""
    theirs: dict[str, list[TheirLine]] = field(default_factory=dict)
    """Their lines of every matched unit, by unit key."""
    titles: dict[str, str] = field(default_factory=dict)
    resolve: Resolver | None = field(default=None, repr=False)
    """Their numbering: the heading a "Section 9.2" of their copy means."""

    @property
    def ok(self) -> bool:
        return not self.changes


def lock_text(title: str, lines: list[TheirLine]) -> str:
    """Their clause written the way our lock writes a clause's text."""
    from assembler.assembly.markdown import list_label

    out = [title]
    counters: dict[int, int] = {}
    for line in lines:
        if line.kind == "li":
            depth = max(line.depth, 1)
            label = "-" if line.bullet else list_label(depth, counters.get(depth, 0))
            counters[depth] = counters.get(depth, 0) + 1
            for deeper in [d for d in counters if d > depth]:
                del counters[deeper]
            out.append(f"{'    ' * (depth - 1)}{label} {line.display}")
        else:
            counters.clear()
            out.append(line.display)
    return "\n".join(out)


def _where(before: Unit | None, after: Unit | None) -> str:
    parts = []
    if before is not None:
        parts.append(f"after {describe(before)}")
    if after is not None:
        parts.append(f"before {describe(after)}")
    return ", ".join(parts) or "in an empty document"


def describe(unit: Unit) -> str:
    """"Section 2.4 (scope.diligence)", "Article 3 (Governance)", "Schedule 1 (Research Plan)"."""
    if unit.kind == "article":
        head = f"Article {unit.number}"
    elif unit.kind in ("section", "definitions"):
        head = f"Section {unit.number}"
    elif unit.kind == "preamble":
        head = "the preamble clause"
    else:
        head = unit.number
    return f"{head} ({unit.clause_id or unit.title})"


def _definitions(unit: Unit, lines: list[TheirLine], resolve: Resolver, ours: OurDocument, mapping: Mapping) -> None:
    theirs: dict[str, TheirLine] = {}
    for their_def in lines:
        found = _DEFINITION.match(typography(their_def.text))
        if found:
            theirs[found.group("term") or found.group("bare")] = their_def
    # keyed as theirs are, in plain quotes: our terms are typeset (“Customer’s Data”)
    mine = {typography(ours_line.term): ours_line for ours_line in unit.lines}
    for key, line in mine.items():
        their = theirs.get(key)
        term = line.term
        owner = unit.owners.get(term, "")
        if their is None:
            mapping.changes.append(Change("removed", "definitions", owner, unit.number, unit.title, ours=line.text, term=term))
            continue
        pair = compare(line, their, resolve, ours.numbers)
        if not pair.equal:
            mapping.changes.append(Change("edited", "definitions", owner, unit.number, unit.title, ours=line.text, theirs=their.display,
                                          words=word_diff(line.text, their.display), tracked=their.tracked, term=term))
        mapping.formatting += pair.formatting
        mapping.renumbered += pair.renumbered
    for term, their in theirs.items():
        if term not in mine:
            mapping.changes.append(Change("added", "definitions", "", unit.number, unit.title, where="in the Definitions",
                                          theirs=their.text, tracked=their.tracked, term=term))


def _compare_unit(unit: Unit, region: Region, resolve: Resolver, ours: OurDocument, mapping: Mapping) -> Change | None:
    lines = [their_line(p) for p in region.body]
    mapping.theirs[unit.key] = lines
    mapping.titles[unit.key] = region.title
    if unit.kind == "definitions":
        _definitions(unit, lines, resolve, ours, mapping)
        return None
    pairs: list[LinePair] = []
    headers: tuple[str, ...] = ()
    for mine, theirs in align(list(unit.lines), lines):
        if mine is not None and mine.kind == "row" and mine.header and mine.cells:
            headers = mine.cells
        pairs.append(compare(mine, theirs, resolve, ours.numbers, headers))
    title_changed = unit.heading and typography(unit.title) != region.title
    heading = region.heading
    retyped = heading is not None and typography(heading.text) != typography(unit.title)  # a number typed in front of it
    mapping.formatting += sum(p.formatting for p in pairs) + bool(heading is not None and (heading.formatted or retyped) and not title_changed)
    mapping.renumbered += sum(p.renumbered for p in pairs)
    if not title_changed and all(p.equal for p in pairs):
        return None
    theirs_text = lock_text(region.title if unit.heading else unit.title, lines)
    ours_text = unit.text or "\n".join([unit.title, *(line.text for line in unit.lines)])
    cells = [cell for p in pairs for cell in p.cells]
    return Change("edited", unit.key, unit.clause_id, unit.number, unit.title, ours=ours_text, theirs=theirs_text,
                  words=word_diff(ours_text, theirs_text), cells=cells, tracked=region.tracked)


def unit_matches(unit: Unit, lines: list[TheirLine], title: str, resolve: Resolver) -> bool:
    """Whether their lines (and heading) of a clause read as ``unit``."""
    if unit.heading and typography(unit.title) != title:
        return False
    return all(compare(mine, copy(theirs) if theirs else None, resolve, {}).equal for mine, theirs in align(list(unit.lines), lines))


def map_document(paras: list[Para], ours: OurDocument, file: str) -> Mapping:
    """Every change their copy of one document makes to ours."""
    regions, empty = cut_regions(paras, {u.bookmark for u in ours.units if not u.heading})
    for index, region in enumerate(regions):
        region.index = index
    assign(regions, ours)
    resolve = their_numbering(regions)
    mapping = Mapping(file, ours.id, formatting=empty, by_content=sum(r.by == "content" and bool(r.unit and r.unit.clause_id) for r in regions),
                      resolve=resolve)
    edited: dict[str, Change] = {}
    for region in regions:
        if region.unit is not None:
            change = _compare_unit(region.unit, region, resolve, ours, mapping)
            if change is not None:
                edited[region.unit.key] = change
    matched = [r for r in regions if r.unit is not None and r.unit.kind != "definitions"]
    their_order = [r.unit.key for r in matched if r.unit]
    present = set(their_order)
    our_order = [u.key for u in ours.units if u.key in present]
    blocks = SequenceMatcher(None, our_order, their_order, autojunk=False).get_matching_blocks()
    kept = {our_order[b.a + k] for b in blocks for k in range(b.size)}
    changes: list[Change] = []
    previous: Unit | None = None
    for position, region in enumerate(regions):
        unit = region.unit
        if unit is None:
            if position and regions[position - 1].unit is None:
                continue  # part of the addition that the first region of the run reported
            run = [region]
            for following in regions[position + 1 :]:
                if following.unit is not None:
                    break
                run.append(following)
            after = next((r.unit for r in regions[position + len(run) :] if r.unit is not None), None)
            parts = [(r.kind if r.heading is not None else "text", r.title, [their_line(p) for p in r.body]) for r in run]
            text = "\n".join(line for r in run for line in ([r.title] if r.heading is not None else []) + [p.text for p in r.body])
            changes.append(Change("added", where=_where(previous, after), theirs=text, words=[("+", text)],
                                  tracked=any(r.tracked for r in run), parts=parts,
                                  bookmarks=[name for r in run if r.heading is not None for name in r.heading.bookmarks],
                                  neighbours=(previous.key if previous else "", after.key if after else "")))
            continue
        change = edited.get(unit.key)
        if unit.key in present and unit.key not in kept:
            change = change or Change("moved", unit.key, unit.clause_id, unit.number, unit.title)
            if change.kind == "edited":
                change.kind = "moved_and_edited"
            else:
                change.kind = "moved"
            after = next((r.unit for r in regions[position + 1 :] if r.unit is not None), None)
            change.where = _where(previous, after)
            change.neighbours = (previous.key if previous else "", after.key if after else "")
            change.tracked = change.tracked or region.tracked
        if change is not None:
            changes.append(change)
        if unit.kind != "definitions":
            previous = unit
    regions_of = {r.unit.key: r for r in regions if r.unit is not None}
    for index, unit in enumerate(ours.units):
        if unit.key not in present and unit.kind != "definitions" and (unit.clause_id or unit.kind == "article"):
            before = next((u for u in reversed(ours.units[:index]) if u.key in present), None)
            after_removed = next((regions_of[u.key] for u in ours.units[index + 1 :] if u.key in regions_of), None)
            # a tracked deletion leaves its paragraph marks on the paragraph after it
            tracked = after_removed is not None and after_removed.heading is not None and after_removed.heading.tracked
            changes.append(Change("removed", unit.key, unit.clause_id, unit.number, unit.title, where=f"was {_where(before, None)}",
                                  ours=unit.text or unit.title, words=[("-", unit.text or unit.title)], tracked=tracked))
    mapping.changes = changes + mapping.changes
    return mapping
