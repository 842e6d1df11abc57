"""Which deal value explains a change of words: "forty-five (45) days" where
we wrote "sixty (60) days" is ``publication_review_days: 45``.

For every changed stretch of a clause, each variable the clause reads is
tried: if the stretch we wrote holds that variable's value as the clause
renders it, their words are read as a new value of the variable's type
(durations and numbers from "(45)" or from the words, money from "USD
1,500,000", percentages from "(7%)", dates from "1 March 2027", text as
typed). A value inside a table (a row of a list variable) is tried field by
field. Whether the new value really explains their text is decided by a
build (``absorb.py``), never here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from assembler.assembly import formatting
from assembler.library.schema import VariableSpec
from assembler.library.values import DURATION_TYPES, BlankValue, Money, ValueContext, ValueProblem, coerce

from ..worddiff import Segment


@dataclass(frozen=True, slots=True)
class Candidate:
    """A new value for one variable (or one field of one row of a list)."""

    variable: str
    path: tuple[int | str, ...]
    """() for the variable itself; (row, field) or (row,) inside a list."""
    old: Any
    new: Any
    """The new value as a deal file writes it."""

    @property
    def name(self) -> str:
        return self.variable + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path)


def renderings(spec: VariableSpec, value: Any) -> list[str]:
    """How a value reads in clause text ("sixty (60)", "USD 5,000,000")."""
    if isinstance(value, BlankValue) or value is None:
        return []
    kind = spec.type
    try:
        if kind in (*DURATION_TYPES, "integer") and isinstance(value, (int, Decimal)):
            return [formatting.number_phrase(value), formatting.words(value), formatting.digits(value)]
        if kind in ("percent", "number") and isinstance(value, (int, Decimal)):
            return [formatting.percent_phrase(value), formatting.number_phrase(value), f"{formatting.digits(value)}%", formatting.digits(value)]
        if kind == "money" and isinstance(value, Money):
            return [formatting.money_text(value.amount, value.currency)]
        if kind == "date" and isinstance(value, dt.date):
            return [formatting.date_text(value)]
        if kind in ("string", "text") and isinstance(value, str):
            return [value]
    except (ArithmeticError, ValueError):
        return []
    return []


@cache
def _number_words() -> dict[str, int]:
    return {formatting.words(n): n for n in range(0, 1001)}


def _number(text: str) -> Decimal | None:
    found = re.search(r"\((\d[\d,]*(?:\.\d+)?)%?\)", text) or re.search(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?![\w])", text)
    if found:
        try:
            return Decimal(found.group(1).replace(",", ""))
        except InvalidOperation:
            return None
    words = " ".join(re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower()))
    for phrase, number in sorted(_number_words().items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{re.escape(phrase)}\b", words):
            return Decimal(number)
    return None


def parse_as(spec: VariableSpec, old_value: Any, old_text: str, new_text: str, currency: str) -> Any:
    """Their words as a new value of ``spec``'s type, in deal-file form; None
    when they cannot be read as one."""
    kind = spec.type
    if kind in (*DURATION_TYPES, "integer"):
        number = _number(new_text)
        return int(number) if number is not None and number == number.to_integral_value() else None
    if kind in ("percent", "number"):
        number = _number(new_text)
        return None if number is None else (int(number) if number == number.to_integral_value() else float(number))
    if kind == "money":
        found = re.search(r"\b([A-Z]{3})\s?(\d[\d,]*(?:\.\d+)?)", new_text) or re.search(r"(\d[\d,]*(?:\.\d+)?)", new_text)
        if not found:
            return None
        code, digits = (found.group(1), found.group(2)) if found.lastindex == 2 else (currency, found.group(1))
        amount = Decimal(digits.replace(",", ""))
        plain = int(amount) if amount == amount.to_integral_value() else float(amount)
        return plain if code == currency else {"amount": plain, "currency": code}
    if kind == "date":
        try:
            return dt.datetime.strptime(" ".join(new_text.split()).strip(" ,.;"), "%d %B %Y").date()
        except ValueError:
            return None
    if kind in ("string", "text") and isinstance(old_value, str) and old_text in old_value:
        return old_value.replace(old_text, new_text, 1)
    return None


def to_deal(value: Any, currency: str) -> Any:
    """A coerced value as a deal file writes it."""
    if isinstance(value, Money):
        amount = int(value.amount) if value.amount == value.amount.to_integral_value() else float(value.amount)
        return amount if value.currency == currency else {"amount": amount, "currency": value.currency}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: to_deal(item, currency) for key, item in value.items() if not isinstance(item, BlankValue)}
    if isinstance(value, (list, tuple)):
        return [to_deal(item, currency) for item in value]
    return value


def pairs(segments: list[Segment]) -> list[tuple[str, str]]:
    """The (ours, theirs) stretches of a word diff that changed."""
    out: list[tuple[str, str]] = []
    old, new = "", ""
    for op, text in [*segments, ("=", "")]:
        if op == "-":
            old += text
        elif op == "+":
            new += text
        elif old or new:
            out.append((old.strip(), new.strip()))
            old, new = "", ""
    return out


def _matches(renders: list[str], old: str) -> str | None:
    for text in renders:
        if text and (text in old or (old and old in text)):
            return text
    return None


def candidates(variables: dict[str, VariableSpec], values: dict[str, Any], changes: list[tuple[str, str]], currency: str) -> list[Candidate]:
    """Every reading of the changed stretches as a new value of a variable
    the clause reads."""
    found: list[Candidate] = []
    for old, new in changes:
        for name, spec in variables.items():
            value = values.get(name)
            targets: list[tuple[tuple[int | str, ...], VariableSpec, Any]] = [((), spec, value)]
            if spec.type == "list" and spec.items is not None and isinstance(value, (list, tuple)):
                for row, item in enumerate(value):
                    if spec.items.type == "object" and spec.items.fields and isinstance(item, dict):
                        targets += [((row, key), field_spec, item.get(key)) for key, field_spec in spec.items.fields.items()]
                    else:
                        targets.append(((row,), spec.items, item))
            for path, target_spec, target_value in targets:
                rendered = _matches(renderings(target_spec, target_value), old)
                if rendered is None:
                    continue
                old_part = old if old in rendered else rendered
                new_value = parse_as(target_spec, target_value, old_part, new if old in rendered else new, currency)
                if new_value is not None:
                    candidate = Candidate(name, path, to_deal(target_value, currency), new_value)
                    if candidate not in found:
                        found.append(candidate)
    return found


def apply(candidate: Candidate, current: Any, currency: str) -> Any:
    """The variable's whole new value (deal-file form) with the candidate in."""
    if not candidate.path:
        return candidate.new
    whole = to_deal(current, currency)
    row = candidate.path[0]
    if len(candidate.path) == 1:
        whole[row] = candidate.new
    else:
        whole[row] = dict(whole[row], **{str(candidate.path[1]): candidate.new})
    return whole


def check(spec: VariableSpec, value: Any, ctx: ValueContext) -> tuple[Any, str]:
    """The coerced value for a trial build (bounds aside) and, when it breaks
    the variable's bounds, why."""
    try:
        return coerce(spec, value, ctx), ""
    except ValueProblem as exc:
        problem = str(exc)
    loose = _unbounded(spec)
    try:
        return coerce(loose, value, ctx), problem
    except ValueProblem as exc:
        return None, str(exc)


def _unbounded(spec: VariableSpec) -> VariableSpec:
    items = _unbounded(spec.items) if spec.items is not None else None
    fields = {k: _unbounded(v) for k, v in spec.fields.items()} if spec.fields else spec.fields
    return spec.model_copy(update={"min": None, "max": None, "min_items": None, "max_items": None, "items": items, "fields": fields})
