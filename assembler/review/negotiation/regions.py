"""Cut their copy into regions at its headings and match each to one of
our units: by the bookmark its heading still carries, else by its words
(title and text, with a similarity threshold); then number their headings as
Word does, so that a "Section 9.2" typed in their copy can be read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .compare import Resolver
from .docx_read import Para
from .textnorm import bag_similarity, generic, similarity, strip_heading_number, strip_label, typography
from .units import OurDocument, Unit

MATCH_THRESHOLD = 0.6
"""How alike a region and a clause must read to be the same clause."""


@dataclass(slots=True)
class Region:
    """A heading of their copy and the paragraphs under it."""

    index: int
    heading: Para | None
    body: list[Para]
    unit: Unit | None = None
    by: str = ""
    bookmark: str = ""

    @property
    def kind(self) -> str:
        return self.heading.kind if self.heading is not None else "preamble"

    @property
    def title(self) -> str:
        return typography(strip_heading_number(self.heading.text)) if self.heading is not None else ""

    @property
    def tracked(self) -> bool:
        return any(p.tracked for p in ([self.heading] if self.heading else []) + self.body)


def cut_regions(paras: list[Para], headless: set[str]) -> tuple[list[Region], int]:
    """Their copy cut at headings, and how many empty headings it has (an
    empty numbered paragraph left behind by an edit is formatting)."""
    regions: list[Region] = []
    current: Region | None = None
    for para in paras:
        if para.kind == "skip":
            current = None
            continue
        if para.kind != "row" and not para.text.strip() and not para.heading:
            continue
        if para.heading or any(name in headless for name in para.bookmarks):
            current = Region(len(regions), para if para.heading else None, [] if para.heading else [para])
            regions.append(current)
        elif current is None:
            current = Region(len(regions), None, [para])
            regions.append(current)
        else:
            current.body.append(para)
    empty = [r for r in regions if r.heading is not None and not r.heading.text.strip() and not r.body and not r.heading.bookmarks]
    return [r for r in regions if r not in empty], len(empty)


def _body_key(lines: list[str]) -> str:
    return "\n".join(generic(strip_label(text)) for text in lines)


_COMPATIBLE = {"definitions": "section"}


def _score(unit: Unit, region: Region, unit_body: str, region_body: str) -> float:
    title = 1.0 if generic(unit.title).casefold() == generic(region.title).casefold() else similarity(unit.title, region.title)
    if not unit.lines or unit.kind == "definitions":
        score = title if not region.body or unit.kind == "definitions" else title * 0.5
    elif not region.body:
        score = title * 0.5
    else:
        if bag_similarity(unit_body, region_body) < 0.4:
            return 0.0
        body = similarity(unit_body, region_body)
        score = body if not unit.heading else 0.3 * title + 0.7 * body
    if _COMPATIBLE.get(unit.kind, unit.kind) != region.kind:
        score *= 0.85
    return score


def assign(regions: list[Region], ours: OurDocument) -> None:
    by_bookmark = {u.bookmark: u for u in ours.units}
    taken: set[str] = set()
    for region in regions:
        first = [region.heading] if region.heading is not None else region.body[:1]
        for name in (b for para in first for b in para.bookmarks):
            unit = by_bookmark.get(name)
            if unit is not None and unit.key not in taken:
                region.unit, region.by = unit, "bookmark"
                taken.add(unit.key)
                break
    units = [u for u in ours.units if u.key not in taken]
    free = [r for r in regions if r.unit is None]
    if not units or not free:
        return
    unit_bodies = {u.key: _body_key([line.text for line in u.lines]) for u in units}
    region_bodies = {r.index: _body_key([p.text for p in r.body]) for r in free}
    order = {u.key: i for i, u in enumerate(ours.units)}
    exact: dict[tuple[str, str], list[Unit]] = {}
    for unit in units:
        exact.setdefault((generic(unit.title).casefold(), unit_bodies[unit.key]), []).append(unit)
    scored: list[tuple[float, int, int, Unit]] = []
    for region in free:
        candidates = [u for u in exact.get((generic(region.title).casefold(), region_bodies[region.index]), []) if u.key not in taken]
        if candidates:
            region.unit, region.by = candidates[0], "content"
            taken.add(candidates[0].key)
            continue
        for unit in units:
            if unit.key in taken:
                continue
            score = _score(unit, region, unit_bodies[unit.key], region_bodies[region.index])
            if score >= MATCH_THRESHOLD:
                scored.append((score, -abs(order[unit.key] - region.index), region.index, unit))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    by_index = {r.index: r for r in free}
    for _score_value, _distance, index, unit in scored:
        region = by_index[index]
        if region.unit is None and unit.key not in taken:
            region.unit, region.by = unit, "content"
            taken.add(unit.key)
    _reclaim(regions, [r for r in free if r.unit is None], ours)


def _reclaim(regions: list[Region], free: list[Region], ours: OurDocument) -> None:
    """A bookmark that slipped onto a heading typed in front of ours (text
    inserted at the start of our heading) names the wrong region: when a
    region left without a unit reads exactly like the bookmarked unit while
    the bookmarked region reads nothing like it, the unit is theirs."""
    if not free:
        return
    for region in regions:
        unit = region.unit
        if unit is None or region.by != "bookmark" or not unit.lines:
            continue
        body = _body_key([line.text for line in unit.lines])
        if _score(unit, region, body, _body_key([p.text for p in region.body])) >= 0.5:
            continue
        better = next((r for r in free if _score(unit, r, body, _body_key([p.text for p in r.body])) >= 0.9), None)
        if better is not None:
            better.unit, better.by, region.unit, region.by = unit, "content", None, ""
            free.remove(better)
            free.append(region)


def their_numbering(regions: list[Region]) -> Resolver:
    """Their numbering: which heading each "Section 9.2" of their copy means."""
    table: dict[tuple[str, str], str] = {}
    article = section = schedule = paragraph = 0
    for region in regions:
        if region.heading is None:
            continue
        heading = region.heading
        region.bookmark = region.unit.bookmark if region.unit else (heading.bookmarks[0] if heading.bookmarks else f"added_{region.index}")
        if heading.kind == "article":
            article, section = article + 1, 0
            table[("Article", str(article))] = region.bookmark
        elif heading.kind == "section":
            section += 1
            table[("Section", f"{article}.{section}")] = region.bookmark
        elif heading.kind == "schedule":
            schedule, paragraph = schedule + 1, 0
            table[("Schedule", str(schedule))] = region.bookmark
        elif heading.kind == "schedule_section":
            paragraph += 1
            table[("paragraph", f"{paragraph}|{schedule}")] = region.bookmark

    def resolve(word: str, number: str, tail: str | None) -> str | None:
        if word == "paragraph":
            found = re.search(r"\d+$", tail or "")
            return table.get(("paragraph", f"{number}|{found.group()}")) if found else None
        return table.get((word, number))

    return resolve
