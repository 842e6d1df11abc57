"""The shape of clause files: a clause, its positions and its variables,
and the names shared by every input (variable types, governing laws).

Pydantic models with unknown keys forbidden, so a typo never passes silently.
Values that depend on the library (a deal's ``terms``) are checked later, in
``values.py``, against the variables the clauses declare. Deal types and
document outlines are in ``deal_type_schema.py``; deal files in
``assembler/deal/schema.py``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, model_validator

from .declarations import DEFAULT_STANCES, DefinitionSpec
from .fields import (  # noqa: F401 - the basic types are part of this module's interface
    CLAUSE_ID,
    DOC_ID,
    NAME,
    SEMVER,
    Address,
    ClauseId,
    Concept,
    Date,
    Line,
    Name,
    Strict,
    Text,
    check_text,
    one_line,
)

STANCES = DEFAULT_STANCES
"""The stances of a deal type that declares none (``DealTypeSpec.stance_names``)."""

VariableType = Literal[
    "string",
    "text",
    "integer",
    "number",
    "percent",
    "boolean",
    "date",
    "money",
    "days",
    "business_days",
    "hours",
    "months",
    "years",
    "choice",
    "party",
    "list",
    "object",
]
VARIABLE_TYPES: tuple[str, ...] = get_args(VariableType)

GOVERNING_LAWS: dict[str, str] = {
    "england_wales": "the laws of England and Wales",
    "scotland": "the laws of Scotland",
    "ireland": "the laws of Ireland",
    "new_york": "the laws of the State of New York",
    "delaware": "the laws of the State of Delaware",
    "california": "the laws of the State of California",
    "massachusetts": "the laws of the Commonwealth of Massachusetts",
    "switzerland": "the laws of Switzerland",
    "germany": "the laws of the Federal Republic of Germany",
    "france": "the laws of France",
    "netherlands": "the laws of the Netherlands",
    "sweden": "the laws of Sweden",
    "denmark": "the laws of Denmark",
    "belgium": "the laws of Belgium",
    "japan": "the laws of Japan",
    "singapore": "the laws of Singapore",
}


# --- clause library ---------------------------------------------------------


class VariableSpec(Strict):
    """A typed input a clause reads."""

    type: VariableType
    """What kind of value: text, number, amount, duration, date, choice, party role, list or object."""
    description: Text = ""
    """What the value is, for `dealdraft new`, the interview and the JSON Schema."""
    default: Any = None
    """The value when neither the deal nor the deal type nor the position gives one."""
    required: bool = False
    """A missing value is an error instead of a `[●]` blank."""
    optional: bool = False
    """Left empty, the texts that read it fall back on wording of their own
    (its description says which) instead of a `[●]` blank: `dealdraft new`
    lists it as optional, and lint checks that no build shows it as a blank."""
    min: float | int | None = None
    """The smallest value (numbers, durations, money amounts)."""
    max: float | int | None = None
    """The largest value (numbers, durations, money amounts)."""
    choices: list[Annotated[str, Field(pattern=NAME)]] | None = None
    """The allowed values of a `choice`."""
    items: VariableSpec | None = None
    """The type of the items of a `list`."""
    fields: dict[Annotated[str, Field(pattern=NAME)], VariableSpec] | None = None
    """The fields of an `object` (a list's items), each a variable."""
    min_items: int | None = Field(default=None, ge=0)
    """The fewest items of a `list`."""
    max_items: int | None = Field(default=None, ge=0)
    """The most items of a `list`."""
    period: Annotated[str, Field(pattern=NAME)] | None = None
    """The event a duration governs (``publication_review``): every variable
    of one deal type that names the same period must take the same value."""

    @model_validator(mode="after")
    def _shape(self) -> VariableSpec:
        if self.type == "choice" and not self.choices:
            raise ValueError("a choice variable needs 'choices'")
        if self.type != "choice" and self.choices is not None:
            raise ValueError("'choices' is only for type choice")
        if self.type == "list" and self.items is None:
            raise ValueError("a list variable needs 'items'")
        if self.type != "list" and (self.items is not None or self.min_items is not None):
            raise ValueError("'items' and 'min_items' are only for type list")
        if self.type == "object" and not self.fields:
            raise ValueError("an object variable needs 'fields'")
        if self.type != "object" and self.fields is not None:
            raise ValueError("'fields' is only for type object")
        for bound in (self.min, self.max):
            if isinstance(bound, float) and not math.isfinite(bound):
                raise ValueError(f"bounds must be finite numbers, not {bound}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        if self.optional and self.required:
            raise ValueError("a variable cannot be both 'optional' and 'required'")
        if self.period is not None and self.type not in ("days", "business_days", "hours", "months", "years"):
            raise ValueError("'period' is only for durations (days, business_days, hours, months, years)")
        return self

    def signature(self) -> dict[str, Any]:
        """What two declarations of one deal-wide variable must agree on."""
        return self.model_dump(exclude={"description", "default", "required", "period"})


class ConceptWhen(Strict):
    """A concept that holds only in some positions or under a condition over
    the deal's values: ``{concept: upfront_payment, positions: [balanced,
    partner], when: "announcement_financial_terms == 'aggregate'"}``."""

    concept: Concept
    """The concept's name."""
    when: Text | None = None
    """A condition over the deal's values under which it holds."""
    positions: list[Annotated[str, Field(pattern=NAME)]] | None = None
    """The positions in which it holds (by default all)."""


ConceptUse = Concept | ConceptWhen
"""A concept name, or a concept with the positions or condition under which it holds."""


def concept_name(use: ConceptUse) -> str:
    return use if isinstance(use, str) else use.concept


def concept_when(use: ConceptUse) -> str | None:
    return None if isinstance(use, str) else use.when


def concept_in(use: ConceptUse, position: str) -> bool:
    """Whether a clause-level concept holds in a position."""
    return isinstance(use, str) or use.positions is None or position in use.positions


class PositionSpec(Strict):
    """One negotiated variant of a clause."""

    text: Text
    """The clause text in this position: Markdown of the clause dialect inside sandboxed Jinja."""
    rationale: Text = ""
    """One line a reviewer can quote: why this position."""
    defaults: dict[str, Any] = Field(default_factory=dict)
    """Values this position gives its clause's variables, over their own defaults."""
    favours: Annotated[str, Field(pattern=NAME)] | None = None
    """The role this position favours (a role of the deal type), or ``neutral``."""
    relies_on: list[ConceptUse] = Field(default_factory=list)
    """Deal facts this position's text presumes, over the clause's own."""
    provides: list[ConceptUse] = Field(default_factory=list)
    """Deal facts this position's text establishes, over the clause's own."""


class OneOf(Strict):
    """A requirement met by any one of several clauses."""

    one_of: list[ClauseId] = Field(min_length=2)
    """Clause ids, any one of which meets the requirement."""


class ClauseSpec(Strict):
    """A clause of the library, as written in its YAML file."""

    id: ClauseId
    """Stable dotted id, lower case (`governance.jsc.composition`); never reused for other content."""
    title: Line
    """The heading text."""
    summary: Text = ""
    """One line for listings (`dealdraft clauses`)."""
    version: Annotated[str, Field(pattern=SEMVER)]
    """Semver of the clause text (`1.0.0`); bump it on any change of wording."""
    deal_types: Literal["all"] | list[Annotated[str, Field(pattern=NAME)]]
    """The deal types that may use the clause: `all` or a list of ids."""
    variables: dict[Annotated[str, Field(pattern=NAME)], VariableSpec] = Field(default_factory=dict)
    """The typed inputs the text reads, by name (shared deal-wide: one name, one declaration)."""
    defines: dict[Line, Text | DefinitionSpec] = Field(default_factory=dict)
    """Defined terms this clause introduces: the definition text, or its long form
    (``means``, ``aliases``, ``inline``, ``local``, ``keep``)."""
    requires: list[ClauseId | OneOf] = Field(default_factory=list)
    """Clauses that must be in the draft with this one: ids, or `{one_of: [a, b]}`."""
    excludes: list[ClauseId] = Field(default_factory=list)
    """Clauses that may not be in the draft with this one."""
    when: Text | None = None
    """A condition over the deal's values (a Jinja expression); the clause is left out when it is false."""
    notes: Text = ""
    """Guidance for the reviewer (Word comments with `--comments`); never in an external copy."""
    provides: list[ConceptUse] = Field(default_factory=list)
    """Deal facts this clause establishes (``upfront_payment``, ``sub_processors`` …)."""
    relies_on: list[ConceptUse] = Field(default_factory=list)
    """Deal facts this clause's text presumes; some clause of the build must provide each."""
    survives: bool = False
    """Its obligations outlast the Term: the survival clause lists it."""
    starts: Literal["signature", "effective_date"] | None = None
    """When it binds where a condition precedent separates signature from the Effective Date."""
    favours: dict[Annotated[str, Field(pattern=NAME)], Annotated[str, Field(pattern=NAME)]] = Field(default_factory=dict)
    """Position name → the role it favours (or ``neutral``); the same as each
    position's own ``favours``, kept in one line for the whole clause."""
    positions: dict[Annotated[str, Field(pattern=NAME)], PositionSpec]
    """The negotiated variants by name, each with its text; `balanced` is required and is the fallback."""

    @model_validator(mode="after")
    def _has_balanced(self) -> ClauseSpec:
        if "balanced" not in self.positions:
            raise ValueError("positions: a clause needs at least a 'balanced' position")
        for name, role in self.favours.items():
            if name not in self.positions:
                raise ValueError(f"favours: the clause has no {name!r} position ({', '.join(self.positions)})")
            own = self.positions[name].favours
            if own is not None and own != role:
                raise ValueError(f"favours: {name} is {role!r} here but {own!r} in positions.{name}.favours")
        for use in (*self.provides, *self.relies_on):
            for name in getattr(use, "positions", None) or []:
                if name not in self.positions:
                    raise ValueError(f"concept {concept_name(use)!r}: the clause has no {name!r} position ({', '.join(self.positions)})")
        return self

    def favoured(self, position: str) -> str | None:
        """The role a position favours (``neutral`` for none), if stated."""
        return self.positions[position].favours or self.favours.get(position)

    def applies_to(self, deal_type: str) -> bool:
        return self.deal_types == "all" or deal_type in self.deal_types
