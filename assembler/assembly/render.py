"""Stage 3: render clause text with Jinja, sandboxed.

Templates run in a ``SandboxedEnvironment`` with ``StrictUndefined`` and
bounded operators. Helpers such as ``ref`` and ``term`` cannot know numbers
yet, so they write private-use markers into the text; ``markdown.py`` turns
the markers into tree nodes and ``assemble.py`` resolves them. Every value
from the deal is Markdown-escaped on output, so deal text is never markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jinja2 import (
    FileSystemBytecodeCache,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    meta,
)
from jinja2.exceptions import SecurityError
from jinja2.runtime import Undefined

from assembler.assembly import formatting, simple_templates
from assembler.base.errors import Problem, RenderError
from assembler.base.limits import MEMORY_BYTES, RENDER_SECONDS, RenderTimeout, time_limit
from assembler.library.cache import bytecode_dir
from assembler.library.conventions import ConventionsSpec
from assembler.library.values import BlankValue, Money, Record

from .markdown import ANCHOR

# Markers: \ue000 kind payload \ue001. Kinds: R ref, T term (name \ue002 shown), B blank.
from .sandbox import (  # noqa: F401 - markers are part of this module's interface
    MARK_CLOSE,
    MARK_OPEN,
    MARK_SEP,
    MARKER,
    MAX_OUTPUT_CHARS,
    Safe,
    TextLoader,
    blank_marker,
    escape_markdown,
    finalize,
    make_environment,
    refuse_composition,
)
from .simple_templates import SimpleTemplate


def ref_list(clause_ids: list[str]) -> Safe:
    """The marker of a list of references (resolved as one phrase after numbering)."""
    return Safe(f"{MARK_OPEN}R" + "".join(MARK_SEP + i for i in clause_ids) + MARK_CLOSE)
def _defined(value: Any) -> Any:
    """``value``, or Jinja's "'name' is undefined" error for a name no deal value
    has (a helper given it would otherwise say "not Undefined", naming nothing)."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


class Helpers:
    """The helper functions clause text may call, bound to one deal.

    They record what they were asked for (references, terms, blanks) and
    return Markdown text with markers.
    """

    def __init__(self, parties: list[Record], currency: str, governing_law: str, conventions: ConventionsSpec | None = None) -> None:
        self.parties = parties
        self.currency = currency
        self.governing_law = governing_law
        """The governing law as it reads: "the laws of England and Wales"."""
        house = conventions or ConventionsSpec()
        # None where the house reads as the built-in library does: the plain paths
        self.money_style = None if "money" not in house.model_fields_set else house.money
        self.numbers = None if "numbers" not in house.model_fields_set else house.numbers
        self.dates = None if "dates" not in house.model_fields_set else house.dates

    def functions(self) -> dict[str, Callable[..., Any]]:
        return {
            "ref": self.ref,
            "refs": self.refs,
            "define": self.define,
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
    def ref(clause_id: Any, item: Any = None) -> Safe:
        """A cross-reference; with ``item``, to the list item of the clause whose
        text starts ``[#item]`` ("Section 7.2(b)")."""
        if not isinstance(clause_id, str) or not clause_id:
            raise TemplateError(f"ref() needs a clause id, not {clause_id!r}")
        if any(c in clause_id for c in (MARK_OPEN, MARK_CLOSE, MARK_SEP)):
            raise TemplateError("ref(): invalid clause id")
        if item is None:
            return Safe(f"{MARK_OPEN}R{clause_id}{MARK_CLOSE}")
        if not isinstance(item, str) or not ANCHOR.match("[#" + item + "]"):
            raise TemplateError(f"ref(): item must be the name of a list item ([#name] at the start of its text), not {item!r}")
        return Safe(f"{MARK_OPEN}I{clause_id}{MARK_SEP}{item}{MARK_CLOSE}")

    @classmethod
    def refs(cls, *clause_ids: Any) -> Safe:
        """Several references as one phrase: ``refs('a.b', 'c.d')`` or ``refs(ids)``."""
        ids: list[Any] = []
        for item in clause_ids:
            ids.extend(item if isinstance(item, (list, tuple)) else [item])
        if not ids:
            raise TemplateError("refs() needs at least one clause id")
        return ref_list([str(cls.ref(i))[2:-1] for i in ids])

    @staticmethod
    def define(name: Any) -> Safe:
        """Where running text defines a term (``inline: true`` in ``defines``): “**Services**”."""
        if not isinstance(name, str) or not name.strip():
            raise TemplateError(f"define() needs the term it defines, not {name!r}")
        return Safe(f"\u201c**{escape_markdown(name)}**\u201d")

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
        value = _defined(value)
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        if isinstance(value, Money):
            return self._money(value.amount, value.currency)
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return self._money(Decimal(value), self.currency)
        raise TemplateError(f"money() needs an amount of money, not {value!r}")

    def _money(self, amount: Decimal, currency: str) -> Safe:
        text = formatting.money_text(amount, currency, self.money_style, self.numbers)
        # a house's own symbol is text, never markup
        return Safe(text if self.money_style is None else escape_markdown(text))

    @staticmethod
    def _whole(value: Any, helper: str) -> int | Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise TemplateError(f"{helper}() needs a number, not {value!r}")
        return value

    def _unit(self, value: Any, unit: str) -> Safe:
        value = _defined(value)
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        number, noun = formatting.unit_words(self._whole(value, unit), unit, self.numbers)
        if unit == "business_days":
            return Safe(f"{number} " + self.term("Business Day", noun))
        return Safe(f"{number} {noun}")

    def number(self, value: Any) -> Safe:
        value = _defined(value)
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        return Safe(formatting.number_phrase(self._whole(value, "number"), self.numbers))

    def words(self, value: Any) -> Safe:
        value = _defined(value)
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        return Safe(formatting.words(self._whole(value, "words")))

    def percent(self, value: Any) -> Safe:
        value = _defined(value)
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        return Safe(formatting.percent_phrase(self._whole(value, "percent"), self.numbers))

    def date(self, value: Any) -> Safe:
        value = _defined(value)
        if isinstance(value, BlankValue):
            return blank_marker(value.name)
        if not isinstance(value, dt.date):
            raise TemplateError(f"date() needs a date, not {value!r}")
        return Safe(formatting.date_text(value, self.dates))

    def law(self) -> Safe:
        return Safe(escape_markdown(self.governing_law))

    @staticmethod
    def join(items: Any, word: str = "and") -> Safe:
        if not isinstance(items, (list, tuple)):
            raise TemplateError("join() needs a list")
        return Safe(formatting.join_words([finalize(item) for item in items], escape_markdown(word)))

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


class Renderer:
    """Compiles each clause text once and renders it for a deal."""

    def __init__(self) -> None:
        self.env = make_environment()
        self._loader = TextLoader()
        self.env.loader = self._loader
        folder = bytecode_dir()
        if folder is not None:
            self.env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        self.env.cache = None  # we keep our own cache, keyed by clause and field
        self._cache: dict[tuple[str, str, str], Any] = {}
        self._expressions: dict[str, Any] = {}
        self._expression_names: dict[str, frozenset[str]] = {}

    def compile(self, key: tuple[str, str], source: str) -> Any:
        """The compiled text: a :class:`SimpleTemplate` for prose with simple
        ``{{ … }}`` expressions (no compiler needed), else a Jinja template."""
        template = self._cache.get((*key, source))
        if template is None:
            name = "\0".join(key)
            template = simple_templates.parse(name, source)
            if template is not None:
                self._cache[(*key, source)] = template
                return template
            self._loader.sources[name] = source
            self._loader.current = name
            try:
                refuse_composition(self.env, source)
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
            if "range" not in context:  # the sandbox's globals, once per context
                context.update(self.env.globals)
            with time_limit():
                if isinstance(template, SimpleTemplate):
                    text = template.render(self.env, context)
                else:
                    # A shared context: template.render() would copy the deal-wide
                    # context (every variable of the deal) for each clause.
                    text = self.env.concat(template.root_render_func(template.new_context(context, shared=True)))
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

    def expression(self, source: str) -> Any:
        """A compiled condition or constraint expression (compiled once)."""
        compiled = self._expressions.get(source)
        if compiled is None:
            compiled = self.env.compile_expression(source, undefined_to_none=False)
            self._expressions[source] = compiled
        return compiled

    def expression_names(self, source: str) -> set[str]:
        """The names an expression reads."""
        names = self._expression_names.get(source)
        if names is None:
            names = frozenset(meta.find_undeclared_variables(self.env.parse("{{ " + source + " }}")))
            self._expression_names[source] = names
        return set(names)

    def check_syntax(self, key: tuple[str, str], source: str) -> str | None:
        """The syntax error of a template, or None (for lint)."""
        try:
            self.compile(key, source)
        except TemplateSyntaxError as exc:
            return f"template syntax error on line {exc.lineno}: {exc.message}"
        except SecurityError as exc:
            return f"not allowed in clause text: {exc}"
        return None
