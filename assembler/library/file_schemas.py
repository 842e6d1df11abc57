"""JSON Schemas of the library's own files, for editors and validators.

Made from the same pydantic models that load the files, so an editor checks
exactly the fields dealdraft accepts: clause files (a list of clauses), deal
types (``deal-types/*.yaml``), shared document outlines (``documents/*.yaml``)
and the library's ``conventions.yaml``.
"""

from __future__ import annotations

from typing import Any

from .deal_type_schema import DealTypeSpec, DocumentSpec
from .schema import ClauseSpec

DRAFT = "https://json-schema.org/draft/2020-12/schema"

KINDS = ("clauses", "deal-types", "documents", "conventions")
"""The kinds of library file that have a schema."""


def file_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of library file (one of :data:`KINDS`)."""
    if kind == "clauses":
        clause = ClauseSpec.model_json_schema()
        defs = clause.pop("$defs", {})
        schema: dict[str, Any] = {"type": "array", "items": clause, "$defs": defs}
        title = "dealdraft clause file (a list of clauses)"
    elif kind == "deal-types":
        schema, title = DealTypeSpec.model_json_schema(), "dealdraft deal type"
    elif kind == "documents":
        schema, title = DocumentSpec.model_json_schema(), "dealdraft shared document outline"
    elif kind == "conventions":
        from .conventions import ConventionsSpec

        schema, title = ConventionsSpec.model_json_schema(), "dealdraft library conventions (conventions.yaml)"
    else:
        raise ValueError(f"unknown kind of library file {kind!r}")
    return {"$schema": DRAFT, "title": title, **schema}
