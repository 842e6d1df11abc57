"""The sandbox clause text runs in: Jinja's immutable sandbox with
``StrictUndefined``, no Jinja globals but a bounded ``range`` and
``namespace``, size limits on every way of building large text, a
``finalize`` that prints only text, numbers, dates, money and blanks (all deal
text Markdown-escaped), and a loader that serves one template at a time, so a
clause can never include, extend or import another.

Helpers write private-use markers into the text (``\ue000`` kind payload
``\ue001``); ``markdown.py`` turns them into tree nodes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from jinja2.utils import Namespace

from assembler.assembly import formatting
from assembler.library.values import BlankValue, Money

MARK_OPEN, MARK_CLOSE, MARK_SEP = "\ue000", "\ue001", "\ue002"
MARKER = re.compile("\ue000([RTBI])([^\ue000\ue001]*)\ue001")

MAX_OUTPUT_CHARS = 200_000
MAX_OPERAND_CHARS = 100_000
_ESCAPE = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


class Safe(str):
    """Text a helper produced: already Markdown, not escaped again."""


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation mark; fold line breaks."""
    text = " ".join(text.split()) if "\n" in text or "\r" in text else text
    return _ESCAPE.sub(r"\\\1", text)


def blank_marker(name: str) -> Safe:
    return Safe(f"{MARK_OPEN}B{name}{MARK_CLOSE}")


_WIDTH = re.compile(r"%[-+ #0]*(\d+)?(?:\.(\d+))?|\{[^{}]*?:[^{}]*?(\d+)(?:\.(\d+))?[^{}]*\}")
_PADDING_METHODS = {"ljust", "rjust", "center", "zfill", "expandtabs"}


def _check_widths(template: str) -> None:
    """Refuse format strings whose field widths would build huge text."""
    for match in _WIDTH.finditer(template):
        for number in match.groups():
            if number and len(number) > 5 or number and int(number) > MAX_OPERAND_CHARS:
                raise SecurityError(f"a format width over {MAX_OPERAND_CHARS:,} characters is not allowed in clause text")


class BoundedNamespace(Namespace):
    """``namespace()`` for loop state, refusing values that grow past the limits."""

    def __setitem__(self, name: str, value: Any) -> None:
        if isinstance(value, (str, list, tuple)) and len(value) > MAX_OPERAND_CHARS:
            raise SecurityError(f"a namespace value over {MAX_OPERAND_CHARS:,} items is not allowed in clause text")
        super().__setitem__(name, value)


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox (clause text cannot change lists, dicts or the
    deal's records) with size limits on operators, formatting and padding."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in _PADDING_METHODS:
                sizes = [a for a in (*args, *kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)]
                if any(size > MAX_OPERAND_CHARS for size in sizes):
                    raise SecurityError(f"{name}() wider than {MAX_OPERAND_CHARS:,} characters is not allowed in clause text")
            elif name in ("format", "format_map"):
                _check_widths(owner)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        # str.format / str.format_map are handed out by Jinja as a wrapper;
        # check the format string's widths before handing it out
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_widths(owner)
        return super().wrap_str_format(value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float, Decimal)) and (right > 100 or right < -100):
                raise SecurityError("exponent too large (limit 100)")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    if len(seq) * max(count, 0) > MAX_OPERAND_CHARS:
                        raise SecurityError(
                            f"result of '*' would be longer than {MAX_OPERAND_CHARS:,} characters"
                        )
        if operator == "%" and isinstance(left, str):
            _check_widths(left)
        if operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                if len(left) + len(right) > MAX_OUTPUT_CHARS:
                    raise SecurityError(f"result of '+' longer than {MAX_OUTPUT_CHARS:,} characters")
        return super().call_binop(context, operator, left, right)


def finalize(value: Any) -> str:
    if isinstance(value, Safe):
        return value
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()  # its own message: undefined, or unsafe attribute
        raise TemplateError("an undefined value cannot be printed in clause text")
    if isinstance(value, BlankValue):
        return blank_marker(value.name)
    if isinstance(value, Money):
        return Safe(formatting.money_text(value.amount, value.currency))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, Decimal)):
        return Safe(formatting.digits(value))
    if isinstance(value, float):
        return Safe(formatting.digits(Decimal(str(value))))
    if isinstance(value, dt.date):
        return Safe(formatting.date_text(value))
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_markdown(value)
    # functions, records, lists and template internals never print into a draft
    raise TemplateError(f"a {type(value).__name__} cannot be printed in clause text; print its fields or use join()")


def make_environment() -> SandboxedEnvironment:
    """The one environment every clause template is compiled in."""
    env = _BoundedSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        finalize=finalize,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.clear()  # no dict/lipsum/cycler/joiner from Jinja
    env.globals["range"] = _bounded_range
    env.globals["namespace"] = BoundedNamespace  # loop state: {% set ns.total = ns.total + 1 %}
    env.filters = {name: env.filters[name] for name in _SAFE_FILTERS if name in env.filters}
    return env


_SAFE_FILTERS = (
    "abs", "capitalize", "default", "d", "first", "join", "last", "length", "count", "list",
    "lower", "max", "min", "replace", "reverse", "round", "sort", "sum", "title", "trim",
    "upper", "selectattr", "rejectattr", "map", "select", "reject", "int", "float", "string",
)


def _bounded_range(*args: int) -> range:
    result = range(*args)
    if len(result) > 1000:
        raise SecurityError("range() is limited to 1,000 items in clause text")
    return result


class TextLoader(BaseLoader):
    """Serves clause texts by name so Jinja's bytecode cache can keep their
    compiled form between runs (``from_string`` bypasses that cache)."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}
        self.current: str | None = None
        """The one template that may be loaded now (while it is compiled)."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        if template != self.current or template not in self.sources:
            raise TemplateNotFound(template)  # clause text cannot load another clause's text
        return self.sources[template], None, lambda: True


_COMPOSITION_TAG = re.compile(r"\{%[-+]?\s*(?:extends|include|import|from)\b")


def refuse_composition(env: Any, source: str) -> None:
    """Clause text is one self-contained template: no extends, include or import."""
    if not _COMPOSITION_TAG.search(source):
        return  # the usual case: no need to parse the text a second time
    try:
        tree = env.parse(source)
    except TemplateSyntaxError:
        return  # reported with its line by the compile that follows
    for node_type, word in ((nodes.Extends, "extends"), (nodes.Include, "include"), (nodes.Import, "import"), (nodes.FromImport, "import")):
        if next(tree.find_all(node_type), None) is not None:
            raise SecurityError(f"'{word}' is not allowed in clause text (each clause is self-contained)")
