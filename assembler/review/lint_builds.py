"""The builds ``lint`` makes, so that every combination a user can ask for builds.

For every deal type: each stance with each set of sample parties (made from
the deal type's own roles, see ``deal/scaffold.py``); each stance with each
optional clause added; each stance in every *scenario*, a set of values that
makes a ``when`` condition of the outline true (a document, an article or a
clause that the defaults leave out). Then every position a clause declares
that no build has rendered yet (a position no stance chooses, or one a deal
type pins away) is rendered in a build that includes the clause. An error
names the deal type, the stance, the parties and the clause.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from assembler.assembly.assemble import assemble
from assembler.assembly.build_info import collect_blanks
from assembler.assembly.options import BuildOptions
from assembler.assembly.plan import make_plan
from assembler.assembly.render import Renderer
from assembler.assembly.tree import Article, Document, Schedule
from assembler.base.errors import DealdraftError, Problem
from assembler.deal.load import parse_deal
from assembler.deal.scaffold import party_sets, sample_deal
from assembler.library.deal_type_schema import DealTypeSpec, DocumentUse
from assembler.library.model import Library, outline_entries
from assembler.library.schema import VariableSpec

DEFAULT_PARTIES = "one party per role"
_DEAL_CHOICE_FIELDS = ("requires", "excludes")
_MAX_ASSIGNMENTS = 512


@dataclass(frozen=True, slots=True)
class Variant:
    """One build lint makes."""

    type_id: str
    stance: str
    parties: str = DEFAULT_PARTIES
    include: tuple[str, ...] = ()
    positions: tuple[tuple[str, str], ...] = ()
    terms: tuple[tuple[str, Any], ...] = ()
    lenient: bool = False
    """Leave problems that depend on the deal's other choices (requires,
    excludes, required values) to the deal: the variant forced a choice."""
    size: int = 0

    def label(self) -> str:
        parts = [f"{self.type_id} deal", f"stance {self.stance}"]
        if self.parties != DEFAULT_PARTIES:
            parts.append(f"parties: {self.parties}")
        if self.include:
            parts.append("with " + ", ".join(self.include))
        if self.terms:
            parts.append("terms " + ", ".join(f"{name}: {_shown(value)}" for name, value in self.terms))
        if self.positions:
            parts.append("positions " + ", ".join(f"{cid}: {pos}" for cid, pos in self.positions))
        return ", ".join(parts)


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass(frozen=True, slots=True)
class Built:
    """What one lint build found, and which clause positions it rendered."""

    problems: tuple[Problem, ...]
    rendered: tuple[tuple[str, str], ...]
    planned: bool = True
    """False when the build stopped before its plan was complete."""


def _outline(library: Library, deal_type: DealTypeSpec) -> list[tuple[str, str, bool]]:
    return [e for doc in library.documents_of(deal_type) for e in outline_entries(doc)]


def first_variants(library: Library, renderer: Renderer, only: Collection[str] | None = None) -> list[Variant]:
    """Every deal type × stance × party set, × optional clause, × scenario."""
    variants: list[Variant] = []
    for type_id, sourced in sorted(library.deal_types.items()):
        if only is not None and type_id not in only:
            continue
        spec: DealTypeSpec = sourced.spec
        entries = _outline(library, spec)
        size = len(entries)
        optional = sorted({cid for _w, cid, opt in entries if opt and library.clauses[cid].spec.applies_to(type_id)})
        scenarios = when_scenarios(library, spec, renderer)
        for stance in spec.stance_names():
            variants += [Variant(type_id, stance, name, size=size) for name in party_sets(spec)]
            variants += [Variant(type_id, stance, include=(cid,), lenient=True, size=size) for cid in optional]
            variants += [Variant(type_id, stance, terms=terms, size=size) for terms in scenarios]
    return variants


def coverage_variants(
    library: Library, variants: list[Variant], results: list[Built], only: Collection[str] | None = None
) -> tuple[list[Variant], list[Problem]]:
    """Builds that render the positions no first build rendered, and a
    warning for a clause no build could include."""
    rendered = {pair for built in results for pair in built.rendered}
    # A deal type whose builds stopped before planning has its errors reported already.
    unplanned = {variant.type_id for variant, built in zip(variants, results, strict=True) if not built.planned}
    base: dict[str, Variant] = {}
    for variant, built in zip(variants, results, strict=True):
        for cid, _pos in built.rendered:
            base.setdefault(cid, variant)
    missing: dict[Variant, list[tuple[str, str]]] = {}
    problems: list[Problem] = []
    for cid, clause in sorted(library.clauses.items()):
        types = _reachable_types(library, cid)
        if not types or (only is not None and not types & set(only)):
            continue  # unused clauses are reported by the reachability check
        for pos in clause.spec.positions:
            if (cid, pos) in rendered:
                continue
            if cid not in base:
                if types & unplanned:
                    break
                problems.append(
                    Problem(
                        "no lint build includes this clause (its conditions are never true with the values lint tries), "
                        "so its text is not checked by building",
                        clause.path, clause.line, cid, "when", "warning",
                    )
                )
                break
            missing.setdefault(base[cid], []).append((cid, pos))
    extra: list[Variant] = []
    for variant, pairs in missing.items():
        rounds: list[dict[str, str]] = []
        for cid, pos in pairs:
            slot = next((r for r in rounds if cid not in r), None)
            if slot is None:
                slot = {}
                rounds.append(slot)
            slot[cid] = pos
        for chosen in rounds:
            include = tuple(sorted({*variant.include, *(c for c in chosen if _optional_in(library, variant.type_id, c))}))
            extra.append(replace(variant, include=include, positions=tuple(sorted(chosen.items())), lenient=True))
    return extra, problems


def _reachable_types(library: Library, clause_id: str) -> set[str]:
    """The deal types whose outline uses a clause that applies to them."""
    return {
        type_id
        for type_id, sourced in library.deal_types.items()
        for _w, cid, _o in _outline(library, sourced.spec)
        if clause_id == cid and library.clauses[cid].spec.applies_to(type_id)
    }


def _optional_in(library: Library, type_id: str, clause_id: str) -> bool:
    return any(cid == clause_id and opt for _w, cid, opt in _outline(library, library.deal_types[type_id].spec))


# -- scenarios -----------------------------------------------------------------


def when_scenarios(library: Library, deal_type: DealTypeSpec, renderer: Renderer) -> list[tuple[tuple[str, Any], ...]]:
    """Values that make each ``when`` of the outline true that the defaults
    leave false, merged into as few scenarios as the conditions allow."""
    expressions: list[str] = []
    for entry in deal_type.documents:
        doc = library.document_spec(entry) if not isinstance(entry, DocumentUse) or entry.use in library.documents else None
        if doc is None:
            continue
        expressions += [w for w in (entry.when, doc.when) if w]
        expressions += [part.when for part in (*doc.articles, *doc.schedules) if part.when]
        for _w, cid, _o in outline_entries(doc):
            clause = library.clauses.get(cid)
            if clause is not None and clause.spec.when and clause.spec.applies_to(deal_type.id):
                expressions.append(clause.spec.when)
    defaults = _default_values(library, deal_type)
    scenarios: list[dict[str, Any]] = []
    for expression in dict.fromkeys(expressions):
        if _holds(renderer, expression, defaults) is not False:
            continue
        for scenario in [*scenarios, {}]:
            found = _solve(library, renderer, expression, defaults, scenario)
            if found is not None:
                if scenario:
                    scenario.update(found)
                else:
                    scenarios.append(found)
                break
    return [tuple(sorted(s.items())) for s in scenarios]


def _default_values(library: Library, deal_type: DealTypeSpec) -> dict[str, Any]:
    values = {name: var.default for name, var in library.variables.items() if var.default is not None}
    values.update(deal_type.defaults)
    return values


def _holds(renderer: Renderer, expression: str, values: dict[str, Any]) -> bool | None:
    try:
        return bool(renderer.expression(expression)(**values))
    except Exception:  # an expression lint cannot evaluate with plain values
        return None


def _solve(library: Library, renderer: Renderer, expression: str, defaults: dict[str, Any], fixed: dict[str, Any]) -> dict[str, Any] | None:
    """An assignment of the expression's boolean and choice variables that
    makes it true, keeping ``fixed``; None when there is none."""
    try:
        names = sorted(renderer.expression_names(expression))
    except Exception:
        return None
    free = [n for n in names if n not in fixed and n in library.variables and library.variables[n].type in _SEARCHED]
    domains = [_domain(library.variables[n], defaults.get(n)) for n in free]
    for count, combo in enumerate(itertools.product(*domains)):
        if count >= _MAX_ASSIGNMENTS:
            break
        values = {**defaults, **fixed, **dict(zip(free, combo, strict=True))}
        if _holds(renderer, expression, values):
            chosen = {n: values[n] for n in names if n in library.variables and library.variables[n].type in _SEARCHED}
            return {**fixed, **chosen}
    return None


_SEARCHED = ("boolean", "choice", "list")


def _domain(var: VariableSpec, default: Any) -> list[Any]:
    """The values lint tries for a variable a condition reads."""
    if var.type == "boolean":
        return [True, False]
    if var.type == "choice":
        return list(var.choices or [])
    item = sample_value(var.items) if var.items is not None else None
    return [default if default is not None else [], [] if item is None else [item]]


def sample_value(var: VariableSpec) -> Any:
    """A valid value of a variable, for a list item a condition needs."""
    if var.default is not None:
        return var.default
    low = var.min if var.min is not None else 1
    samples: dict[str, Any] = {
        "string": "Sample", "text": "Sample text.", "boolean": True, "date": "2027-01-04", "percent": 10,
        "integer": low, "number": low, "money": max(low, 1000), "days": low, "business_days": low,
        "hours": low, "months": low, "years": low,
    }
    if var.type in samples:
        return samples[var.type]
    if var.type == "choice":
        return var.choices[0] if var.choices else None
    if var.type == "object" and var.fields:
        return {name: sample_value(field) for name, field in var.fields.items()}
    if var.type == "list" and var.items is not None:
        return [sample_value(var.items)]
    return None


# -- one build ------------------------------------------------------------------


def _deal_yaml(data: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def build_variant(library: Library, renderer: Renderer, variant: Variant) -> Built:
    """Build one variant; its problems name the build they came from."""
    spec = library.deal_types[variant.type_id].spec
    data = sample_deal(library, spec, variant.stance)
    data["parties"] = party_sets(spec)[variant.parties]
    data["include"] = list(variant.include)
    if variant.positions:
        data["positions"] = dict(variant.positions)
    if variant.terms:
        data["terms"] = dict(variant.terms)
    label = variant.label()
    problems: list[Problem] = []
    rendered: tuple[tuple[str, str], ...] = ()
    planned = False
    try:
        deal = parse_deal(_deal_yaml(data), library, f"<{label}>")
        logic: list[Problem] = []
        plan = make_plan(deal, library, renderer, logic=logic)
        rendered = tuple((p.id, p.position) for p in plan.clauses())
        planned = True
        try:
            built = assemble(plan, library, renderer, BuildOptions(), check_only=True)
            problems += [_located(library, problem, label) for problem in _optional_blanks(library, built.documents)]
        finally:
            problems += [_located(library, problem, label) for problem in logic]
    except DealdraftError as exc:
        for problem in exc.problems:
            if variant.lenient and (problem.field in _DEAL_CHOICE_FIELDS or problem.message.startswith("a value is required")):
                continue
            if problem.severity != "error":
                continue
            problems.append(_located(library, problem, label))
    return Built(tuple(problems), rendered, planned)


def _optional_blanks(library: Library, documents: tuple[Document, ...]) -> list[Problem]:
    """A variable declared ``optional`` that a text still shows as ``[●]``
    when it is left empty: the text lacks the fallback the variable promises."""
    holders: list[tuple[str, object]] = []
    for document in documents:
        holders += [(section.clause_id, section) for section in document.preamble]
        parts: list[Article | Schedule] = [*document.articles, *document.schedules]
        for part in parts:
            holders.append((part.clause_id, part.blocks))
            holders += [(section.clause_id, section) for section in part.sections]
    problems: list[Problem] = []
    for clause_id, node in holders:
        if not clause_id:
            continue
        for name in collect_blanks([node]):
            base = name.split(".")[0]
            var = library.variables.get(base)
            if var is not None and var.optional:
                problems.append(Problem(
                    f"variable {base!r} is optional (left empty, its texts fall back on wording of their own), "
                    f"but this text shows it as a blank [●]: give the text its fallback ({{% if {base} %}}…{{% else %}}…{{% endif %}})",
                    clause=clause_id, field="variables." + base,
                ))
    return problems


def _located(library: Library, problem: Problem, label: str) -> Problem:
    """A build problem pointed at its clause's file, naming the build."""
    clause = library.clauses.get(problem.clause)
    if clause is not None:
        problem = replace(problem, path=clause.path, line=clause.line)
    elif problem.path.startswith("<"):
        sourced = next((s for s in library.deal_types.values() if label.startswith(f"{s.spec.id} deal")), None)
        if sourced is not None:
            problem = replace(problem, path=sourced.path, line=sourced.line)
    article = "an" if label[:1] in "aeiou" else "a"
    return replace(problem, message=f"{problem.message} (building {article} {label})")


__all__ = ["Built", "Variant", "build_variant", "coverage_variants", "first_variants", "when_scenarios"]
