"""Lint rules on how clause texts state facts a deal must be able to change.

- ``typed_numbers``: a period, percentage or amount typed into a text instead
  of read from a variable (DRAFTING: "never a typed number");
- ``representation_dates``: representations given "as of the Effective Date"
  in a deal type where a condition precedent moves the Effective Date past
  signature, so nothing is represented when the parties sign;
- ``perpetual_grants``: a perpetual or irrevocable grant in a clause that
  does not survive the Term, so the survival list leaves it out;
- ``concepts_from_deal_types``: a deal fact (a concept) decided from a list
  of deal types instead of ``provided()``;
- ``surviving_reliance``: a clause that survives the Term relies on a concept
  that, in some deal type, only clauses ending with the Term provide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from assembler.base.errors import Problem

from .logic_rules import concept_names
from .model import Clause, Library, outline_entries
from .schema import concept_name

Rule = Callable[[Library], Iterator[Problem]]


def _problem(clause: Clause, field: str, message: str, severity: str = "error") -> Problem:
    return Problem(message, clause.path, clause.line, clause.id, field, severity)  # type: ignore[arg-type]


_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)"
)
_SPELLED = rf"{_NUMBER_WORD}(?:(?:-| and | |, ){_NUMBER_WORD})*"
_TYPED_NUMBERS = [
    re.compile(r"\b(?:days|business_days|hours|weeks|months|years|percent|money)\(\s*\d[\d.]*\s*\)"),
    re.compile(rf"\b{_SPELLED} \(\d[\d,]*\) (?:calendar days|days?|Business Days?|hours?|weeks?|months?|years?)\b", re.I),
    re.compile(rf"\b{_SPELLED} percent \(\d[\d.]*%\)", re.I),
]


def typed_numbers(library: Library) -> Iterator[Problem]:
    """Periods, percentages and amounts come from variables, never typed into a text.

    A number typed into a clause cannot be negotiated in the deal file, is
    invisible to ``dealdraft new`` and the schema, and drifts from the plan
    or the other clause that states the same period."""
    for _id, clause in sorted(library.clauses.items()):
        for position, pos in clause.spec.positions.items():
            for pattern in _TYPED_NUMBERS:
                found = pattern.search(pos.text)
                if found:
                    yield _problem(
                        clause, f"positions.{position}.text",
                        f"types {found.group(0)!r} as a number; read a variable with that default instead, "
                        "so that a deal can change it and every text that states it says the same",
                        "warning",
                    )
                    break


_FROM_SIGNATURE = re.compile(r"\bfrom_signature\(\s*\)")
_AS_OF_EFFECTIVE = re.compile(r"\b(?:represents|warrants)\b[^.]*?\bas of the \{\{ term\('Effective Date'\) \}\}")


def _outline(library: Library, type_id: str) -> list[Clause]:
    spec = library.deal_types[type_id].spec
    found: dict[str, Clause] = {}
    for doc in library.documents_of(spec):
        for _where, clause_id, _optional in outline_entries(doc):
            clause = library.clauses.get(clause_id)
            if clause is not None and clause.spec.applies_to(type_id):
                found.setdefault(clause_id, clause)
    return list(found.values())


def representation_dates(library: Library) -> Iterator[Problem]:
    """Where a clause lists what binds from signature (``from_signature()``),
    the Effective Date may come after signature; representations given only
    "as of the Effective Date" would then say nothing at signing."""
    deferred: dict[str, tuple[Clause, list[str]]] = {}
    for type_id in sorted(library.deal_types):
        clauses = _outline(library, type_id)
        if not any(_FROM_SIGNATURE.search(p.text) for c in clauses for p in c.spec.positions.values()):
            continue
        for clause in clauses:
            deferred.setdefault(clause.id, (clause, []))[1].append(type_id)
    for _clause_id, (clause, types) in sorted(deferred.items()):
        for position, pos in clause.spec.positions.items():
            if _AS_OF_EFFECTIVE.search(pos.text) and "Signature Date" not in pos.text:
                yield _problem(
                    clause, f"positions.{position}.text",
                    "gives representations only 'as of the Effective Date', but in "
                    f"{', '.join(types)} deals a condition precedent can move the Effective Date past signature "
                    "(a clause of the outline lists what binds from_signature()): give them as of the Signature Date "
                    "and again as of the Effective Date",
                )


_LISTS_SURVIVORS = re.compile(r"\bsurviving\(\s*\)")
_PERPETUAL = re.compile(r"\b(?:perpetual|irrevocable)\b", re.I)


def perpetual_grants(library: Library) -> Iterator[Problem]:
    """A right granted for ever outlasts the Term, so its clause survives.

    Only in a library whose survival clauses list the survivors with
    ``surviving()``: there a perpetual licence in a clause that does not say
    ``survives: true`` ends with the Agreement whatever its words say."""
    texts = [pos.text for c in library.clauses.values() for pos in c.spec.positions.values()]
    if not any(_LISTS_SURVIVORS.search(text) for text in texts):
        return
    for _id, clause in sorted(library.clauses.items()):
        if clause.spec.survives:
            continue
        for position, pos in clause.spec.positions.items():
            found = _PERPETUAL.search(pos.text)
            if found:
                yield _problem(
                    clause, "survives",
                    f"its {position} text grants something {found.group(0)!r}, but the clause does not say "
                    "survives: true, so the survival clause does not list it and it ends with the Agreement",
                )
                break


_SET_FROM_DEAL_TYPE = re.compile(r"\{%-?\s*set\s+(\w+)\s*=[^%]*?\b(?:deal\.deal_type|dt)\b[^%]*%\}")


def concepts_from_deal_types(library: Library) -> Iterator[Problem]:
    """A text that decides a deal fact from a list of deal types (``{% set
    final_say = deal.deal_type in [...] %}``) is wrong as soon as a deal leaves
    out the clause that establishes the fact; ``provided('final_say')`` follows
    the deal."""
    provided, relied = concept_names(library)
    concepts = provided | relied
    for _id, clause in sorted(library.clauses.items()):
        for position, pos in clause.spec.positions.items():
            for found in _SET_FROM_DEAL_TYPE.finditer(pos.text):
                if found.group(1) in concepts:
                    yield _problem(
                        clause, f"positions.{position}.text",
                        f"decides {found.group(1)!r} from the deal type; use provided({found.group(1)!r}), "
                        "which follows the clauses the deal includes",
                    )
                    break


def _concepts(clause: Clause, field: str) -> set[str]:
    spec = clause.spec
    names = {concept_name(c) for c in getattr(spec, field)}
    for pos in spec.positions.values():
        names.update(concept_name(c) for c in getattr(pos, field))
    return names


def surviving_reliance(library: Library) -> Iterator[Problem]:
    """What a surviving clause relies on must outlast the Term with it.

    Royalty reports that survive for the sell-off period rely on royalties; if
    the clause that sets the royalties ends with the Term, the surviving
    reports report on nothing. A concept the deal type itself provides, or
    that a surviving clause of the deal provides, is fine."""
    found: dict[tuple[str, str], tuple[Clause, set[str], list[str]]] = {}
    for type_id, sourced in sorted(library.deal_types.items()):
        clauses = _outline(library, type_id)
        providers: dict[str, list[Clause]] = {}
        for clause in clauses:
            for name in _concepts(clause, "provides"):
                providers.setdefault(name, []).append(clause)
        for clause in clauses:
            if not clause.spec.survives:
                continue
            for name in sorted(_concepts(clause, "relies_on")):
                given = providers.get(name, [])
                if name in sourced.spec.provides or not given or any(p.spec.survives for p in given):
                    continue
                entry = found.setdefault((clause.id, name), (clause, set(), []))
                entry[1].update(p.id for p in given)
                entry[2].append(type_id)
    for (_id, name), (clause, ids, types) in sorted(found.items()):
        yield _problem(
            clause, "relies_on",
            f"survives the Term and relies on {name!r}, which in {', '.join(types)} deals only clause "
            f"{' or '.join(sorted(ids))} provides, and it ends with the Term: after the Term this text would speak of "
            "something that no longer applies; let that clause survive too (survives: true)",
            "warning",
        )


DRAFTING_RULES: list[Rule] = [typed_numbers, representation_dates, perpetual_grants, concepts_from_deal_types, surviving_reliance]

__all__ = [
    "DRAFTING_RULES", "concepts_from_deal_types", "perpetual_grants", "representation_dates", "surviving_reliance", "typed_numbers",
]
