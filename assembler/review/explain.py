"""Why a clause is in or out of a deal, in which position, and the values it
reads: what ``dealdraft why`` prints and the browser's clause panel shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assembler.assembly.lockfile import clause_nodes
from assembler.assembly.pipeline import build_deal, plan_deal
from assembler.assembly.tree import Build, Schedule, Section
from assembler.base.errors import DealdraftError, InputError, Problem
from assembler.deal.load import Deal
from assembler.library.model import Library
from assembler.library.validation import closest
from assembler.library.values import to_json


@dataclass(frozen=True, slots=True)
class ReadValue:
    """A variable a clause reads: its value in the deal and where it came from."""

    name: str
    value: Any
    """The value as JSON data (``None`` for a blank)."""
    source: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a clause is in or out of a deal."""

    clause_id: str
    included: bool
    in_outline: bool
    reason: str
    document: str = ""
    number: str = ""
    """"Section 7.2", "Article 19", "Schedule 2"; or a note that the deal does not build."""
    position: str = ""
    position_reason: str = ""
    rationale: str = ""
    values: tuple[ReadValue, ...] = field(default=())


def explain_clause(library: Library, clause_id: str, deal: Deal, build: Build | None = None) -> Explanation:
    """Outline, conditions, position and values of one clause in a deal.

    ``build`` is the deal's finished tree when the caller has it (for the
    clause's number); without it the deal is built here.
    """
    clause = library.clauses.get(clause_id)
    if clause is None:
        raise InputError([Problem("unknown clause" + closest(clause_id, library.clauses), clause=clause_id, field="CLAUSE_ID")])
    plan = plan_deal(deal, library)
    decision = plan.decisions.get(clause_id)
    if decision is None:
        return Explanation(clause_id, False, False, f"it is not in the outline of a {deal.deal_type.id} deal")
    if not decision.included:
        return Explanation(clause_id, False, True, decision.reason, decision.document)
    number = ""
    try:
        build = build or build_deal(deal, library)
        for document in build.documents:
            for node in clause_nodes(document):
                if node.clause_id == clause_id:
                    number = ("Schedule " if isinstance(node, Schedule) else "Section " if isinstance(node, Section) and node.number else "Article ") + node.number
    except DealdraftError:
        number = "(the deal does not build; run dealdraft build to see why)"
    values = tuple(
        ReadValue(name, to_json(plan.values.get(name)), plan.value_sources.get(name, "?")) for name in clause.spec.variables
    )
    return Explanation(
        clause_id, True, True, decision.reason, decision.document, number, decision.position, decision.position_reason,
        clause.spec.positions[decision.position].rationale.strip(), values,
    )


def explanation_lines(explanation: Explanation) -> list[str]:
    """The explanation as the lines ``dealdraft why`` prints."""
    e = explanation
    if not e.in_outline:
        return [f"{e.clause_id}: not in this deal — {e.reason}"]
    if not e.included:
        return [f"{e.clause_id}: left out of {e.document or 'the deal'} — {e.reason}"]
    lines = [f"{e.clause_id}: included in {e.document}" + (f", {e.number}" if e.number else "") + f" — {e.reason}"]
    lines.append(f"position: {e.position} — {e.position_reason}")
    if e.rationale:
        lines.append(f"rationale: {e.rationale}")
    lines += [f"variable {v.name} = {v.value!r} ({v.source})" for v in e.values]
    return lines
