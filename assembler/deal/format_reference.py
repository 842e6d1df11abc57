"""The README's format reference, made from the models that read the files.

Every field any library or deal file accepts is listed here, with its type,
its default and the sentence that documents it (the field's docstring), so
the reference cannot leave an accepted field out: ``tests/test_readme.py``
compares the README's section with :func:`format_reference` and fails on a
field without a docstring.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from assembler.deal.schema import ClauseOverride, DealFile, GoverningLawSpec, PartySpec
from assembler.library.conventions import ConventionsSpec, DateStyle, DefinitionsStyle, KnownLaw, MoneyStyle, NumberStyle, ReferenceStyle
from assembler.library.deal_type_schema import (
    ArticleSpec,
    Constraint,
    CoverSpec,
    DealTypeSpec,
    DocumentSpec,
    DocumentUse,
    KeyTermSpec,
    ListField,
    ListRange,
    OutlineClause,
    PartyRules,
)
from assembler.library.declarations import DefinitionSpec, RoleDetail, SampleParty, StanceSpec
from assembler.library.schema import ClauseSpec, ConceptWhen, OneOf, PositionSpec, VariableSpec

START = "<!-- format-reference: start (generated from the models; see assembler/deal/format_reference.py) -->"
END = "<!-- format-reference: end -->"

SECTIONS: tuple[tuple[str, tuple[tuple[str, type[BaseModel]], ...]], ...] = (
    ("Clause files (`**/*.yaml`, a list of clauses)", (
        ("a clause", ClauseSpec), ("a variable (`variables.<name>`)", VariableSpec), ("a position (`positions.<name>`)", PositionSpec),
        ("a defined term in its long form (`defines.<term>`)", DefinitionSpec), ("a `requires` group", OneOf),
        ("a concept with its positions or condition (`provides[]`, `relies_on[]`)", ConceptWhen),
    )),
    ("Deal types (`deal-types/<id>.yaml`)", (
        ("a deal type", DealTypeSpec), ("`parties`", PartyRules), ("a role (`parties.details.<role>`)", RoleDetail),
        ("a sample party (`parties.details.<role>.sample`)", SampleParty), ("a stance (`stances.<name>`)", StanceSpec),
        ("a document (`documents[]`, or a file in `documents/`)", DocumentSpec), ("a shared document (`documents[]`)", DocumentUse),
        ("an article or schedule (`articles[]`, `schedules[]`)", ArticleSpec), ("an optional outline clause", OutlineClause),
        ("a cover page (`cover`)", CoverSpec), ("a key term (`cover.key_terms[]`)", KeyTermSpec),
        ("a constraint (`constraints[]`)", Constraint), ("a list field (`constraints[].ascending`)", ListField),
        ("list ranges (`constraints[].non_overlapping`)", ListRange),
    )),
    ("House conventions (`conventions.yaml`)", (
        ("the file", ConventionsSpec), ("`money`", MoneyStyle), ("`numbers`", NumberStyle), ("`dates`", DateStyle),
        ("`definitions` (also a deal type's `definitions`)", DefinitionsStyle),
        ("`references` (also a deal type's `references`)", ReferenceStyle), ("a law (`laws.<id>`)", KnownLaw),
    )),
    ("Deal files", (
        ("a deal file", DealFile), ("a party (`parties[]`)", PartySpec), ("a governing law written out", GoverningLawSpec),
        ("a negotiated clause (`overrides.<clause id>`)", ClauseOverride),
    )),
)


def models() -> list[type[BaseModel]]:
    """Every model the reference documents."""
    return [model for _title, items in SECTIONS for _name, model in items]


def _type(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type(args[0])
    if origin is Literal:
        return " \\| ".join(f"`{value}`" for value in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type(a) for a in args)
    if origin is list:
        return f"list of {_type(args[0])}"
    if origin is dict:
        return f"mapping of {_type(args[0])} to {_type(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    names = {str: "text", int: "integer", float: "number", bool: "true/false", dt.date: "date (YYYY-MM-DD)"}
    return names.get(annotation, "any")


def _default(info: Any) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value = info.default_factory()
        return "—" if value in ([], {}) else "(see its table)"
    value = info.default
    if value is None or value is PydanticUndefined:
        return "—"
    if isinstance(value, str):
        return f"`{value}`" if value else '`""`'
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def model_table(model: type[BaseModel]) -> list[str]:
    """The rows of one model's table."""
    rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        rows.append(f"| `{name}` | {_type(info.annotation)} | {_default(info)} | {_cell(info.description or '')} |")
    return rows


def format_reference() -> str:
    """The README's format reference section (between its markers)."""
    lines = [START, ""]
    for title, items in SECTIONS:
        lines += [f"#### {title}", ""]
        for name, model in items:
            doc = " ".join((model.__doc__ or "").split())
            lines += [f"**{name[:1].upper() + name[1:]}** (`{model.__name__}`): {doc}", "", *model_table(model), ""]
    lines.append(END)
    return "\n".join(lines)


def undocumented() -> list[str]:
    """Fields without a docstring: "Model.field"."""
    return [f"{model.__name__}.{name}" for model in models() for name, info in model.model_fields.items() if not info.description]
