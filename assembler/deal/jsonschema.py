"""``dealdraft schema``: the JSON Schema of deal files, for editors.

The fixed part comes from the pydantic model of a deal file; ``terms`` is
filled in from the variables the library's clauses declare.
"""

from __future__ import annotations

from typing import Any

from assembler.deal.schema import DealFile
from assembler.library.model import Library
from assembler.library.schema import GOVERNING_LAWS, STANCES, VariableSpec
from assembler.library.values import to_json

from .scaffold import deal_type_variables

_DURATIONS = {"days", "business_days", "hours", "months", "years"}


def variable_schema(var: VariableSpec) -> dict[str, Any]:
    """JSON Schema of one variable's values."""
    schema: dict[str, Any]
    kind = var.type
    if kind in ("string", "text", "party"):
        schema = {"type": "string"}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind == "integer" or kind in _DURATIONS:
        schema = {"type": "integer"}
        if kind in _DURATIONS:
            schema["minimum"] = 0
    elif kind in ("number", "percent"):
        schema = {"type": "number"}
        if kind == "percent":
            schema.update(minimum=0, maximum=100)
    elif kind == "money":
        schema = {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": r"^[A-Z]{3} ?[0-9][0-9,]*(\.[0-9]+)?$"},
                {
                    "type": "object",
                    "properties": {"amount": {"type": "number", "minimum": 0}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}},
                    "required": ["amount"],
                    "additionalProperties": False,
                },
            ]
        }
    elif kind == "choice":
        schema = {"enum": list(var.choices or [])}
    elif kind == "list":
        assert var.items is not None
        schema = {"type": "array", "items": variable_schema(var.items)}
        if var.min_items is not None:
            schema["minItems"] = var.min_items
        if var.max_items is not None:
            schema["maxItems"] = var.max_items
    else:
        assert var.fields is not None
        schema = {
            "type": "object",
            "properties": {name: variable_schema(field) for name, field in var.fields.items()},
            "additionalProperties": False,
        }
    if var.min is not None and "anyOf" not in schema and schema.get("type") in ("integer", "number"):
        schema["minimum"] = var.min
    if var.max is not None and "anyOf" not in schema and schema.get("type") in ("integer", "number"):
        schema["maximum"] = var.max
    if var.description:
        schema["description"] = " ".join(var.description.split())
    if var.default is not None:
        schema["default"] = to_json(var.default)
    return schema


def deal_schema(library: Library, deal_type: str | None = None) -> dict[str, Any]:
    """The JSON Schema of a deal file (of one deal type, or of any)."""
    schema = DealFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dealdraft deal file"
    known = sorted({*GOVERNING_LAWS, *library.conventions.laws})
    law = schema["properties"]["governing_law"]
    law["anyOf"] = [
        {"enum": known, "description": "a governing law the library knows by id"},
        {"type": "string", "pattern": r"\s", "maxLength": 300, "description": "the law written out: the laws of …"},
        law["anyOf"][1],
    ]
    stance = schema["properties"]["stance"]
    stance.pop("pattern", None)
    if deal_type is not None:
        spec = library.deal_types[deal_type].spec
        variables = {name: var for name, (var, _clause) in deal_type_variables(library, spec).items()}
        schema["properties"]["deal_type"] = {"const": deal_type}
        stance["enum"] = list(spec.stance_names())
        stance["default"] = spec.stance_default()
    else:
        variables = dict(library.variables)
        schema["properties"]["deal_type"] = {"enum": sorted(library.deal_types)}
        names = {name: None for sourced in sorted(library.deal_types.values(), key=lambda s: s.spec.id) for name in sourced.spec.stance_names()}
        stance["enum"] = list(names) if names else list(STANCES)
    schema["properties"]["terms"] = {
        "type": "object",
        "properties": {name: variable_schema(var) for name, var in sorted(variables.items())},
        "additionalProperties": False,
    }
    return schema
