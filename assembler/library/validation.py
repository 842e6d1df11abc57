"""Turn pydantic validation errors into one-line problems with file and line."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assembler.base.errors import Problem

from .yamlio import LineDict, LineList

M = TypeVar("M", bound=BaseModel)


def closest(name: str, candidates: Any, n: int = 3) -> str:
    """" (did you mean 'x'?)" for the closest candidates, or ""."""
    matches = difflib.get_close_matches(str(name), sorted(map(str, candidates)), n=n, cutoff=0.6)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(repr(m) for m in matches) + "?)"


def short(value: Any, limit: int = 60) -> str:
    """repr of a value, shortened for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    stack: list[Any] = [model]
    seen: set[Any] = set()
    while stack:
        current = stack.pop()
        if current in seen or not isinstance(current, type) or not issubclass(current, BaseModel):
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            names.add(name)
            annotation = info.annotation
            stack.extend(_nested_models(annotation))
    return names


def _nested_models(annotation: Any) -> list[Any]:
    found: list[Any] = []
    args = getattr(annotation, "__args__", ()) or ()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in args:
        found.extend(_nested_models(arg))
    return found


def locate(data: Any, loc: tuple[Any, ...]) -> tuple[list[str | int], int | None]:
    """Walk ``loc`` through loaded YAML; return the real path and its line.

    Pydantic inserts union-branch tags into ``loc``; parts that are not keys or
    indices of the data are skipped.
    """
    path: list[str | int] = []
    line: int | None = getattr(data, "line", None) or None
    current = data
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            if isinstance(current, LineDict):
                line = current.line_of(part)
            current = current[part]
            path.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            if isinstance(current, LineList):
                line = current.line_of(part)
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and not _is_tag(part):
            path.append(part)  # a missing key: keep the name, line of the mapping
            current = None
    return path, line


def _is_tag(part: str) -> bool:
    """A union-branch label pydantic puts into an error location."""
    return (
        "[" in part
        or part in {"str", "int", "float", "bool", "date", "list", "dict", "doc", "use"}
        or part[:1].isupper()  # a model class name
        or part.startswith(("function-", "literal", "constrained", "lax-", "json-"))
    )


def dotted(path: list[str | int]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _message(error: Any, data: Any, path: list[str | int], model: type[BaseModel]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = path[-1] if path else ""
        return "unknown key" + closest(str(key), _field_names(model))
    if kind == "missing":
        return "is required"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        value = error.get("input")
        hint = closest(str(value)[:100], [c.strip(" '") for c in str(expected).replace(" or ", ",").split(",")])
        return f"{short(value)} is not one of {expected}{hint}"
    if kind == "string_pattern_mismatch":
        return f"{short(error.get('input'))} is not a valid name (pattern {error['ctx']['pattern']})"
    return message[0].lower() + message[1:] if message else kind


_SHAPE_ERRORS = {"string_type", "model_type", "dict_type", "list_type", "bool_type", "int_type", "float_type"}


def validate(
    model: type[M], data: Any, *, path: str, clause: str = "", prefix: str = ""
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` as ``model``; collect one problem per bad field."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[str] = set()
        # Of the errors of a union's branches, the one about the branch the
        # value has the shape of comes first ("a mapping is not a string" says nothing).
        errors = sorted(exc.errors(), key=lambda e: e["type"] in _SHAPE_ERRORS and len(e["loc"]) > 1)
        for error in errors:
            real, line = locate(data, tuple(error["loc"]))
            field = dotted(real)
            if prefix:
                field = f"{prefix}.{field}" if field else prefix
            if field in seen:
                continue  # one message per field: union branches repeat themselves
            seen.add(field)
            problems.append(
                Problem(_message(error, data, real, model), path, line, clause, field)
            )
        return None, problems
