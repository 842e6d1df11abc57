"""The clause library as data: clauses, deal types and shared outlines,
with the lookups every stage needs. Loading lives in ``load.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assembler.base.errors import Problem

from .conventions import ConventionsSpec
from .deal_type_schema import DealTypeSpec, DocumentSpec, DocumentUse, OutlineClause
from .schema import ClauseSpec, OneOf, VariableSpec


@dataclass(frozen=True, slots=True)
class Clause:
    """A validated clause and where it came from."""

    spec: ClauseSpec
    path: str
    line: int

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class Sourced:
    """A validated deal type or document outline and where it came from."""

    spec: Any
    path: str
    line: int


@dataclass(slots=True)
class Library:
    """The clause library: clauses, deal types, shared outlines, variables."""

    clauses: dict[str, Clause] = field(default_factory=dict)
    deal_types: dict[str, Sourced] = field(default_factory=dict)
    documents: dict[str, Sourced] = field(default_factory=dict)
    variables: dict[str, VariableSpec] = field(default_factory=dict)
    """Every deal-wide variable, as first declared."""
    variable_owner: dict[str, str] = field(default_factory=dict)
    """Clause id that first declared each variable."""
    terms: dict[str, str] = field(default_factory=dict)
    """Defined term (or alias) → clause id that defines it."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Alias → the term it is another name of ("Data" → "Customer Data")."""
    roots: tuple[str, ...] = ()
    fingerprint: str = ""
    problems: list[Problem] = field(default_factory=list)
    conventions: ConventionsSpec = field(default_factory=ConventionsSpec)
    """The house conventions (``conventions.yaml``): money, numbers, dates, laws."""
    invalid: dict[str, str] = field(default_factory=dict)
    """Clause id → where a clause with that id failed validation: references
    to it are not reported again as unknown (one root cause, one error)."""
    overridden: list[str] = field(default_factory=list)
    """One line per clause id an overlay replaced (shown with --verbose)."""

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def clause(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    def documents_of(self, deal_type: DealTypeSpec) -> list[DocumentSpec]:
        """The document outlines of a deal type (unknown shared ones skipped:
        loading reports them)."""
        return [
            self.document_spec(entry)
            for entry in deal_type.documents
            if not isinstance(entry, DocumentUse) or entry.use in self.documents
        ]

    def document_spec(self, entry: DocumentSpec | DocumentUse) -> DocumentSpec:
        if isinstance(entry, DocumentUse):
            spec = self.documents[entry.use].spec
            assert isinstance(spec, DocumentSpec)
            return spec
        return entry


def outline_entries(doc: DocumentSpec) -> list[tuple[str, str, bool]]:
    """Every clause entry of an outline: (where, clause id, optional)."""
    found: list[tuple[str, str, bool]] = []
    for index, entry in enumerate(doc.preamble):
        found.append((f"preamble[{index}]", *_entry(entry)))
    for part, items in (("articles", doc.articles), ("schedules", doc.schedules)):
        for a_index, article in enumerate(items):
            if article.clause:
                found.append((f"{part}[{a_index}].clause", article.clause, False))
            for c_index, entry in enumerate(article.clauses):
                found.append((f"{part}[{a_index}].clauses[{c_index}]", *_entry(entry)))
    return found


def _entry(entry: str | OutlineClause) -> tuple[str, bool]:
    if isinstance(entry, OutlineClause):
        return entry.id, entry.optional
    return entry, False


def requirement_ids(requires: list[str | OneOf]) -> list[list[str]]:
    """Requirements as groups: a plain id is a group of one."""
    return [entry.one_of if isinstance(entry, OneOf) else [entry] for entry in requires]
