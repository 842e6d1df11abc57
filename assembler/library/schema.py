"""The shapes of the three inputs: clauses, deal types and deal files.

Pydantic models with unknown keys forbidden, so a typo never passes silently.
Values that depend on the library (a deal's ``terms``) are checked later, in
``values.py``, against the variables the clauses declare.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, model_validator

from .conventions import DefinitionsStyle, ReferenceStyle
from .declarations import DEFAULT_STANCES, DefinitionSpec, RoleDetail, StanceSpec, role_label, stance_names
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

VARIABLE_TYPES = (
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
)
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


# --- deal types -------------------------------------------------------------


class OutlineClause(Strict):
    """A clause entry of an outline that is only used when the deal includes it."""

    id: ClauseId
    """The clause id."""
    optional: bool = False
    """Used only when the deal file's `include` names it."""


OutlineEntry = ClauseId | OutlineClause


class ArticleSpec(Strict):
    """An article (or schedule) of a document outline."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]*$")] | None = None
    """An id that `ref()` accepts for the whole article or schedule ("Article 7")."""
    title: Line | None = None
    """The article's heading (an article-level `clause` gives its own)."""
    clauses: list[OutlineEntry] = Field(default_factory=list)
    """The clauses of the article, each an id or `{id, optional: true}`."""
    clause: ClauseId | None = None
    """One clause that makes up the whole article (or schedule)."""
    definitions: bool = False
    """The article holds the definitions list (as `conventions.yaml` or the deal type places it); `ref('definitions')` points at it."""
    when: Text | None = None
    """A condition for including the article; everything after it is renumbered when it is left out."""

    @model_validator(mode="after")
    def _shape(self) -> ArticleSpec:
        if self.clause is not None:
            if self.clauses or self.definitions:
                raise ValueError("an article-level 'clause' cannot also have 'clauses' or 'definitions'")
        elif not self.title:
            raise ValueError("an article needs a 'title' (or a single article-level 'clause')")
        elif not self.clauses and not self.definitions:
            raise ValueError("an article needs 'clauses'")
        return self


class KeyTermSpec(Strict):
    """A row of a cover page's key-terms table."""

    label: Line
    """What the row names: "Monthly fee"."""
    value: Text
    """Clause text for the value, with the deal's variables and helpers: ``"{{ money(monthly_fee) }}"``."""


class CoverSpec(Strict):
    """The cover page of a document."""

    key_terms: list[KeyTermSpec] = Field(default_factory=list)
    """A table of the deal's key terms under the parties, one row each."""
    heading: Line = "Key Terms"
    """The heading over the key-terms table."""


class DocumentSpec(Strict):
    """A document a deal produces, with its ordered outline."""

    id: Annotated[str, Field(pattern=DOC_ID)]
    """The output file stem (`agreement`, `jsc-charter`)."""
    title: Line
    """The document's title."""
    kind: Literal["agreement", "plan"]
    """`agreement` or `plan` (a governance plan)."""
    ref_name: Line
    """How other documents name it in references: "Section 7.2 of the Agreement"."""
    preamble: list[OutlineEntry] = Field(default_factory=list)
    """Unnumbered clauses before Article 1 (parties, background)."""
    articles: list[ArticleSpec] = Field(min_length=1)
    """The articles, in order."""
    schedules: list[ArticleSpec] = Field(default_factory=list)
    """The schedules, in order."""
    signature: bool = False
    """Whether the document ends with signature blocks for every party."""
    when: Text | None = None
    """A condition for producing the document at all."""
    cover: CoverSpec | None = None
    """The cover page: by default title, parties, date and draft; a ``key_terms`` table adds the deal's key terms."""


class DocumentUse(Strict):
    """A reference to a shared document outline in ``clauses/documents/``."""

    use: Annotated[str, Field(pattern=DOC_ID)]
    """The id of a shared outline in `documents/`."""
    when: Text | None = None
    """A condition for producing the document."""


class PartyRules(Strict):
    """Who the parties of a deal of this type are."""

    roles: list[Annotated[str, Field(pattern=NAME)]] = Field(min_length=1)
    """The roles a party may have (``pharma``, ``partner``; ``customer``, ``provider``)."""
    min: int = Field(default=2, ge=2)
    """The fewest parties a deal has."""
    max: int = Field(default=2, ge=2)
    """The most parties a deal has."""
    details: dict[Annotated[str, Field(pattern=NAME)], RoleDetail] = Field(default_factory=dict)
    """Per role: a label, how many parties may hold it, a sample party."""

    @model_validator(mode="after")
    def _shape(self) -> PartyRules:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        for role in self.details:
            if role not in self.roles:
                raise ValueError(f"details: {role!r} is not one of the roles ({', '.join(self.roles)})")
        return self

    def bounds(self) -> dict[str, tuple[int, int]]:
        """How many parties may hold each role: (fewest, most)."""
        once = self.max == len(self.roles)
        found = {}
        for role in self.roles:
            low, high = (1, 1) if once else (1 if role == "pharma" else 0, self.max)
            detail = self.details.get(role)
            if detail is not None:
                low = low if detail.min is None else detail.min
                high = high if detail.max is None else detail.max
            found[role] = (low, high)
        return found

    def label(self, role: str) -> str:
        return role_label(self.details, role)


def _document_kind(value: Any) -> str:
    return "use" if isinstance(value, dict) and "use" in value else "doc"


DocumentEntry = Annotated[
    Annotated[DocumentSpec, Tag("doc")] | Annotated[DocumentUse, Tag("use")],
    Discriminator(_document_kind),
]


class ListField(Strict):
    """A field of the items of a list variable: ``{list: royalty_tiers, field: up_to}``."""

    list: Annotated[str, Field(pattern=NAME)]
    """The list variable."""
    field: Annotated[str, Field(pattern=NAME)]
    """The field of its items."""


class ListRange(Strict):
    """Ranges held by the items of a list: ``{list: work_packages, start: start_month, end: end_month}``."""

    list: Annotated[str, Field(pattern=NAME)]
    """The list variable."""
    start: Annotated[str, Field(pattern=NAME)]
    """The field where an item's range starts."""
    end: Annotated[str, Field(pattern=NAME)]
    """The field where it ends."""


class Constraint(Strict):
    """A relation between a deal's values, checked when a deal is built.

    Exactly one of ``check`` (a sandboxed Jinja expression over the deal's
    values, usually a comparison such as ``commercial_fee_floor >=
    commercial_base_fee``), ``ascending`` (a list's items ordered by a field,
    strictly rising) or ``non_overlapping`` (the ranges of a list's items,
    each ending before the next starts).
    """

    check: Annotated[str, AfterValidator(one_line)] | None = None
    """A sandboxed Jinja expression over the deal's values that must hold: `commercial_fee_floor >= commercial_base_fee`."""
    ascending: ListField | None = None
    """A list whose items must rise strictly by a field."""
    non_overlapping: ListRange | None = None
    """A list whose items' ranges must not overlap."""
    when: Annotated[str, AfterValidator(one_line)] | None = None
    """Only checked when this expression holds (``position('pilot.commercial_fees') != 'pharma'``)."""
    message: Text = ""
    """Why the relation matters, added to the error."""

    @model_validator(mode="after")
    def _one_kind(self) -> Constraint:
        kinds = [k for k in ("check", "ascending", "non_overlapping") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a constraint has exactly one of 'check', 'ascending' or 'non_overlapping'")
        return self


class DealTypeSpec(Strict):
    """A playbook for one deal type."""

    id: Annotated[str, Field(pattern=NAME)]
    """The deal type's id (`research_collaboration`), as deal files name it."""
    name: Line
    """Its name for people."""
    summary: Text = ""
    """One line for listings."""
    parties: PartyRules
    """Who the parties are: roles, how many."""
    sides: dict[Annotated[str, Field(pattern=NAME)], list[Annotated[str, Field(pattern=NAME)]]] = Field(default_factory=dict)
    """The roles each stance argues for (``{pharma: [pharma], partner: [academic, sme]}``).
    Without it, a stance named after a role argues for that role, and the
    ``partner`` stance for every role other than ``pharma``."""
    defaults: dict[str, Any] = Field(default_factory=dict)
    """Values over the clauses' own defaults, by variable name."""
    provides: list[Concept] = Field(default_factory=list)
    """Deal facts every deal of this type has, whatever its clauses."""
    constraints: list[Constraint] = Field(default_factory=list)
    """Relations between the deal's values, checked at build time."""
    positions: dict[ClauseId, Annotated[str, Field(pattern=NAME)]] = Field(default_factory=dict)
    """Clauses pinned to a position whatever the stance, by clause id."""
    documents: list[DocumentEntry] = Field(min_length=1)
    """The documents a deal produces, in order: outlines, or `{use: <shared outline>}`."""
    definitions: DefinitionsStyle | None = None
    """Where the definitions list goes and its verb, over the library's ``conventions.yaml``."""
    references: ReferenceStyle | None = None
    """How cross-references read in this deal type's documents, over the library's ``conventions.yaml``."""
    stances: dict[Annotated[str, Field(pattern=NAME)], StanceSpec] | None = None
    """The stances a deal may take, in order (default: pharma, balanced, partner)."""
    default_stance: Annotated[str, Field(pattern=NAME)] | None = None
    """The stance of a deal file that names none (default: balanced, or the first stance)."""
    signing_lead_in: Text | None = None
    """The sentence before the signature blocks; a plain default when absent."""

    @model_validator(mode="after")
    def _stances(self) -> DealTypeSpec:
        if self.default_stance is not None and self.default_stance not in self.stance_names():
            raise ValueError(f"default_stance: {self.default_stance!r} is not one of the stances ({', '.join(self.stance_names())})")
        return self

    def stance_names(self) -> tuple[str, ...]:
        """The stances a deal of this type may take."""
        return stance_names(self.stances)

    def stance_default(self) -> str:
        """The stance of a deal file that names none."""
        names = self.stance_names()
        return self.default_stance or ("balanced" if "balanced" in names else names[0])

    def side_roles(self, stance: str) -> tuple[str, ...]:
        """The roles a stance (or position name) argues for; () for a neutral one."""
        if stance in self.sides:
            return tuple(self.sides[stance])
        roles = self.parties.roles
        if stance in roles:
            return (stance,)
        if stance == "partner":
            return tuple(role for role in roles if role != "pharma")
        return ()
