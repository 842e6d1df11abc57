"""Stage 3: decide which clauses a deal uses, where, and in which position.

The plan is pure data: documents → articles → planned clauses, every
decision with its reason (``dealdraft why``), and the resolved value of every
variable the deal's clauses read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from assembler.base.errors import InputError, Problem
from assembler.deal.load import Deal
from assembler.library.deal_type_schema import ArticleSpec, DocumentSpec, DocumentUse, OutlineClause
from assembler.library.declarations import stance_position
from assembler.library.model import Clause, Library, requirement_ids
from assembler.library.values import BlankValue, Record, ValueContext, coerce

from .concepts import check_concepts, provided_concepts
from .constraints import check_constraints
from .render import Renderer


@dataclass(frozen=True, slots=True)
class PlannedClause:
    clause: Clause
    position: str
    position_reason: str

    @property
    def id(self) -> str:
        return self.clause.id


@dataclass(frozen=True, slots=True)
class PlannedPart:
    """A planned article or schedule."""

    spec: ArticleSpec
    clauses: tuple[PlannedClause, ...]
    level_clause: PlannedClause | None
    """Set for an article-level (or schedule-level) clause."""


@dataclass(frozen=True, slots=True)
class PlannedDocument:
    spec: DocumentSpec
    shared: bool
    preamble: tuple[PlannedClause, ...]
    articles: tuple[PlannedPart, ...]
    schedules: tuple[PlannedPart, ...]

    def clauses(self) -> list[PlannedClause]:
        """Every planned clause of the document, in document order."""
        found = list(self.preamble)
        for part in (*self.articles, *self.schedules):
            if part.level_clause:
                found.append(part.level_clause)
            found.extend(part.clauses)
        return found


@dataclass(frozen=True, slots=True)
class Decision:
    """Why a clause is in or out of the deal."""

    clause_id: str
    included: bool
    reason: str
    document: str = ""
    position: str = ""
    position_reason: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    deal: Deal
    documents: tuple[PlannedDocument, ...]
    decisions: dict[str, Decision]
    values: dict[str, Any]
    value_sources: dict[str, str]
    warnings: tuple[Problem, ...] = field(default=())
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Every concept the deal has → what provides it (see ``concepts.py``)."""

    def clauses(self) -> list[PlannedClause]:
        return [planned for doc in self.documents for planned in doc.clauses()]


def choose_position(deal: Deal, clause: Clause) -> tuple[str, str]:
    """The position of a clause in this deal, and why."""
    positions = clause.spec.positions
    if clause.id in deal.spec.positions:
        return deal.spec.positions[clause.id], "set in the deal file's positions"
    if clause.id in deal.deal_type.positions:
        return deal.deal_type.positions[clause.id], f"pinned by the {deal.deal_type.id} deal type"
    return stance_position(deal.deal_type.stances, deal.spec.stance, clause.id, positions)


def _outline_docs(deal: Deal, library: Library) -> list[tuple[DocumentSpec, bool, str | None]]:
    docs = []
    for entry in deal.deal_type.documents:
        if isinstance(entry, DocumentUse):
            spec = library.document_spec(entry)
            docs.append((spec, True, entry.when or spec.when))
        else:
            docs.append((entry, False, entry.when))
    return docs


def _entry(entry: str | OutlineClause) -> tuple[str, bool]:
    return (entry.id, entry.optional) if isinstance(entry, OutlineClause) else (entry, False)


def resolve_values(deal: Deal, clauses: list[tuple[Clause, str]]) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """Value of every variable the given clauses declare, with its source.

    Order: the deal's terms, the deal type's defaults (the more specific
    context), the chosen position's defaults, the clause's default; else blank (required values are checked
    once the plan knows which clauses are in).
    """
    ctx = ValueContext(currency=deal.spec.currency, roles=deal.roles)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    for clause, position in clauses:
        for name, var in clause.spec.variables.items():
            if name in values and sources[name] != "blank":
                continue
            pos_defaults = clause.spec.positions[position].defaults
            if name in deal.terms:
                values[name], sources[name] = deal.terms[name], "deal file"
            elif name in deal.deal_type.defaults:
                values[name] = coerce(var, deal.deal_type.defaults[name], ctx)
                sources[name] = f"{deal.deal_type.id} deal type"
            elif name in pos_defaults:
                values[name] = coerce(var, pos_defaults[name], ctx)
                sources[name] = f"{clause.id} ({position} position)"
            elif var.default is not None:
                values[name] = coerce(var, var.default, ctx)
                sources[name] = f"default of {clause.id}"
            elif name not in values:
                values[name], sources[name] = BlankValue(name), "blank"
    return values, sources, problems


class _Conditions:
    def __init__(self, renderer: Renderer, context: dict[str, Any]) -> None:
        self.renderer = renderer
        self.context = context
        self.read: set[str] = set()
        """Variables the evaluated conditions read (they belong in the lock)."""

    def check(self, expression: str, where: str, clause: str = "") -> tuple[bool, Problem | None]:
        try:
            self.read |= self.renderer.expression_names(expression)
        except Exception:  # noqa: S110 - a bad expression is reported below
            pass
        try:
            compiled = self.renderer.expression(expression)
            return bool(compiled(**self.context)), None
        except Exception as exc:  # a bad condition is reported, never raised raw
            return False, Problem(f"condition {expression!r} cannot be evaluated: {exc}", clause=clause, field=where)


def condition_context(deal: Deal, values: dict[str, Any]) -> dict[str, Any]:
    context = dict(values)
    spec = deal.spec
    context["deal"] = Record(
        deal_type=deal.deal_type.id,
        stance=spec.stance,
        governing_law=spec.governing_law,
        currency=spec.currency,
        roles=deal.roles,
        effective_date=spec.effective_date or BlankValue("effective_date"),
        date=spec.date or spec.effective_date or BlankValue("date"),
    )
    return context


def make_plan(deal: Deal, library: Library, renderer: Renderer | None = None, *, logic: list[Problem] | None = None) -> Plan:
    """Choose clauses and positions; check requires/excludes; resolve values;
    check the concepts the clauses rely on and the deal type's constraints.

    With ``logic`` given, problems of concepts and constraints go there and
    the plan is still returned (lint renders the texts all the same)."""
    renderer = renderer or Renderer()
    outline = _outline_docs(deal, library)
    every: list[tuple[Clause, str]] = []
    for spec, _shared, _when in outline:
        for entry in spec.preamble:
            clause = library.clauses[_entry(entry)[0]]
            every.append((clause, choose_position(deal, clause)[0]))
        for part in (*spec.articles, *spec.schedules):
            ids = [part.clause] if part.clause else [_entry(e)[0] for e in part.clauses]
            for clause_id in ids:
                clause = library.clauses[clause_id]
                every.append((clause, choose_position(deal, clause)[0]))
    values, sources, problems = resolve_values(deal, every)
    conditions = _Conditions(renderer, condition_context(deal, values))
    decisions: dict[str, Decision] = {}
    documents: list[PlannedDocument] = []
    include, exclude = set(deal.spec.include), set(deal.spec.exclude)
    dt_id = deal.deal_type.id

    def plan_clause(clause_id: str, optional: bool, doc_id: str) -> PlannedClause | None:
        clause = library.clauses[clause_id]
        if clause_id in decisions and decisions[clause_id].included:
            problems.append(Problem(f"clause is used twice (also in {decisions[clause_id].document})", clause=clause_id, field="outline"))
            return None
        if not clause.spec.applies_to(dt_id):
            decisions.setdefault(clause_id, Decision(clause_id, False, f"does not apply to {dt_id} deals (deal_types of the clause)", doc_id))
            return None
        if clause_id in exclude:
            decisions[clause_id] = Decision(clause_id, False, "excluded by the deal file", doc_id)
            return None
        if optional and clause_id not in include:
            decisions[clause_id] = Decision(clause_id, False, "optional; add it to the deal's include list to use it", doc_id)
            return None
        if clause.spec.when and clause_id not in include:
            holds, problem = conditions.check(clause.spec.when, "when", clause_id)
            if problem:
                problems.append(replace(problem, path=clause.path, line=clause.line))
            if not holds:
                decisions[clause_id] = Decision(clause_id, False, f"its condition is false: when: {clause.spec.when}", doc_id)
                return None
        position, why = choose_position(deal, clause)
        reason = "included by the deal file" if clause_id in include else "in the outline"
        if clause.spec.when and clause_id in include:
            reason += " (its condition is not checked for included clauses)"
        elif clause.spec.when:
            reason += f"; its condition holds: when: {clause.spec.when}"
        decisions[clause_id] = Decision(clause_id, True, reason, doc_id, position, why)
        return PlannedClause(clause, position, why)

    type_path = library.deal_types[dt_id].path if dt_id in library.deal_types else deal.path
    for spec, shared, when in outline:
        if when:
            holds, problem = conditions.check(when, f"documents.{spec.id}.when")
            if problem:
                where = library.documents[spec.id].path if shared and spec.id in library.documents and spec.when == when else type_path
                problems.append(replace(problem, path=where))
            if not holds:
                for _where, clause_id, _opt in _all_ids(spec):
                    decisions.setdefault(clause_id, Decision(clause_id, False, f"document {spec.id} is not produced: when: {when}", spec.id))
                continue
        preamble = tuple(p for p in (plan_clause(*_entry(e), spec.id) for e in spec.preamble) if p)
        parts: dict[str, list[PlannedPart]] = {"articles": [], "schedules": []}
        for kind, items in (("articles", spec.articles), ("schedules", spec.schedules)):
            for part in items:
                if part.when:
                    holds, problem = conditions.check(part.when, f"{kind}.when")
                    if problem:
                        problems.append(replace(problem, path=library.documents[spec.id].path if shared else type_path))
                    if not holds:
                        continue
                if part.clause:
                    level = plan_clause(part.clause, False, spec.id)
                    if level:
                        parts[kind].append(PlannedPart(part, (), level))
                    continue
                members = tuple(p for p in (plan_clause(*_entry(e), spec.id) for e in part.clauses) if p)
                if members or part.definitions:
                    parts[kind].append(PlannedPart(part, members, None))
        documents.append(PlannedDocument(spec, shared, preamble, tuple(parts["articles"]), tuple(parts["schedules"])))
    plan = Plan(deal, tuple(documents), decisions, values, sources)
    problems += _check_dependencies(plan, library)
    for planned in plan.clauses():
        for name, var in planned.clause.spec.variables.items():
            if var.required and isinstance(values.get(name), BlankValue):
                description = " ".join(var.description.split()) or var.type
                problems.append(Problem(f"a value is required by clause {planned.id} ({description})", deal.path, None, planned.id, f"terms.{name}"))

    def concept_holds(expression: str, clause_id: str, where: str) -> bool:
        result, problem = conditions.check(expression, f"{where}.when", clause_id)
        if problem:
            clause = library.clauses.get(clause_id)
            problems.append(replace(problem, path=clause.path, line=clause.line) if clause else problem)
        return result

    included = plan.clauses()
    plan = replace(plan, concepts=provided_concepts(deal.deal_type, included, concept_holds))
    found = check_concepts(dt_id, included, plan.concepts, decisions, library, concept_holds)
    used = {name for planned in plan.clauses() for name in planned.clause.spec.variables}
    used |= conditions.read & set(values)
    positions = {planned.id: planned.position for planned in plan.clauses()}
    found += check_constraints(deal, library, renderer, {k: v for k, v in values.items() if k in used}, sources, positions)
    if logic is not None and not problems:
        logic.extend(p if p.path else replace(p, path=deal.path) for p in found)
    else:
        problems += found
    warnings = [
        Problem("not used by any clause of this deal (its clause is left out)", deal.path, deal.term_lines.get(name), field=f"terms.{name}", severity="warning")
        for name in deal.terms
        if name not in used
    ]
    if problems:
        raise InputError([p if p.path else replace(p, path=deal.path) for p in problems])
    return Plan(plan.deal, plan.documents, decisions, {k: v for k, v in values.items() if k in used}, sources, tuple(warnings), plan.concepts)


def _all_ids(spec: DocumentSpec) -> list[tuple[str, str, bool]]:
    from assembler.library.model import outline_entries

    return outline_entries(spec)


def _check_dependencies(plan: Plan, library: Library) -> list[Problem]:
    problems: list[Problem] = []
    included = {p.id for p in plan.clauses()}
    for planned in plan.clauses():
        spec = planned.clause.spec
        for group in requirement_ids(spec.requires):
            if not included.intersection(group):
                names = " or ".join(group)
                why = "; ".join(
                    f"{g}: {plan.decisions[g].reason}" if g in plan.decisions else f"{g}: not in the {plan.deal.deal_type.id} outline"
                    for g in group
                )
                problems.append(
                    Problem(f"requires clause {names}, which is not in this deal ({why})", clause=planned.id, field="requires")
                )
        for other in spec.excludes:
            if other in included:
                problems.append(
                    Problem(f"cannot be used together with clause {other} (excludes); exclude one of them in the deal file", clause=planned.id, field="excludes")
                )
    return problems
