"""The deal file as the user writes it: parties, dates, law, stance,
positions, clauses in or out, and the terms. The clause and deal-type models
are the library's (``assembler.library.schema``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from assembler.library.fields import NAME, Address, ClauseId, Date, Line, Name, Strict, Text, one_line


class PartySpec(Strict):
    """A party to the deal."""

    role: Annotated[str, Field(pattern=NAME, max_length=40)]
    """One of the deal type's roles (`dealdraft new` writes them)."""
    legal_name: Name
    """The full legal name."""
    short_name: Annotated[str, AfterValidator(one_line), Field(max_length=80)]
    """How the text names the party."""
    entity_type: Name
    """"a company incorporated in England and Wales"."""
    address: Address
    """The registered address."""
    signatory_name: Name | None = None
    """The name in the signature block."""
    signatory_title: Name | None = None
    """The title in the signature block."""


class ClauseOverride(Strict):
    """What the Parties negotiated for one clause of this deal: its text in
    place of its position's text, and where it sits when that is not where the
    outline puts it. An id that is no clause of the library adds a clause of
    this deal only (``title``, ``text`` and ``after`` or ``before``)."""

    text: Text | None = None
    """The clause body in the library's text dialect (Markdown and helpers such
    as ``ref()``), rendered like a position's text."""
    title: Line | None = None
    """The heading of a clause of this deal only."""
    after: ClauseId | None = None
    """Place the clause right after this one."""
    before: ClauseId | None = None
    """Place the clause right before this one."""
    article: Line | None = None
    """Open a new article with this heading for the clause, after the article
    that holds ``after`` (or before the one that holds ``before``)."""

    @model_validator(mode="after")
    def _shape(self) -> ClauseOverride:
        if self.after and self.before:
            raise ValueError("give 'after' or 'before', not both")
        if self.article and not (self.after or self.before):
            raise ValueError("'article' needs 'after' or 'before'")
        if self.text is None and not (self.after or self.before):
            raise ValueError("an override needs 'text', 'after' or 'before'")
        return self


class GoverningLawSpec(Strict):
    """A governing law written out, with an optional id for clause conditions."""

    text: Annotated[str, AfterValidator(one_line), Field(max_length=300)]
    """How ``law()`` reads: "the laws of the Province of Ontario"."""
    id: Annotated[str, Field(pattern=NAME, max_length=60)] | None = None
    """What conditions compare ``deal.governing_law`` with (``ontario``)."""


LawText = Annotated[str, AfterValidator(one_line), Field(max_length=300)]


class DealFile(Strict):
    """A deal file, as the user writes it."""

    deal_type: Annotated[str, Field(min_length=1, max_length=100)]
    """The id of the deal type (`dealdraft deal-types` lists them)."""
    title: Name | None = None
    """The agreement's title, over the deal type's."""
    parties: list[PartySpec] = Field(min_length=2)
    """The parties, each with a role of the deal type."""
    effective_date: Date | None = None
    """The Effective Date the text refers to."""
    date: Date | None = None
    """The date of the draft: cover page, document properties and every output date."""
    governing_law: LawText | GoverningLawSpec = "england_wales"
    """A known law's id (``england_wales``; the library's ``conventions.yaml`` may add
    more), the law written out ("the laws of the Province of Ontario"), or both
    (``{id: ontario, text: …}``)."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    """The currency code of amounts given as plain numbers (`USD`)."""
    stance: Annotated[str, Field(pattern=NAME)] = "balanced"
    """The side the draft is written from: one of the deal type's stances."""
    draft_version: Annotated[str, AfterValidator(one_line), Field(max_length=40)] = "1"
    """The draft's number on the cover and in the properties."""
    marking: Name = "DRAFT \u2014 Confidential"
    """The running header of a draft."""
    positions: dict[ClauseId, Annotated[str, Field(pattern=NAME)]] = Field(default_factory=dict)
    """Clause id → position, over the stance for that clause."""
    include: list[ClauseId] = Field(default_factory=list)
    """Optional clauses to add."""
    exclude: list[ClauseId] = Field(default_factory=list)
    """Clauses to leave out."""
    terms: dict[Annotated[str, Field(pattern=NAME)], Any] = Field(default_factory=dict)
    """The values the clauses read, by variable name."""
    overrides: dict[ClauseId, ClauseOverride] = Field(default_factory=dict)
    """What the Parties negotiated clause by clause: a text in place of a position's, or a clause moved or added."""
