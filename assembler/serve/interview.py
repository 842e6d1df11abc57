"""The interview: a deal type's schema turned into form fields.

Fields come from ``deal_schema`` (the same JSON Schema ``dealdraft schema``
prints: descriptions, defaults, bounds, choices) and the variables' types
(units). Roles come from the deal type, stances from the deal-file model and
positions from each clause's own ``positions``: nothing here names a role,
stance or position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assembler.deal.jsonschema import deal_schema
from assembler.deal.scaffold import deal_type_variables, stance_defaults
from assembler.library.deal_type_schema import DealTypeSpec, DocumentSpec, OutlineClause
from assembler.library.model import Library
from assembler.library.schema import GOVERNING_LAWS

from .form import PARTY_FIELDS, value_text

_UNITS = {
    "days": "days", "business_days": "Business Days", "hours": "hours", "months": "months",
    "years": "years", "percent": "%",
}
_NUMBERS = {"integer", "number", "percent", *_UNITS}


@dataclass(slots=True)
class Field:
    """One input of the interview."""

    name: str
    label: str
    widget: str
    """text · textarea · yaml · number · date · select"""
    value: str = ""
    placeholder: str = ""
    help: str = ""
    unit: str = ""
    minimum: Any = None
    maximum: Any = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    required: bool = False
    source: str = ""
    """The clause that declares it (terms)."""


@dataclass(slots=True)
class Group:
    title: str
    fields: list[Field]


@dataclass(slots=True)
class ClauseChoice:
    """A clause of the outline whose position or inclusion can be chosen."""

    clause_id: str
    title: str
    positions: list[str]
    position: str
    optional: bool
    included: bool


@dataclass(slots=True)
class ClauseGroup:
    title: str
    clauses: list[ClauseChoice]


@dataclass(slots=True)
class Interview:
    deal_type: DealTypeSpec
    general: list[Field]
    parties: list[list[Field]]
    party_min: int
    party_max: int
    terms: list[Group]
    clauses: list[ClauseGroup]
    exclude: list[str]


_SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {}


def schema_of(library: Library, deal_type: str) -> dict[str, Any]:
    """The deal type's JSON Schema (cached per library content)."""
    key = (library.fingerprint, deal_type)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = deal_schema(library, deal_type)
    return _SCHEMAS[key]


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _law_ids(law: dict[str, Any]) -> list[str]:
    """The governing laws known by id (the schema also allows a law written out)."""
    return list(law.get("enum") or next((branch["enum"] for branch in law.get("anyOf", []) if "enum" in branch), []))


def _general(schema: dict[str, Any], data: dict[str, Any]) -> list[Field]:
    props = schema["properties"]
    stance = props["stance"]
    law = props["governing_law"]
    return [
        Field("stance", "Stance", "select", str(data.get("stance", stance["default"])), choices=[(s, s) for s in stance["enum"]],
              help="The side whose positions the draft takes, clause by clause, unless a clause says otherwise."),
        Field("governing_law", "Governing law", "select", str(data.get("governing_law", law["default"])),
              choices=[(key, GOVERNING_LAWS.get(key, key)) for key in _law_ids(law)]),
        Field("currency", "Currency", "text", str(data.get("currency", "")), placeholder=props["currency"]["default"],
              help="Three-letter code (USD, EUR, CHF)."),
        Field("effective_date", "Effective date", "date", value_text(data.get("effective_date"))),
        Field("date", "Date of the draft", "date", value_text(data.get("date")), help="Cover page and document properties."),
        Field("title", "Title of the agreement", "text", str(data.get("title") or ""), placeholder="the deal type's title"),
        Field("draft_version", "Draft version", "text", str(data.get("draft_version", "")), placeholder=props["draft_version"]["default"]),
        Field("marking", "Marking", "text", str(data.get("marking", "")), placeholder=props["marking"]["default"]),
    ]


def party_fields(schema: dict[str, Any], deal_type: DealTypeSpec, index: int, party: dict[str, Any]) -> list[Field]:
    props = schema["$defs"]["PartySpec"]["properties"]
    required = set(schema["$defs"]["PartySpec"].get("required", []))
    fields = []
    for key in PARTY_FIELDS:
        name = f"parties[{index}].{key}"
        label = props[key].get("title", _label(key))
        if key == "role":
            roles = list(deal_type.parties.roles)
            role = str(party.get("role") or roles[index % len(roles)])
            fields.append(Field(name, label, "select", role, choices=[(r, r) for r in roles], required=True))
        else:
            fields.append(Field(name, label, "textarea" if key == "address" else "text", str(party.get(key) or ""), required=key in required))
    return fields


def _term_field(name: str, spec: dict[str, Any], var: Any, clause_id: str, value: Any, default: Any, by_stance: dict[str, Any]) -> Field:
    kind = var.type
    placeholder = value_text(default, kind) if default is not None else ""
    help_text = spec.get("description", "")
    if by_stance:
        help_text += " Set by the stance: " + ", ".join(f"{s} {value_text(v, kind)}" for s, v in by_stance.items()) + "."
        placeholder = ""
    unit = _UNITS.get(kind, "")
    if kind == "money":
        unit = "amount, or e.g. EUR 5,000,000"
    item = Field(f"terms.{name}", _label(name), "text", value_text(value, kind), placeholder=placeholder, help=help_text.strip(),
                 unit=unit, minimum=spec.get("minimum"), maximum=spec.get("maximum"), required=bool(var.required), source=clause_id)
    if kind in ("choice",) and "enum" in spec:
        item.widget = "select"
        item.choices = [("", f"default ({placeholder})" if placeholder else "—")] + [(c, c) for c in spec["enum"]]
    elif kind == "boolean":
        item.widget = "select"
        item.choices = [("", f"default ({placeholder})" if placeholder else "—"), ("true", "yes"), ("false", "no")]
    elif kind == "text":
        item.widget = "textarea"
    elif kind == "list":
        item.widget = "yaml"
        item.unit = "one item per line, starting with “- ”"
    elif kind == "date":
        item.widget = "date"
    elif kind in _NUMBERS:
        item.widget = "number"
    return item


def _outline(doc: DocumentSpec) -> list[tuple[str, list[tuple[str, bool]]]]:
    """(heading, [(clause id, optional)]) for the preamble, each article and schedule."""
    parts: list[tuple[str, list[tuple[str, bool]]]] = []
    if doc.preamble:
        parts.append(("Preamble", [_entry(e) for e in doc.preamble]))
    for article in (*doc.articles, *doc.schedules):
        entries = ([(article.clause, False)] if article.clause else []) + [_entry(e) for e in article.clauses]
        parts.append((article.title or "", entries))
    return parts


def _entry(entry: str | OutlineClause) -> tuple[str, bool]:
    return (entry.id, entry.optional) if isinstance(entry, OutlineClause) else (entry, False)


def _of(data: dict[str, Any], key: str, kind: type) -> Any:
    """``data[key]`` when it has the expected kind (a hand-written file may not), else an empty one."""
    value = data.get(key)
    return value if isinstance(value, kind) else kind()


def build_interview(library: Library, deal_type: DealTypeSpec, data: dict[str, Any]) -> Interview:
    """The interview of a deal type, filled with a deal's data."""
    schema = schema_of(library, deal_type.id)
    term_specs = schema["properties"]["terms"]["properties"]
    variables = deal_type_variables(library, deal_type)
    terms: dict[str, Any] = _of(data, "terms", dict)
    positions: dict[str, Any] = _of(data, "positions", dict)
    include = set(_of(data, "include", list))
    parties = [p for p in _of(data, "parties", list) if isinstance(p, dict)]
    seen: set[str] = set()
    term_groups: list[Group] = []
    clause_groups: list[ClauseGroup] = []
    for doc in library.documents_of(deal_type):
        for heading, entries in _outline(doc):
            fields: list[Field] = []
            choices: list[ClauseChoice] = []
            for clause_id, optional in entries:
                clause = library.clauses.get(clause_id)
                if clause is None or not clause.spec.applies_to(deal_type.id):
                    continue
                title = heading or clause.spec.title
                for name, var in clause.spec.variables.items():
                    if name in seen or name not in variables:
                        continue
                    seen.add(name)
                    default = deal_type.defaults.get(name, var.default)
                    by_stance = {} if name in deal_type.defaults else stance_defaults(library, deal_type, name)
                    fields.append(_term_field(name, term_specs.get(name, {}), var, clause_id, terms.get(name), default, by_stance))
                if len(clause.spec.positions) > 1 or optional:
                    choices.append(ClauseChoice(
                        clause_id, clause.spec.title, list(clause.spec.positions), str(positions.get(clause_id, "")),
                        optional, clause_id in include,
                    ))
            if fields:
                term_groups.append(Group(f"{doc.title} · {title}", fields))
            if choices:
                clause_groups.append(ClauseGroup(f"{doc.title} · {heading or 'Clauses'}", choices))
    extra = [name for name in terms if name not in seen]
    if extra:
        term_groups.append(Group("Other terms in the deal file", [
            Field(f"terms.{name}", _label(name), "yaml", value_text(terms[name]), help="Not read by this deal type's clauses.") for name in extra
        ]))
    count = max(len(parties), deal_type.parties.min)
    party_list = [party_fields(schema, deal_type, i, parties[i] if i < len(parties) else {}) for i in range(count)]
    exclude = [c for c in _of(data, "exclude", list) if isinstance(c, str)]
    return Interview(deal_type, _general(schema, data), party_list, deal_type.parties.min, deal_type.parties.max, term_groups, clause_groups, exclude)
