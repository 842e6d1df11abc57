"""What ``absorb`` finds: each change of their copy with what it maps to in
the deal file (``Item``), the deal file's changes (``Edits``), the whole
outcome (``Absorption``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..worddiff import Segment
from .returned import Change, Mapping


@dataclass(slots=True)
class Edits:
    """What the absorbed deal file changes."""

    terms: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    """Clause id → its override fields (text, title, after, before, article)."""
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def merged(self, other: Edits) -> Edits:
        overrides = {key: {**self.overrides.get(key, {}), **other.overrides.get(key, {})} for key in [*self.overrides, *other.overrides]}
        return Edits({**self.terms, **other.terms}, {**self.positions, **other.positions}, overrides,
                     [*self.include, *other.include], [*self.exclude, *other.exclude])

    def as_json(self) -> dict[str, Any]:
        return {key: value for key, value in (("terms", self.terms), ("positions", self.positions), ("overrides", self.overrides),
                                              ("include", self.include), ("exclude", self.exclude)) if value}


@dataclass(slots=True)
class Item:
    """One change of their copy and what it maps to."""

    change: Change
    kind: str
    """value, position, text (off the playbook), exclude, include, added,
    removed, moved, heading or definition."""
    summary: str
    edits: Edits = field(default_factory=Edits)
    similarity: float | None = None
    decide: bool = False
    reason: str = ""
    words: list[Segment] = field(default_factory=list)
    """For an edit off the playbook: their text against the closest position."""
    closest: str = ""


@dataclass(slots=True)
class Absorption:
    """The outcome of absorbing one returned DOCX."""

    file: str
    deal: str
    document: str
    items: list[Item]
    edits: Edits
    mapping: Mapping
    unreproduced: list[str] = field(default_factory=list)
    """What a build of the absorbed deal still does not read as their copy."""

    @property
    def decisions(self) -> list[Item]:
        return [item for item in self.items if item.decide]
