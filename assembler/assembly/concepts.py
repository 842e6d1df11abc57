"""Concepts: the deal facts a clause presumes, and who provides them.

A clause (or one of its positions) ``relies_on`` concepts such as
``upfront_payment`` or ``sub_processors``: its text presumes that the deal has
them. A clause or position ``provides`` a concept when its text establishes
it, and a deal type ``provides`` the concepts every deal of its type has.
A planned deal in which an included clause relies on a concept that nothing
included provides is an error naming both the clause and the concept, with
the library clauses that could provide it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from assembler.base.errors import Problem
from assembler.library.schema import ClauseSpec, ConceptUse, ConceptWhen, concept_in, concept_name, concept_when

if TYPE_CHECKING:
    from assembler.library.deal_type_schema import DealTypeSpec
    from assembler.library.model import Library


class Planned(Protocol):
    """A clause of the plan in its chosen position (``plan.PlannedClause``)."""

    @property
    def id(self) -> str: ...

    @property
    def clause(self) -> Any: ...

    @property
    def position(self) -> str: ...


Holds = Callable[[str, str, str], bool]
"""Evaluates a concept's ``when`` (expression, clause id, field) over the deal's values."""


def _active(uses: Sequence[ConceptUse], holds: Holds, clause_id: str, field: str, position: str) -> list[str]:
    names = []
    for use in uses:
        if not concept_in(use, position):
            continue
        when = concept_when(use)
        if when is None or holds(when, clause_id, field):
            names.append(concept_name(use))
    return names


def provided_concepts(deal_type: DealTypeSpec, clauses: Sequence[Planned], holds: Holds) -> dict[str, tuple[str, ...]]:
    """Every concept the deal has → what provides it (the deal type, clause ids)."""
    found: dict[str, list[str]] = {}
    for concept in deal_type.provides:
        found.setdefault(concept, []).append(f"the {deal_type.id} deal type")
    for planned in clauses:
        spec = planned.clause.spec
        uses = _active(spec.provides, holds, planned.id, "provides", planned.position)
        field = f"positions.{planned.position}.provides"
        uses += _active(spec.positions[planned.position].provides, holds, planned.id, field, planned.position)
        for concept in uses:
            found.setdefault(concept, []).append(planned.id)
    return {concept: tuple(sources) for concept, sources in found.items()}


def reliances(spec: ClauseSpec, position: str, holds: Holds) -> list[tuple[str, str]]:
    """(concept, field) pairs a clause relies on in one of its positions."""
    clause_level = [(concept, "relies_on") for concept in _active(spec.relies_on, holds, spec.id, "relies_on", position)]
    field = f"positions.{position}.relies_on"
    return clause_level + [(concept, field) for concept in _active(spec.positions[position].relies_on, holds, spec.id, field, position)]


def providers(library: Library, concept: str) -> list[tuple[str, str]]:
    """(clause id, position or "") of every library clause that provides a concept."""
    found: list[tuple[str, str]] = []
    for clause_id, clause in sorted(library.clauses.items()):
        spec = clause.spec
        for name, pos in spec.positions.items():
            clause_level = any(concept_name(u) == concept and concept_in(u, name) for u in spec.provides)
            if clause_level or concept in map(concept_name, pos.provides):
                found.append((clause_id, name))
        if all((clause_id, name) in found for name in spec.positions):
            found = [f for f in found if f[0] != clause_id] + [(clause_id, "")]
    return found


def check_concepts(
    type_id: str, clauses: Sequence[Planned], provided: dict[str, tuple[str, ...]], decisions: dict[str, Any], library: Library, holds: Holds
) -> list[Problem]:
    """A problem for every concept an included clause relies on that nothing provides.

    ``decisions`` are the plan's (why each clause is in or out), for the hint."""
    problems: list[Problem] = []
    for planned in clauses:
        spec = planned.clause.spec
        for concept, field in reliances(spec, planned.position, holds):
            if concept in provided:
                continue
            message = f"relies on {concept!r}, which nothing in this {type_id} deal provides" + _candidates(type_id, decisions, library, concept)
            problems.append(Problem(message, planned.clause.path, planned.clause.line, planned.id, field))
    return problems


def _candidates(type_id: str, decisions: dict[str, Any], library: Library, concept: str) -> str:
    found = providers(library, concept)
    if not found:
        return "; no clause of the library provides it"
    usable = [(cid, pos) for cid, pos in found if library.clauses[cid].spec.applies_to(type_id)]
    if not usable:
        names = ", ".join(_name(cid, pos) for cid, pos in found[:5])
        verb = "does" if len(found) == 1 else "do"
        return f"; it is provided by {names}, which {verb} not apply to {type_id} deals"
    parts = []
    for cid, pos in usable[:5]:
        decision = decisions.get(cid)
        if decision is None:
            why = f"not in the {type_id} outline"
        elif not decision.included:
            why = decision.reason
        elif pos and decision.position != pos:
            why = f"in this deal in its {decision.position} position"
        else:
            conditions = [u.when for u in _uses(library.clauses[cid].spec, decision.position) if concept_name(u) == concept and u.when]
            why = f"in this deal, but only provides it when {conditions[0]}" if conditions else "in this deal"
        parts.append(f"{_name(cid, pos)} ({why})")
    return "; it could be provided by " + ", ".join(parts)


def _uses(spec: ClauseSpec, position: str) -> list[ConceptWhen]:
    return [u for u in (*spec.provides, *spec.positions[position].provides) if isinstance(u, ConceptWhen)]


def _name(clause_id: str, position: str) -> str:
    return f"clause {clause_id}" + (f" in its {position} position" if position else "")


__all__ = ["check_concepts", "provided_concepts", "providers", "reliances"]
