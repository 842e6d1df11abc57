"""``dealdraft absorb``: read the other side's markup back into the deal.

Every change of their DOCX (``returned.py``) is mapped onto the deal file,
and every mapping is proved by a build of the deal with it:

- a **value**: their words are a new value of a variable the clause reads
  (``absorb_values.py``), and a build with that value reads as their clause,
  without changing another clause they left alone; checked against the
  variable's bounds;
- a **position**: a build with another position of the clause reads as
  their clause (similarity 1.0), or comes closest and a value explains the
  rest;
- **off the playbook**: anything else is a word diff against the closest
  position and, unless turned off, a text ``override`` in the deal file, so
  the next build reads exactly as their copy;
- a clause **removed** is excluded; an **addition** that is a clause of the
  library is included; other additions, moves, new headings and edited
  definitions are listed for a decision.

The absorbed deal is built once more at the end and their copy is compared
with that build: what still differs is listed as not reproduced.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from assembler.assembly.pipeline import build_deal, plan_deal
from assembler.assembly.tree import Build
from assembler.base.errors import DealdraftError
from assembler.deal.load import Deal, load_deal
from assembler.deal.schema import ClauseOverride
from assembler.library.model import Library
from assembler.library.values import ValueContext

from ..worddiff import word_diff
from .absorb_model import Absorption, Edits, Item
from .absorb_values import Candidate, apply, candidates, check, pairs
from .copies import read_docx
from .override_text import Writer
from .returned import Change, Mapping, lock_text, map_document, unit_matches
from .textnorm import mask_theirs, similarity, strip_label, typography
from .units import OurDocument, Unit, our_document

POSITION_THRESHOLD = 0.6
"""How close their text must be to another position to read as a switch to it."""


class _Session:
    def __init__(self, deal: Deal, library: Library, base: Build, mapping: Mapping, use_overrides: bool) -> None:
        self.deal, self.library, self.base, self.mapping = deal, library, base, mapping
        self.document = mapping.document
        self.ours = our_document(base.document(self.document))
        self.plan = plan_deal(deal, library)
        self.use_overrides = use_overrides
        self.ctx = ValueContext(currency=deal.spec.currency, roles=deal.roles)
        self.writer = Writer(self.ours, mapping.resolve or (lambda *_: None))
        self._units: dict[int, OurDocument] = {}
        self._switched: dict[str, Build | None] = {}

    # -- trial builds --------------------------------------------------------
    def trial(self, edits: Edits) -> Build | None:
        """A build of the deal with ``edits``; None when it does not build."""
        spec = self.deal.spec
        terms = dict(self.deal.terms)
        for name, value in edits.terms.items():
            coerced, _problem = check(self.library.variables[name], value, self.ctx)
            if coerced is None:
                return None
            terms[name] = coerced
        try:
            overrides = {**spec.overrides, **{cid: ClauseOverride(**fields) for cid, fields in edits.overrides.items()}}
        except ValueError:
            return None
        update = {
            "positions": {**spec.positions, **edits.positions},
            "include": [*spec.include, *(c for c in edits.include if c not in spec.include)],
            "exclude": [c for c in [*spec.exclude, *edits.exclude] if c not in edits.include],
            "overrides": overrides,
        }
        try:
            return build_deal(replace(self.deal, spec=spec.model_copy(update=update), terms=terms), self.library)
        except DealdraftError:
            return None

    def units(self, build: Build) -> OurDocument:
        if id(build) not in self._units:
            self._units[id(build)] = our_document(build.document(self.document))
        return self._units[id(build)]

    def unit(self, build: Build, key: str) -> Unit | None:
        return next((u for u in self.units(build).units if u.key == key), None)

    def reads_as_theirs(self, build: Build | None, key: str) -> bool:
        unit = self.unit(build, key) if build is not None else None
        return unit is not None and unit_matches(unit, self.mapping.theirs[key], self.mapping.titles[key], self.resolve)

    def resolve(self, word: str, number: str, tail: str | None) -> str | None:
        return self.mapping.resolve(word, number, tail) if self.mapping.resolve else None

    def similarity(self, unit: Unit, key: str) -> float:
        allowed = {span.bookmark for line in unit.lines for span in line.spans}
        theirs = "\n".join(typography(mask_theirs(t.text, t.fields, self.resolve, allowed)) for t in self.mapping.theirs[key])
        return similarity("\n".join(typography(strip_label(line.masked)) for line in unit.lines), theirs)

    def switched(self, position: str, clause_id: str) -> Build | None:
        """A build with every edited clause that has ``position`` switched to it
        (one build per position name, not per clause); a clause's own build
        when switching them all at once does not build."""
        if position not in self._switched:
            edited = [c.clause for c in self.mapping.changes if c.clause and not c.term and c.kind in ("edited", "moved_and_edited")]
            switch = {cid: position for cid in edited
                      if position in self.library.clauses[cid].spec.positions and self.plan.decisions[cid].position != position}
            self._switched[position] = self.trial(Edits(positions=switch))
        return self._switched[position] or self.trial(Edits(positions={clause_id: position}))

    # -- values ----------------------------------------------------------------
    def values(self, change: Change, unit: Unit, positions: dict[str, str]) -> tuple[Edits, list[str], list[str]] | None:
        """Values that turn ``unit`` (a rendering of the clause) into their
        clause: the edits, bound problems, and notes; None if none does."""
        clause = self.library.clauses[change.clause]
        theirs = lock_text(self.mapping.titles[change.unit], self.mapping.theirs[change.unit])
        values = self.values_with(positions)
        found = candidates(clause.spec.variables, values, pairs(word_diff(unit.text, theirs)), self.deal.spec.currency)
        if not found:
            return None
        tries: list[list[Candidate]] = [[c] for c in found]
        if len({c.name for c in found}) > 1:
            tries.append(list({c.name: c for c in reversed(found)}.values()))
        for group in tries:
            terms: dict[str, Any] = {}
            for candidate in group:
                terms[candidate.variable] = apply(candidate, terms.get(candidate.variable, values.get(candidate.variable)), self.deal.spec.currency)
            edits = Edits(terms=terms, positions=dict(positions))
            build = self.trial(edits)
            if not self.reads_as_theirs(build, change.unit):
                continue
            assert build is not None
            conflicts = self._collateral(build, change.unit, terms)
            if conflicts:
                return None
            problems = [f"{c.name}: {problem}" for c in group if (problem := check(self.library.variables[c.variable], terms[c.variable], self.ctx)[1])]
            notes = [f"{c.name}: {_show(c.old)} \u2192 {_show(c.new)}" for c in group]
            return edits, problems, notes
        return None

    def values_with(self, positions: dict[str, str]) -> dict[str, Any]:
        """The deal's values with some clauses in other positions (a position
        brings its own defaults)."""
        if not positions:
            return self.plan.values
        spec = self.deal.spec.model_copy(update={"positions": {**self.deal.spec.positions, **positions}})
        return plan_deal(replace(self.deal, spec=spec), self.library).values

    def _collateral(self, build: Build, key: str, terms: dict[str, Any]) -> list[str]:
        """Other clauses of their copy that read the changed values but that
        their copy left as ours: the new value would change them too."""
        readers = {u.key for u in self.ours.units if u.clause_id and u.key != key
                   and set(self.library.clauses[u.clause_id].spec.variables) & set(terms)}
        return [other for other in sorted(readers) if other in self.mapping.theirs and not self.reads_as_theirs(build, other)]

    # -- classification ------------------------------------------------------------
    def edited(self, change: Change) -> Item:
        key, clause_id = change.unit, change.clause
        unit = self.unit(self.base, key)
        assert unit is not None
        if unit.heading and typography(unit.title) != self.mapping.titles[key]:
            return Item(change, "heading", f"heading retitled \u201c{unit.title}\u201d \u2192 \u201c{self.mapping.titles[key]}\u201d",
                        decide=True, reason="a clause's heading is its library title; keep it or change the library")
        found = self.values(change, unit, {})
        if found is not None:
            edits, problems, notes = found
            if problems:  # a deal file cannot hold a value out of bounds: their text stays as it is
                return self.out_of_bounds(change, notes, problems)
            return Item(change, "value", "; ".join(notes), edits, reason="within the playbook's bounds")
        clause = self.library.clauses[clause_id]
        current = self.plan.decisions[clause_id].position
        scores: dict[str, tuple[float, Unit]] = {current: (self.similarity(unit, key), unit)}
        for position in clause.spec.positions:
            if position == current:
                continue
            build = self.switched(position, clause_id)
            other = self.unit(build, key) if build is not None else None
            if other is None:
                continue
            if self.reads_as_theirs(build, key):
                return Item(change, "position", f"position {current} \u2192 {position}", Edits(positions={clause_id: position}),
                            1.0, reason="their text is our " + position + " position")
            scores[position] = (self.similarity(other, key), other)
        best = max(scores, key=lambda p: (scores[p][0], p == current))
        if best != current and scores[best][0] >= POSITION_THRESHOLD:
            found = self.values(change, scores[best][1], {clause_id: best})
            if found is not None:
                edits, problems, notes = found
                notes = [f"position {current} \u2192 {best}", *notes]
                if problems:
                    return self.out_of_bounds(change, notes, problems)
                return Item(change, "position", "; ".join(notes), edits, scores[best][0],
                            reason=f"their text is our {best} position with other values")
        return self.off_playbook(change, best, scores[best])

    def out_of_bounds(self, change: Change, notes: list[str], problems: list[str]) -> Item:
        """A value the playbook's bounds refuse: their text is kept as an
        override, and the value is for the user to decide."""
        unit = self.unit(self.base, change.unit)
        assert unit is not None
        item = self.off_playbook(change, self.plan.decisions[change.clause].position, (1.0, unit))
        item.kind, item.summary, item.words = "value", "; ".join(notes), []
        item.reason = "out of the playbook's bounds: " + "; ".join(problems) + (
            "; their text is kept as an override in the deal file" if item.edits.overrides else "")
        return item

    def off_playbook(self, change: Change, closest: str, scored: tuple[float, Unit]) -> Item:
        score, unit = scored
        theirs = lock_text(self.mapping.titles[change.unit], self.mapping.theirs[change.unit])
        words = word_diff(unit.text, theirs)
        item = Item(change, "text", f"their own text (closest: {closest} position, similarity {score:.2f})", similarity=score,
                    decide=True, reason="off the playbook", words=words, closest=closest)
        if self.use_overrides:
            text = self.writer.clause(self.mapping.theirs[change.unit], unit.lines)
            edits = Edits(overrides={change.clause: {"text": text}})
            if self.reads_as_theirs(self.trial(edits), change.unit):
                item.edits = edits
                item.reason = "off the playbook: their text is kept as an override in the deal file"
            else:
                item.reason = "off the playbook: their text could not be written as an override"
        return item

    def removed(self, change: Change) -> Item:
        if not change.clause:
            return Item(change, "removed", f"heading \u201c{change.title}\u201d removed", decide=True,
                        reason="an article heading comes from the deal type's outline")
        edits = Edits(exclude=[change.clause])
        build = self.trial(edits)
        if build is None:
            return Item(change, "removed", "clause removed", decide=True,
                        reason="the deal does not build without it (another clause requires it, refers to it or uses its terms)")
        optional = self.plan.decisions[change.clause].reason.startswith("included")
        return Item(change, "exclude", "clause removed: excluded", edits, decide=not optional,
                    reason="an optional clause" if optional else "a clause of the playbook's outline")

    def added(self, change: Change) -> Item:
        heads = [title for _kind, title, _lines in change.parts if title]
        for clause_id, decision in self.plan.decisions.items():
            clause = self.library.clauses.get(clause_id)
            if decision.included or decision.document != self.document or clause is None or clause.spec.title not in heads:
                continue
            edits = Edits(include=[clause_id])
            build = self.trial(edits)
            unit = self.unit(build, clause_id) if build is not None else None
            if unit is None:
                continue
            lines = next(lines for _kind, title, lines in change.parts if title == clause.spec.title)
            if unit_matches(unit, lines, clause.spec.title, self.resolve):
                return Item(change, "include", f"clause {clause_id} of the library added: included", edits,
                            reason="a clause of the library that this deal left out")
        item = Item(change, "added", f"new text {change.where}", decide=True, reason="not in the library")
        added = self.deal_clauses(change)
        if added is not None and self.reproduces_addition(self.trial(added), added, change):
            item.edits = added
            item.reason += "; kept as a clause of this deal only in the deal file (or refuse it, or add a clause to your library)"
        return item

    def deal_clauses(self, change: Change) -> Edits | None:
        """An addition (an article of sections, or sections) as clauses of this deal only."""
        place = self.place(change)
        parts = list(change.parts)
        article = ""
        if parts and parts[0][0] == "article" and not parts[0][2]:
            article = parts.pop(0)[1]
        if place is None or not parts or any(kind not in ("section", "schedule_section") or not lines for kind, _t, lines in parts):
            return None
        overrides: dict[str, dict[str, str]] = {}
        previous = ""
        for _kind, title, lines in parts:
            clause_id = self.new_id(title, overrides)
            fields = {"title": title, "text": self.writer.clause(lines, ())}
            if previous:
                fields["after"] = previous
            else:
                fields.update(place)
                if article:
                    fields["article"] = article
            overrides[clause_id] = fields
            previous = clause_id
        return Edits(overrides=overrides)

    def new_id(self, title: str, taken: dict[str, dict[str, str]]) -> str:
        slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_") or "clause"
        slug = slug if slug[0].isalpha() else f"c_{slug}"
        candidate, number = f"deal.{slug}"[:80], 2
        while candidate in self.library.clauses or candidate in taken or candidate in self.deal.spec.overrides:
            candidate, number = f"deal.{slug}_{number}", number + 1
        return candidate

    def reproduces_addition(self, build: Build | None, edits: Edits, change: Change) -> bool:
        if build is None:
            return False
        for (_kind, title, lines), clause_id in zip([p for p in change.parts if p[2]], edits.overrides, strict=False):
            unit = self.unit(build, clause_id)
            if unit is None or not unit_matches(unit, lines, title, self.resolve):
                return False
        return True

    def place(self, change: Change) -> dict[str, str] | None:
        """Where their copy puts a moved or added clause, as an override
        names it: after the clause before it, or before the first clause of
        its article."""
        before, after = (self.ours_unit(key) for key in change.neighbours)
        if before is not None and before.clause_id and before.kind in ("section", "schedule_section"):
            return {"after": before.clause_id}
        if after is not None and after.clause_id and after.kind in ("section", "schedule_section"):
            return {"before": after.clause_id}
        return None

    def ours_unit(self, key: str) -> Unit | None:
        return next((u for u in self.ours.units if u.key == key), None) if key else None

    def moved(self, change: Change) -> Item:
        item = Item(change, "moved", f"moved ({change.where})", decide=True, reason="the order of clauses is the deal type's outline")
        place = self.place(change)
        if place is not None:
            edits = Edits(overrides={change.clause: place})
            build = self.trial(edits)
            order = [u.key for u in self.units(build).units] if build is not None else []
            wanted = place.get("after") or place.get("before")
            if change.clause in order and wanted in order and order.index(change.clause) - order.index(wanted) == (1 if "after" in place else -1):
                item.edits = edits
                item.reason += f"; kept where they put it ({', '.join(f'{k}: {v}' for k, v in place.items())}) in the deal file"
        return item

    def classify(self, change: Change) -> Item:
        if change.term:
            return Item(change, "definition", f"definition of \u201c{change.term}\u201d {change.kind}", decide=True,
                        reason="a definition is part of the clause that defines it; change the library or refuse it")
        if change.kind == "added":
            return self.added(change)
        if change.kind == "removed":
            return self.removed(change)
        if change.kind == "moved":
            return self.moved(change)
        if not change.clause:
            return Item(change, "heading", f"heading \u201c{change.title}\u201d changed", decide=True,
                        reason="an article heading comes from the deal type's outline")
        item = self.edited(change)
        if change.kind == "moved_and_edited":
            moved = self.moved(change)
            item.decide = True
            item.edits = item.edits.merged(moved.edits)
            item.reason += f"; also moved ({change.where})"
        return item


def _show(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['currency']} {value['amount']}"
    return str(value)


def absorb(path: Path, deal_path: Path, library: Library, *, overrides: bool = True) -> Absorption:
    """Map every change of their DOCX onto the deal; prove it with builds."""
    deal = load_deal(deal_path, library)
    base = build_deal(deal, library)
    paras, document = read_docx(path, base)
    mapping = map_document(paras, our_document(base.document(document)), str(path))
    session = _Session(deal, library, base, mapping, overrides)
    items = [session.classify(change) for change in mapping.changes]
    edits = Edits()
    for item in items:
        edits = edits.merged(item.edits)
    result = Absorption(str(path), str(deal_path), mapping.document, items, edits, mapping)
    final = session.trial(edits)
    if final is None:
        result.unreproduced.append("the absorbed deal does not build")
        return result
    again = map_document(paras, our_document(final.document(mapping.document)), str(path))
    result.unreproduced = [f"{change.label()}: {change.kind.replace('_', ' ')}" for change in again.changes]
    return result
