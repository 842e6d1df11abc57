"""Clause texts that need no Jinja compiler: plain text and simple ``{{ … }}``.

Most clause texts are prose with a few helper calls:
``{{ party('pharma') }} shall pay {{ money(upfront_fee) }} within {{ days(n) }}``.
Compiling such a text with Jinja (lex, parse, generate Python, compile it)
takes a couple of milliseconds; a library of 10,000 clauses spends most of
its lint in the compiler. :func:`parse` recognises texts made only of text
and expressions of the forms ``name`` and ``name(arg, …)``, where each
``arg`` is a quoted string without backslashes, a whole number or a name,
and :class:`SimpleTemplate` renders them through the same environment calls
the code Jinja would generate makes (``resolve_or_missing``, ``undefined``,
``environment.call`` with the sandbox's checks, ``finalize``, ``str``). So
the output and the errors are the same; anything else (blocks, comments,
whitespace control, attributes, operators, filters) goes to Jinja.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2.runtime import new_context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing

_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_ARG = rf"""'[^'\\]*'|"[^"\\]*"|0|[1-9][0-9]*|{_NAME}"""
_CALL = re.compile(rf"\s*({_NAME})\s*(?:\(\s*((?:{_ARG})(?:\s*,\s*(?:{_ARG}))*)?\s*\))?\s*$")
_ARGS = re.compile(rf"\s*({_ARG})\s*(?:,|$)")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_RESERVED = frozenset(
    "and or not in is if else elif for endfor true false none True False None".split()
)


@dataclass(frozen=True, slots=True)
class _Name:
    name: str


@dataclass(frozen=True, slots=True)
class _Output:
    """``{{ name }}`` (args is None) or ``{{ name(args) }}``."""

    name: str
    args: tuple[str | int | _Name, ...] | None


@dataclass(frozen=True, slots=True)
class SimpleTemplate:
    """A parsed simple text; :meth:`render` gives what Jinja would."""

    name: str
    parts: tuple[str | _Output, ...]

    def render(self, env: SandboxedEnvironment, variables: dict[str, Any]) -> str:
        context = new_context(env, self.name, {}, variables, shared=True)
        resolved: dict[str, Any] = {}

        def value(name: str) -> Any:
            if name not in resolved:
                found = context.resolve_or_missing(name)
                resolved[name] = env.undefined(name=name) if found is missing else found
            return resolved[name]

        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            result = value(part.name)
            if part.args is not None:
                args = [value(arg.name) if isinstance(arg, _Name) else arg for arg in part.args]
                result = env.call(context, result, *args)
            out.append(str(env.finalize(result) if env.finalize else result))
        return "".join(out)


def parse(name: str, source: str) -> SimpleTemplate | None:
    """The simple template of ``source``, or None if Jinja must compile it."""
    if "{%" in source or "{#" in source:
        return None
    lines = _NEWLINES.split(source)
    if lines[-1] == "":  # keep_trailing_newline=False: Jinja drops one final newline
        del lines[-1]
    text = "\n".join(lines)
    parts: list[str | _Output] = []
    position = 0
    for match in _EXPRESSION.finditer(text):
        before = text[position:match.start()]
        output = _output(match.group(1))
        if output is None or "{{" in before:
            return None
        if before:
            parts.append(before)
        parts.append(output)
        position = match.end()
    rest = text[position:]
    if "{{" in rest:
        return None
    if rest:
        parts.append(rest)
    return SimpleTemplate(name, tuple(parts))


@lru_cache(maxsize=65_536)  # the same few calls recur across a library
def _output(expression: str) -> _Output | None:
    if expression.startswith(("-", "+")) or expression.endswith("-"):
        return None  # whitespace control and signs are Jinja's
    call = _CALL.match(expression)
    if call is None or call.group(1) in _RESERVED:
        return None
    if "(" not in expression:
        return _Output(call.group(1), None)
    args: list[str | int | _Name] = []
    listed = call.group(2) or ""
    for arg in _ARGS.findall(listed):
        if arg[0] in "'\"":
            args.append(arg[1:-1])
        elif arg[0].isdigit():
            args.append(int(arg))
        elif arg in _RESERVED:
            return None
        else:
            args.append(_Name(arg))
    return _Output(call.group(1), tuple(args))


__all__ = ["SimpleTemplate", "parse"]
