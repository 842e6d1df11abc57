"""Lint rules over the logic between clauses, read from the library's metadata.

- every concept a clause relies on is provided somewhere in the library;
- a position's ``favours`` is a role of its deal types, and the ``pharma``
  and ``partner`` positions favour the roles their stance argues for;
- a deal type whose clauses survive the Term lists them with ``surviving()``,
  in every position of the clause that lists them;
- variables that govern one period (``period:``) take one value in each
  stance of a deal type, and no text types that period as a literal number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from assembler.base.errors import Problem

from .deal_type_schema import DealTypeSpec
from .declarations import stance_position
from .model import Clause, Library, outline_entries
from .schema import concept_name
from .validation import closest

NEUTRAL = "neutral"


def _problem(clause: Clause, field: str, message: str, severity: str = "error") -> Problem:
    return Problem(message, clause.path, clause.line, clause.id, field, severity)  # type: ignore[arg-type]


def _outline_clauses(library: Library, deal_type: DealTypeSpec) -> list[Clause]:
    """The clauses of a deal type's outline that apply to it, once each."""
    seen: dict[str, Clause] = {}
    for doc in library.documents_of(deal_type):
        for _where, clause_id, _optional in outline_entries(doc):
            clause = library.clauses.get(clause_id)
            if clause is not None and clause.spec.applies_to(deal_type.id):
                seen.setdefault(clause_id, clause)
    return list(seen.values())


def _deal_types_of(library: Library, clause: Clause) -> list[DealTypeSpec]:
    return [s.spec for _id, s in sorted(library.deal_types.items()) if clause.spec.applies_to(s.spec.id)]


# -- concepts --------------------------------------------------------------------


def concept_names(library: Library) -> tuple[set[str], set[str]]:
    """(provided, relied on): every concept name the library mentions."""
    provided: set[str] = {c for s in library.deal_types.values() for c in s.spec.provides}
    relied: set[str] = set()
    for clause in library.clauses.values():
        spec = clause.spec
        provided.update(map(concept_name, spec.provides))
        relied.update(map(concept_name, spec.relies_on))
        for pos in spec.positions.values():
            provided.update(map(concept_name, pos.provides))
            relied.update(map(concept_name, pos.relies_on))
    return provided, relied


def unknown_concepts(library: Library) -> Iterator[Problem]:
    """A concept relied on that nothing in the library provides is most likely a typo."""
    provided, _relied = concept_names(library)
    for _id, clause in sorted(library.clauses.items()):
        spec = clause.spec
        fields = [("relies_on", spec.relies_on)] + [(f"positions.{n}.relies_on", p.relies_on) for n, p in spec.positions.items()]
        for field, uses in fields:
            for name in map(concept_name, uses):
                if name not in provided:
                    yield _problem(
                        clause, field,
                        f"relies on {name!r}, which no clause or deal type of the library provides" + closest(name, provided),
                    )


# -- stance sides ----------------------------------------------------------------


def favoured_sides(library: Library) -> Iterator[Problem]:
    """``favours`` names a role of the clause's deal types, and a stance
    position favours a role its stance argues for (or is neutral)."""
    for _id, clause in sorted(library.clauses.items()):
        types = _deal_types_of(library, clause)
        roles = {role for spec in types for role in spec.parties.roles}
        for name in clause.spec.positions:
            favours = clause.spec.favoured(name)
            if favours is None or favours == NEUTRAL:
                continue
            field = f"positions.{name}.favours" if clause.spec.positions[name].favours else f"favours.{name}"
            if favours not in roles:
                yield _problem(
                    clause, field,
                    f"favours {favours!r}, which is not a role of its deal types ({', '.join(sorted(roles))}) nor 'neutral'"
                    + closest(favours, roles),
                )
                continue
            wrong = [spec for spec in types if (side := spec.side_roles(name)) and favours not in side]
            if wrong and any(name in spec.stance_names() for spec in wrong):
                sides = sorted({role for spec in wrong for role in spec.side_roles(name)})
                yield _problem(
                    clause, field,
                    f"the {name} position favours {favours!r}, but the {name} stance argues for "
                    f"{' or '.join(repr(r) for r in sides)} in {', '.join(spec.id for spec in wrong)} deals: "
                    "the text may be written for the wrong side",
                )


_RESTRICTION = r"party\(\s*'{role}'\s*\)\s*\}}\}}(?:'s [\w ]{{1,30}}?)? (?:(?:shall|may|must) not|has no right|is not entitled)\b"


def _restrictions(text: str, role: str) -> int:
    return len(re.findall(_RESTRICTION.format(role=re.escape(role)), text))


def wrong_side_text(library: Library) -> Iterator[Problem]:
    """A heuristic for a text written for the wrong side: compared with the
    balanced text, a position puts more new restrictions ("X shall not", "X
    may not", "X has no right") on the role it favours than on the other."""
    for _id, clause in sorted(library.clauses.items()):
        spec = clause.spec
        if "balanced" not in spec.positions:
            continue
        favoured = {name: spec.favoured(name) for name in spec.positions}
        sides = {role for role in favoured.values() if role and role != NEUTRAL}
        if len(sides) != 2:
            continue
        balanced = spec.positions["balanced"].text
        for name, role in favoured.items():
            if not role or role == NEUTRAL:
                continue
            (other,) = sides - {role}
            text = spec.positions[name].text
            own = _restrictions(text, role) - _restrictions(balanced, role)
            theirs = _restrictions(text, other) - _restrictions(balanced, other)
            if own > 0 and own > theirs:
                yield _problem(
                    clause, f"positions.{name}.text",
                    f"the {name} position favours {role!r} but adds more restrictions on {role!r} than on {other!r} "
                    f"({own} against {max(theirs, 0)}) compared with the balanced text: is it written for the wrong side?",
                    "warning",
                )


# -- survival ----------------------------------------------------------------------

_LISTS_SURVIVORS = re.compile(r"\bsurviving\(\s*\)")


def survival_listed(library: Library) -> Iterator[Problem]:
    """Clauses that survive are listed by a survival clause, in all its positions."""
    for type_id, sourced in sorted(library.deal_types.items()):
        clauses = _outline_clauses(library, sourced.spec)
        survivors = [c.id for c in clauses if c.spec.survives]
        listers = [c for c in clauses if any(_LISTS_SURVIVORS.search(p.text) for p in c.spec.positions.values())]
        if survivors and not listers:
            hand = [c.id for c in clauses if c.id.endswith("survival") or c.spec.title.strip().lower() == "survival"]
            yield Problem(
                f"clauses {', '.join(survivors[:4])}{' …' if len(survivors) > 4 else ''} survive the Term (survives: true), "
                f"but no clause of a {type_id} deal lists them with surviving()"
                + (f"; clause {' or '.join(hand)} lists survivors by hand" if hand else ""),
                sourced.path, sourced.line, field="documents",
            )
    for _id, clause in sorted(library.clauses.items()):
        texts = clause.spec.positions
        listing = [name for name, pos in texts.items() if _LISTS_SURVIVORS.search(pos.text)]
        for name in texts:
            if listing and name not in listing:
                yield _problem(
                    clause, f"positions.{name}.text",
                    f"does not list the surviving clauses with surviving(), as its {listing[0]} position does",
                )


_AFTER_END = re.compile(
    r"after (?:its|their) (?:expiry|termination)|after (?:the )?(?:expiry|termination|end) of (?:this Agreement|the \{\{ term\('Term'\) \}\})"
    r"|(?:on|after) (?:the )?(?:expiry or termination|termination or expiry)(?: of this Agreement)?\b",
    re.I,
)


def survival_hint(library: Library) -> Iterator[Problem]:
    """A text that applies after expiry or termination belongs in the survival list.

    Only in a library whose survival clauses list the survivors with
    ``surviving()``; the clauses that list them are not asked to survive."""
    texts = [pos.text for c in library.clauses.values() for pos in c.spec.positions.values()]
    if not any(_LISTS_SURVIVORS.search(text) for text in texts):
        return
    for _id, clause in sorted(library.clauses.items()):
        spec = clause.spec
        if spec.survives or any(_LISTS_SURVIVORS.search(p.text) for p in spec.positions.values()):
            continue
        for name, pos in spec.positions.items():
            found = _AFTER_END.search(pos.text)
            if found:
                yield _problem(
                    clause, "survives",
                    f"its {name} text applies {found.group(0)!r}, but the clause does not say survives: true, "
                    "so the survival clause does not list it",
                )
                break


# -- periods -----------------------------------------------------------------------


def _value_in(library: Library, deal_type: DealTypeSpec, clause: Clause, name: str, stance: str) -> Any:
    """A variable's default in a deal type under a stance, as a build resolves it."""
    if name in deal_type.defaults:
        return deal_type.defaults[name]
    positions = clause.spec.positions
    position = deal_type.positions.get(clause.id) or stance_position(deal_type.stances, stance, clause.id, positions)[0]
    if name in positions[position].defaults:
        return positions[position].defaults[name]
    return clause.spec.variables[name].default


def _periods(library: Library, deal_type: DealTypeSpec) -> dict[str, list[tuple[Clause, str]]]:
    found: dict[str, list[tuple[Clause, str]]] = {}
    for clause in _outline_clauses(library, deal_type):
        for name, var in clause.spec.variables.items():
            if var.period:
                found.setdefault(var.period, []).append((clause, name))
    return found


_HOURS = {"hours": 1, "days": 24, "weeks": 168}
_MONTHS = {"months": 1, "years": 12}


def _normal(value: Any, unit: str) -> tuple[str, Any]:
    """A duration in a common unit where one exists (48 hours = 2 days)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit in _HOURS:
            return "hours", value * _HOURS[unit]
        if unit in _MONTHS:
            return "months", value * _MONTHS[unit]
    return unit, repr(value)


def _shown(value: Any, unit: str) -> str:
    words = unit.replace("business_days", "Business Days").replace("_", " ")
    return f"{value} {words}" if isinstance(value, (int, float)) else repr(value)


def period_values(library: Library) -> Iterator[Problem]:
    """Variables that govern one period take one value in every stance."""
    reported: set[frozenset[tuple[str, str]]] = set()
    for type_id, sourced in sorted(library.deal_types.items()):
        spec: DealTypeSpec = sourced.spec
        for period, users in sorted(_periods(library, spec).items()):
            names = sorted({name for _c, name in users})
            if len(names) < 2:
                continue
            for stance in spec.stance_names():
                values = {(c.id, name): (_value_in(library, spec, c, name, stance), c.spec.variables[name].type) for c, name in users}
                if len({_normal(v, unit) for v, unit in values.values()}) < 2:
                    continue
                (first_clause, first), (first_value, first_unit) = next(iter(values.items()))
                for (clause_id, name), (value, unit) in values.items():
                    pair = frozenset({(clause_id, name), (first_clause, first)})
                    if _normal(value, unit) == _normal(first_value, first_unit) or pair in reported:
                        continue
                    reported.add(pair)
                    clause = library.clauses[clause_id]
                    yield _problem(
                        clause, f"variables.{name}",
                        f"governs the {period.replace('_', ' ')} period, like {first} of clause {first_clause}, "
                        f"but is {_shown(value, unit)} where {first} is {_shown(first_value, first_unit)} "
                        f"(a {type_id} deal, stance {stance}); use one variable for one period",
                    )


_LITERAL = re.compile(r"\b(days|business_days|hours|months|years|weeks)\(\s*(\d+)\s*\)")


def _stem(word: str) -> str:
    return word.lower()[:5]


def literal_periods(library: Library) -> Iterator[Problem]:
    """A period typed as a number where a variable governs that period.

    A text that writes ``business_days(10)`` in a sentence that names a
    period some variable of the deal type governs (the words of its
    ``period``, in order: "public statement review") should read that
    variable instead, or the agreement and a plan can state two periods for
    one event."""
    for _id, clause in sorted(library.clauses.items()):
        periods: dict[str, list[tuple[str, str]]] = {}
        for spec in _deal_types_of(library, clause):
            for period, users in _periods(library, spec).items():
                known = periods.setdefault(period, [])
                known += [(c.id, n) for c, n in users if (c.id, n) not in known]
        if not periods:
            continue
        for name, pos in clause.spec.positions.items():
            for match in _LITERAL.finditer(pos.text):
                start = pos.text.rfind(".", 0, match.start()) + 1
                start = max(start, pos.text.rfind("|", 0, match.start()) + 1, pos.text.rfind("\n", 0, match.start()) + 1)
                ends = [i for i in (pos.text.find(".", match.end()), pos.text.find("|", match.end()), pos.text.find("\n", match.end())) if i >= 0]
                sentence = pos.text[start : min(ends) if ends else len(pos.text)]
                words = " ".join(_stem(w) for w in re.findall(r"[A-Za-z]+", sentence))
                for period, governing in sorted(periods.items()):
                    if any(re.search(rf"\b{variable}\b", sentence) for _owner, variable in governing):
                        continue  # the sentence reads the period's variable; the number is another period
                    owner, variable = governing[0]
                    phrase = " ".join(_stem(w) for w in period.split("_"))
                    if re.search(rf"\b{phrase}\b", words):
                        yield _problem(
                            clause, f"positions.{name}.text",
                            f"types the {period.replace('_', ' ')} period as {match.group(0)}, "
                            f"while variable {variable} of clause {owner} governs it; read that variable instead",
                        )
                        break


LOGIC_RULES = [unknown_concepts, favoured_sides, wrong_side_text, survival_listed, survival_hint, period_values, literal_periods]


def logic_rules(library: Library) -> list[Problem]:
    """The problems every logic rule finds."""
    return [problem for check in LOGIC_RULES for problem in check(library)]


__all__ = ["LOGIC_RULES", "NEUTRAL", "concept_names", "logic_rules"]
