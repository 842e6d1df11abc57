"""The shape of deal-type files and shared document outlines: the outline of
each document (articles, schedules and their clauses), the cover, the
parties' roles and stances, and the constraints between the deal's values.

Pydantic models with unknown keys forbidden, as the clause shapes in
``schema.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, model_validator

from .conventions import DefinitionsStyle, ReferenceStyle
from .declarations import RoleDetail, StanceSpec, role_label, stance_names
from .fields import DOC_ID, NAME, ClauseId, Concept, Line, Strict, Text, one_line


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
