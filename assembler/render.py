"""Stage 3: render clause text with Jinja, sandboxed.

Templates run in a ``SandboxedEnvironment`` with ``StrictUndefined`` and
bounded operators. Helpers such as ``ref`` and ``term`` cannot know numbers
yet, so they write private-use markers into the text; ``markdown.py`` turns
the markers into tree nodes and ``assemble.py`` resolves them. Every value
from the deal is Markdown-escaped on output, so deal text is never markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jinja2 import (
    BaseLoader,
    FileSystemBytecodeCache,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.runtime import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from . import formatting
from .cache import bytecode_dir
from .errors import Problem, RenderError
from .limits import MEMORY_BYTES, RENDER_SECONDS, RenderTimeout, time_limit
from .schema import GOVERNING_LAWS
from .values import BlankValue, Money, Record

# Markers: \ue000 kind payload \ue001. Kinds: R ref, T term (name \ue002 shown), B blank.
MARK_OPEN, MARK_CLOSE, MARK_SEP = "\ue000", "\ue001", "\ue002"
MARKER = re.compile("\ue000([RTB])([^\ue000\ue001]*)\ue001")

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
            if isinstance(right, (int, float, Decimal)) and abs(right) > 100:
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


def _finalize(value: Any) -> str:
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
        finalize=_finalize,
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


class Helpers:
    """The helper functions clause text may call, bound to one deal.

    They record what they were asked for (references, terms, blanks) and
    return Markdown text with markers.
    """

    def __init__(self, parties: list[Record], currency: str, governing_law: str) -> None:
        self.parties = parties
        self.currency = currency
        self.governing_law = governing_law

    def functions(self) -> dict[str, Callable[..., Any]]:
        return {
            "ref": self.ref,
            "term": self.term,
            "party": self.party,
            "parties": self.parties_of,
            "money": self.money,
            "days": lambda n: self._unit(n, "days"),
            "business_days": lambda n: self._unit(n, "business_days"),
            "hours": lambda n: self._unit(n, "hours"),
            "weeks": lambda n: self._unit(n, "weeks"),
            "months": lambda n: self._unit(n, "months"),
            "years": lambda n: self._unit(n, "years"),
            "number": self.number,
            "words": self.words,
            "percent": self.percent,
            "date": self.date,
            "law": self.law,
            "join": self.join,
            "total": self.total,
        }

    @staticmethod
    def ref(clause_id: Any) -> Safe:
        if not isinstance(clause_id, str) or not clause_id:
            raise TemplateError(f"ref() needs a clause id, not {clause_id!r}")
        if any(c in clause_id for c in (MARK_OPEN, MARK_CLOSE, MARK_SEP)):
            raise TemplateError("ref(): invalid clause id")
        return Safe(f"{MARK_OPEN}R{clause_id}{MARK_CLOSE}")

    @staticmethod
    def term(name: Any, shown: Any = None) -> Safe:
        if not isinstance(name, str) or not name.strip():
            raise TemplateError(f"term() needs a defined term, not {name!r}")
        shown_text = name if shown is None else str(shown)
        for text in (name, shown_text):
            if any(c in text for c in (MARK_OPEN, MARK_CLOSE, MARK_SEP)):
                raise TemplateError("term(): invalid characters")
        return Safe(f"{MARK_OPEN}T{name}{MARK_SEP}{shown_text}{MARK_CLOSE}")

    def _find(self, role: Any) -> Record:
        matches = [p for p in self.parties if p["role"] == role]
        if not matches:
            roles = ", ".join(sorted({p["role"] for p in self.parties}))
            raise TemplateError(f"party({role!r}): no party has that role (roles: {roles})")
        if len(matches) > 1:
            raise TemplateError(
                f"party({role!r}): {len(matches)} parties have that role; use parties({role!r})"
            )
        return matches[0]

    def party(self, role: Any, field: str = "short_name") -> Safe:
        record = self._find(role)
        if field not in ("short_name", "legal_name", "entity_type", "address", "role"):
            raise TemplateError(f"party(): unknown field {field!r}")
        return Safe(escape_markdown(str(record[field])))

    def parties_of(self, role: Any = None) -> list[Record]:
        if role is None:
            return list(self.parties)
        return [p for p in self.parties if p["role"] == role]

    def money(self, value: Any) -> Safe:
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        if isinstance(value, Money):
            return Safe(formatting.money_text(value.amount, value.currency))
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return Safe(formatting.money_text(Decimal(value), self.currency))
        raise TemplateError(f"money() needs an amount of money, not {value!r}")

    @staticmethod
    def _whole(value: Any, helper: str) -> int | Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise TemplateError(f"{helper}() needs a number, not {value!r}")
        return value

    def _unit(self, value: Any, unit: str) -> Safe:
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        number, noun = formatting.unit_words(self._whole(value, unit), unit)
        if unit == "business_days":
            return Safe(f"{number} " + self.term("Business Day", noun))
        return Safe(f"{number} {noun}")

    def number(self, value: Any) -> Safe:
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        return Safe(formatting.number_phrase(self._whole(value, "number")))

    def words(self, value: Any) -> Safe:
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        return Safe(formatting.words(self._whole(value, "words")))

    def percent(self, value: Any) -> Safe:
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        return Safe(formatting.percent_phrase(self._whole(value, "percent")))

    @staticmethod
    def date(value: Any) -> Safe:
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        if not isinstance(value, dt.date):
            raise TemplateError(f"date() needs a date, not {value!r}")
        return Safe(formatting.date_text(value))

    def law(self) -> Safe:
        return Safe(escape_markdown(GOVERNING_LAWS[self.governing_law]))

    @staticmethod
    def join(items: Any, word: str = "and") -> Safe:
        if not isinstance(items, (list, tuple)):
            raise TemplateError("join() needs a list")
        return Safe(formatting.join_words([_finalize(item) for item in items], escape_markdown(word)))

    def total(self, rows: Any, field: str) -> Money | BlankValue:
        if not isinstance(rows, (list, tuple)):
            raise TemplateError("total() needs a list")
        amount = Decimal(0)
        currency = self.currency
        for row in rows:
            value = row.get(field) if isinstance(row, dict) else None
            if isinstance(value, BlankValue):
                return BlankValue(f"total.{field}")
            if isinstance(value, Money):
                currency = value.currency
                amount += value.amount
            elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                amount += Decimal(value)
            else:
                raise TemplateError(f"total(): field {field!r} is not an amount in every row")
        return Money(amount, currency)


class _TextLoader(BaseLoader):
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


def _refuse_composition(env: Any, source: str) -> None:
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


class Renderer:
    """Compiles each clause text once and renders it for a deal."""

    def __init__(self) -> None:
        self.env = make_environment()
        self._loader = _TextLoader()
        self.env.loader = self._loader
        folder = bytecode_dir()
        if folder is not None:
            self.env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        self.env.cache = None  # we keep our own cache, keyed by clause and field
        self._cache: dict[tuple[str, str, str], Any] = {}

    def compile(self, key: tuple[str, str], source: str) -> Any:
        template = self._cache.get((*key, source))
        if template is None:
            name = "\0".join(key)
            self._loader.sources[name] = source
            self._loader.current = name
            try:
                _refuse_composition(self.env, source)
                template = self.env.get_template(name)
            finally:
                self._loader.current = None
            self._cache[(*key, source)] = template
        return template

    def render(self, key: tuple[str, str], source: str, context: dict[str, Any]) -> str:
        """Render one text; raise :class:`RenderError` naming the clause."""
        clause_id, field = key
        try:
            template = self.compile(key, source)
            with time_limit():
                text = str(template.render(context))
        except RenderTimeout:
            raise RenderError([Problem(f"rendering took longer than {RENDER_SECONDS:g} seconds (the limit for one clause)", clause=clause_id, field=field)]) from None
        except TemplateSyntaxError as exc:
            raise RenderError([Problem(f"template syntax error on line {exc.lineno}: {exc.message}", clause=clause_id, field=field)]) from None
        except UndefinedError as exc:
            raise RenderError([Problem(f"undefined variable: {exc.message}", clause=clause_id, field=field)]) from None
        except SecurityError as exc:
            raise RenderError([Problem(f"not allowed in clause text: {exc}", clause=clause_id, field=field)]) from None
        except TemplateError as exc:
            raise RenderError([Problem(str(exc.message or exc), clause=clause_id, field=field)]) from None
        except ArithmeticError:
            raise RenderError([Problem("arithmetic error in clause text (a number too large or a division by zero)", clause=clause_id, field=field)]) from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            raise RenderError([Problem(f"error in clause text: {exc}", clause=clause_id, field=field)]) from None
        except RecursionError:
            raise RenderError([Problem("clause text nests too deeply (recursion limit)", clause=clause_id, field=field)]) from None
        except MemoryError:
            raise RenderError([Problem(f"rendering needed more than {MEMORY_BYTES // 1024**3} GiB of memory (the limit)", clause=clause_id, field=field)]) from None
        if len(text) > MAX_OUTPUT_CHARS:
            raise RenderError(
                [Problem(f"rendered text is {len(text):,} characters; the limit is {MAX_OUTPUT_CHARS:,}", clause=clause_id, field=field)]
            )
        return text

    def check_syntax(self, key: tuple[str, str], source: str) -> str | None:
        """The syntax error of a template, or None (for lint)."""
        try:
            self.compile(key, source)
        except TemplateSyntaxError as exc:
            return f"template syntax error on line {exc.lineno}: {exc.message}"
        except SecurityError as exc:
            return f"not allowed in clause text: {exc}"
        return None
