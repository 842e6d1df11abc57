"""What a deal type declares about its parties and its stances.

A deal type names its roles (``parties.roles``) and may describe each one
(``parties.details``: a label, how many parties may hold it, a sample party
for ``dealdraft new``, ``show`` and ``lint``). It may declare its own stances
(``stances``: a name, a label, the position each clause takes under it, and
exceptions clause by clause). Without ``stances`` a deal type has today's
three, ``pharma``, ``balanced`` and ``partner``, each choosing the clause
position of its own name and ``balanced`` where a clause has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import Field, model_validator

from .fields import NAME, Address, ClauseId, Line, Name, Strict, Text

RoleName = Annotated[str, Field(pattern=NAME)]

DEFAULT_STANCES = ("pharma", "balanced", "partner")
"""The stances of a deal type that declares none."""

FALLBACK_POSITION = "balanced"
"""The position a clause takes when it has none for the chosen stance (every
clause has one)."""


class SampleParty(Strict):
    """A party for the deal files ``dealdraft new`` writes and for the sample
    deals ``show`` and ``lint`` build."""

    legal_name: Name
    """The party's full legal name: "Corvane Systems Ltd"."""
    short_name: Annotated[str, Field(min_length=1, max_length=80)]
    """How the text names it: "Corvane"."""
    entity_type: Name
    """"a company incorporated in England and Wales"."""
    address: Address
    """The registered address."""


class RoleDetail(Strict):
    """What a deal type says about one of its roles."""

    label: Line | None = None
    """How the role reads to a person ("Customer"); by default its id with the
    first letter capitalised."""
    min: int | None = Field(default=None, ge=0)
    """The fewest parties that must hold the role (default: one when every
    role is held once, otherwise none, except a ``pharma`` role, which needs
    one)."""
    max: int | None = Field(default=None, ge=1)
    """The most parties that may hold the role (default: one when every role
    is held once, otherwise ``parties.max``)."""
    sample: SampleParty | None = None
    """The party ``new``, ``show`` and ``lint`` use for this role."""

    @model_validator(mode="after")
    def _bounds(self) -> RoleDetail:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class StanceSpec(Strict):
    """A stance of a deal type: the side a first draft is written from."""

    label: Line | None = None
    """How the stance reads to a person ("Customer first")."""
    position: RoleName | None = None
    """The position each clause takes under this stance, where the clause has
    it (default: the position named like the stance); otherwise ``balanced``."""
    positions: dict[ClauseId, RoleName] = Field(default_factory=dict)
    """Clause by clause exceptions: the position a clause takes under this stance."""
    summary: Text = ""
    """One line for listings and the interview of ``new --interactive``."""


def stance_names(stances: dict[str, StanceSpec] | None) -> tuple[str, ...]:
    """The stances of a deal type, in declared order."""
    return tuple(stances) if stances else DEFAULT_STANCES


def stance_position(stances: dict[str, StanceSpec] | None, stance: str, clause_id: str, positions: Mapping[str, object]) -> tuple[str, str]:
    """The position a clause takes under a stance, and why.

    ``positions`` holds the clause's positions by name. A deal's own
    per-clause choices and a deal type's pinned positions come first; the
    caller handles them.
    """
    declared = (stances or {}).get(stance)
    if declared is not None and clause_id in declared.positions:
        return declared.positions[clause_id], f"the {stance} stance chooses it"
    wanted = declared.position if declared is not None and declared.position else stance
    if wanted in positions:
        return wanted, f"the deal's stance ({stance})"
    return FALLBACK_POSITION, f"the clause has no {wanted} position; {FALLBACK_POSITION} is used"


def role_label(details: dict[str, RoleDetail], role: str) -> str:
    """How a role reads: its declared label, or its id capitalised."""
    detail = details.get(role)
    if detail is not None and detail.label:
        return detail.label
    return role.replace("_", " ").capitalize()


class DefinitionSpec(Strict):
    """A defined term, in its long form (the short form is the text alone).

    ``means`` is the definition ("all data that …"), which the definitions
    list shows after the verb. ``inline: true`` instead says that the clause
    defines the term in its own text, where ``{{ define('Services') }}`` shows
    it; the list then reads "has the meaning given in Section 2.1".
    """

    means: Text | None = None
    """The definition: a noun phrase that follows "means"."""
    inline: bool = False
    """The clause's text defines the term where ``{{ define('Term') }}`` stands."""
    aliases: list[Line] = Field(default_factory=list)
    """Other names of the same term: "Customer Data" or "Data"; ``term('Data')`` is a use of it."""
    local: bool = False
    """Defined for this clause only: the clause opens with "In this Section 5.2, “Losses” means …",
    the definitions list leaves it out, and other clauses may not use it."""
    keep: bool = False
    """Listed in the definitions whenever the clause is in the draft, even when no text uses it."""

    @model_validator(mode="after")
    def _shape(self) -> DefinitionSpec:
        if (self.means is None) == (not self.inline):
            raise ValueError("a definition has either 'means' (its text) or 'inline: true'")
        if self.local and self.inline:
            raise ValueError("a term defined inline is local to its clause already: leave out 'local'")
        return self


def definition_of(value: str | DefinitionSpec) -> DefinitionSpec:
    """The long form of a ``defines`` entry."""
    return value if isinstance(value, DefinitionSpec) else DefinitionSpec(means=value)
