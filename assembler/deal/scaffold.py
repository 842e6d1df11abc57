"""``dealdraft new``: a deal file with every variable of a deal type, its
default and a comment; and the sample deal ``show`` and ``lint`` render with.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from assembler.library.deal_type_schema import DealTypeSpec
from assembler.library.declarations import stance_position
from assembler.library.model import Library, outline_entries
from assembler.library.schema import VariableSpec
from assembler.library.yamlio import plain

SAMPLE_PARTIES: dict[str, dict[str, str]] = {
    "pharma": {
        "legal_name": "Nordhaven Pharmaceuticals AG",
        "short_name": "Nordhaven",
        "entity_type": "a company incorporated under the laws of Switzerland",
        "address": "Rheinweg 12, 4058 Basel, Switzerland",
    },
    "partner": {
        "legal_name": "Helixa Bio Ltd",
        "short_name": "Helixa",
        "entity_type": "a company incorporated in England and Wales",
        "address": "40 Station Road, Cambridge CB1 2JH, United Kingdom",
    },
    "academic": {
        "legal_name": "University of Northmoor",
        "short_name": "Northmoor",
        "entity_type": "a university established by royal charter",
        "address": "1 College Lane, Northmoor NM1 1AA, United Kingdom",
    },
    "hospital": {
        "legal_name": "St Aldric University Hospital",
        "short_name": "St Aldric",
        "entity_type": "a public hospital",
        "address": "Spitalgasse 3, 1090 Vienna, Austria",
    },
    "sme": {
        "legal_name": "Quantilab GmbH",
        "short_name": "Quantilab",
        "entity_type": "a limited liability company incorporated in Germany",
        "address": "Hafenstrasse 7, 20457 Hamburg, Germany",
    },
}


def neutral_party(role: str, number: int = 1) -> dict[str, str]:
    """A sample party for a role: the named sample for the usual roles, a
    neutral one made from the role's name for any other ("Licensor Party
    Ltd"); ``number`` tells apart several parties of one role."""
    base = SAMPLE_PARTIES.get(role)
    if base is None:
        words = role.replace("_", " ").title()
        base = {
            "legal_name": f"{words} Party Ltd",
            "short_name": words,
            "entity_type": "a company incorporated in England and Wales",
            "address": "1 Sample Street, London EC1A 1AA, United Kingdom",
        }
    party = {"role": role, **base}
    if number > 1:
        party["short_name"] += f" {number}"
        party["legal_name"] += f" {number}"
    return party


def _numbered(roles: list[str], deal_type: DealTypeSpec | None = None) -> list[dict[str, str]]:
    seen: dict[str, int] = {}
    parties = []
    for role in roles:
        seen[role] = seen.get(role, 0) + 1
        declared = declared_party(deal_type, role) if deal_type is not None else None
        if declared is None:
            parties.append(neutral_party(role, seen[role]))
            continue
        party = {"role": role, **declared}
        if seen[role] > 1:
            party["short_name"] += f" {seen[role]}"
            party["legal_name"] += f" {seen[role]}"
        parties.append(party)
    return parties


def one_per_role(deal_type: DealTypeSpec) -> bool:
    """Whether every deal of the type has exactly one party of each role."""
    return deal_type.parties.max == len(deal_type.parties.roles)


def sample_parties(deal_type: DealTypeSpec) -> list[dict[str, str]]:
    """One party per role of the deal type (at least its minimum number); a
    deal type that takes more parties than it has roles gets one role twice,
    so that clause text never assumes one party per role."""
    roles = list(deal_type.parties.roles)
    count = max(deal_type.parties.min, min(len(roles), deal_type.parties.max))
    if deal_type.parties.max > len(roles):
        count = max(count, len(roles) + 1)
    chosen = [roles[index] if index < len(roles) else roles[min(1, len(roles) - 1)] for index in range(count)]
    return _numbered(chosen, deal_type)


def party_sets(deal_type: DealTypeSpec) -> dict[str, list[dict[str, str]]]:
    """The sets of sample parties lint builds a deal type with, by name.

    Where a deal has exactly one party of each role, one set. Otherwise also
    every role twice (as far as the maximum allows), so that ``party(role)``
    for a role that may repeat is caught, and only the roles a deal must
    have (padded to the minimum), so that text presuming an optional role is
    caught.
    """
    sets = {"one party per role": sample_parties(deal_type)}
    if one_per_role(deal_type):
        return sets
    rules = deal_type.parties
    roles = list(rules.roles)
    twice = [role for role in roles for _ in range(2)][: rules.max]
    twice = sorted(twice, key=roles.index)
    sets["two parties per role"] = _numbered(twice, deal_type)
    required = [role for role in roles if role == "pharma"] or roles[:1]
    rest = [role for role in roles if role not in required]
    minimal = required + rest[: max(0, rules.min - len(required))]
    while len(minimal) < rules.min:
        minimal.append(required[0])
    sets["only the required roles"] = _numbered(minimal, deal_type)
    return sets


def declared_party(deal_type: DealTypeSpec, role: str) -> dict[str, str] | None:
    """The sample party of a role as the deal type declares it: its ``sample``,
    or a neutral party named after its ``label``; None where it declares
    neither (:func:`neutral_party` then names one after the role)."""
    detail = deal_type.parties.details.get(role)
    if detail is None:
        return None
    if detail.sample is not None:
        return dict(detail.sample.model_dump())
    if not detail.label:
        return None
    words = " ".join(word[:1].upper() + word[1:] for word in detail.label.split())
    return {**neutral_party(role), "legal_name": f"{words} Party Ltd", "short_name": words}


def deal_type_variables(library: Library, deal_type: DealTypeSpec) -> dict[str, tuple[VariableSpec, str]]:
    """Every variable the clauses of a deal type's outline read, in outline order."""
    found: dict[str, tuple[VariableSpec, str]] = {}
    for doc in library.documents_of(deal_type):
        for _where, clause_id, _optional in outline_entries(doc):
            clause = library.clauses.get(clause_id)
            if clause is None or not clause.spec.applies_to(deal_type.id):
                continue
            for name, var in clause.spec.variables.items():
                found.setdefault(name, (var, clause_id))
    return found


def sample_deal(library: Library, deal_type: DealTypeSpec, stance: str = "balanced") -> dict[str, Any]:
    """A minimal valid deal for a deal type (used by ``show`` and ``lint``)."""
    return {
        "deal_type": deal_type.id,
        "parties": sample_parties(deal_type),
        "effective_date": dt.date(2027, 1, 4),
        "date": dt.date(2026, 11, 23),
        "stance": stance,
    }


def _describe(var: VariableSpec, clause_id: str) -> str:
    parts = [var.description.strip() or var.type]
    detail: list[str] = [var.type]
    if var.choices:
        detail.append("one of " + ", ".join(var.choices))
    if var.min is not None:
        detail.append(f"min {var.min:g}" if isinstance(var.min, float) else f"min {var.min}")
    if var.max is not None:
        detail.append(f"max {var.max:g}" if isinstance(var.max, float) else f"max {var.max}")
    if var.required:
        detail.append("required")
    if var.optional:
        detail.append("optional")
    parts.append(f"({'; '.join(detail)}; clause {clause_id})")
    return " ".join(" ".join(parts).split())


def _value_yaml(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000, sort_keys=False).strip()
    return text.removesuffix("\n...").strip()


def new_deal_text(library: Library, deal_type: DealTypeSpec, stance: str = "balanced") -> str:
    """A commented deal file with every variable of the deal type."""
    lines = [
        "# yaml-language-server: $schema=./deal.schema.json",
        f"# {deal_type.name} — a deal file written by `dealdraft new {deal_type.id}`.",
        "# Fill in the parties and terms; every variable below shows its default.",
        "# Build it with: dealdraft build THIS_FILE -o out/ --format docx,pdf",
        f"deal_type: {deal_type.id}",
        "parties:",
    ]
    for party in sample_parties(deal_type):
        detail = deal_type.parties.details.get(party["role"])
        label = f"  # {detail.label}" if detail is not None and detail.label else ""
        lines.append(f"  - role: {party['role']}{label}")
        for key in ("legal_name", "short_name", "entity_type", "address"):
            lines.append(f"    {key}: {_value_yaml(party[key])}")
    lines += [
        "effective_date: 2027-01-04",
        "date: 2026-11-23              # the draft's date: cover page and document properties",
        "governing_law: england_wales",
        "currency: USD",
        f"stance: {stance}               # {' | '.join(deal_type.stance_names())}",
        "positions: {}                 # clause id: position, to override the stance for one clause",
        "include: []                   # optional clauses to add",
        "exclude: []                   # clauses to leave out",
        "terms:",
    ]
    variables = deal_type_variables(library, deal_type)
    if not variables:
        lines[-1] = "terms: {}"
    for name, (var, clause_id) in variables.items():
        lines.append(f"  # {_describe(var, clause_id)}")
        by_stance = {} if name in deal_type.defaults else stance_defaults(library, deal_type, name)
        default = deal_type.defaults.get(name, var.default)
        if by_stance:
            # pinning a stance-dependent value here would defeat a later change of stance
            shown = " · ".join(f"{stance} {_value_yaml(plain(value))}" for stance, value in by_stance.items())
            lines.append(f"  # set by the stance ({shown}); uncomment to fix it:")
            lines.append(f"  # {name}: {_value_yaml(plain(by_stance.get(stance, default)))}")
        elif default is None and var.optional:
            lines.append(f"  # {name}:                 # optional: left empty, the text says what applies (see above)")
        elif default is None:
            lines.append(f"  # {name}:                 # no default: renders as [●] until given")
        else:
            lines.append(f"  {name}: {_value_yaml(plain(default))}")
    return "\n".join(lines) + "\n"


def stance_defaults(library: Library, deal_type: DealTypeSpec, name: str) -> dict[str, Any]:
    """A variable's value under each stance, when its clauses' positions set it."""
    for doc in library.documents_of(deal_type):
        for _where, clause_id, _optional in outline_entries(doc):
            clause = library.clauses.get(clause_id)
            if clause is None or name not in clause.spec.variables:
                continue
            positions = clause.spec.positions
            if not any(name in p.defaults for p in positions.values()):
                continue
            base = clause.spec.variables[name].default
            chosen = {stance: _position(deal_type, stance, clause_id, positions) for stance in deal_type.stance_names()}
            return {stance: positions[position].defaults.get(name, base) if position else base for stance, position in chosen.items()}
    return {}


def _position(deal_type: DealTypeSpec, stance: str, clause_id: str, positions: dict[str, Any]) -> str:
    if not deal_type.stances:
        # today's reading: the position named like the stance, else the variable's own default
        return stance if stance in positions else ""
    return stance_position(deal_type.stances, stance, clause_id, positions)[0]
