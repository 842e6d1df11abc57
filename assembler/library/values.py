"""Typed values of clause variables: checking a deal's terms against the
variables the clauses declare, and the value objects templates receive.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .fields import check_text
from .schema import VariableSpec

DURATION_TYPES = ("days", "business_days", "hours", "months", "years")
_MONEY_TEXT = re.compile(r"^\s*([A-Z]{3})\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a currency. Amounts are exact decimals, never floats."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"

    def as_json(self) -> dict[str, Any]:
        return {"amount": format(self.amount, "f"), "currency": self.currency}


class BlankValue:
    """A business term the deal left empty. Falsy; renders as ``[●]``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return "[●]"

    def __repr__(self) -> str:
        return f"BlankValue({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BlankValue) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("blank", self.name))

    def __getattr__(self, item: str) -> BlankValue:
        if item.startswith("__"):
            raise AttributeError(item)
        return BlankValue(f"{self.name}.{item}")


@dataclass(frozen=True, slots=True)
class ValueContext:
    """What checking a value needs to know about the deal."""

    currency: str = "USD"
    roles: tuple[str, ...] | None = None
    """Party roles of the deal; ``None`` accepts any role (library checks)."""


class ValueProblem(Exception):
    """A value does not fit its variable; ``field`` is relative to the variable."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _number(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueProblem(f"must be {what}, not {_kind(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueProblem(f"must be a finite number, not {value}")
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:  # pragma: no cover - defensive
        raise ValueProblem(f"must be {what}") from None
    if not number.is_finite():
        raise ValueProblem(f"must be a finite number, not {value}")
    if abs(number) >= Decimal(10) ** 15:
        raise ValueProblem(f"is too large ({_plain(number)[:30]}…); the limit is 10^15")
    return number


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    return type(value).__name__


def _bounds(number: Decimal, spec: VariableSpec, unit: str = "") -> None:
    suffix = f" {unit}" if unit else ""
    if spec.min is not None and number < Decimal(str(spec.min)):
        raise ValueProblem(f"must be at least {_plain(spec.min)}{suffix} (got {_plain(number)})")
    if spec.max is not None and number > Decimal(str(spec.max)):
        raise ValueProblem(f"must be at most {_plain(spec.max)}{suffix} (got {_plain(number)})")


def _plain(number: Any) -> str:
    if isinstance(number, Decimal):
        return format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _money(value: Any, spec: VariableSpec, ctx: ValueContext) -> Money:
    currency = ctx.currency
    if isinstance(value, dict):
        unknown = set(value) - {"amount", "currency"}
        if unknown:
            raise ValueProblem(f"unknown key {sorted(unknown)[0]!r} (money takes amount and currency)")
        if "amount" not in value:
            raise ValueProblem("is required", "amount")
        currency = value.get("currency", currency)
        if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValueProblem(f"{currency!r} is not a three-letter currency code", "currency")
        amount = _number(value["amount"], "an amount of money")
    elif isinstance(value, str):
        match = _MONEY_TEXT.match(value)
        if not match:
            raise ValueProblem(f"{value!r} is not an amount of money (write 5000000 or 'USD 5,000,000')")
        currency = match.group(1)
        amount = Decimal(match.group(2).replace(",", ""))
    else:
        amount = _number(value, "an amount of money")
    if amount < 0 and (spec.min is None or spec.min >= 0):
        raise ValueProblem(f"must not be negative (got {_plain(amount)})")
    _bounds(amount, spec)
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueProblem(f"has more than two decimal places ({_plain(amount)})")
    return Money(amount, currency)


def coerce(spec: VariableSpec, value: Any, ctx: ValueContext) -> Any:
    """Check ``value`` against ``spec`` and return the value templates see.

    Raises :class:`ValueProblem` with a message fit for a user.
    """
    kind = spec.type
    if value is None:
        raise ValueProblem("must not be empty (leave the key out to use the default)")
    if kind in ("string", "text"):
        if not isinstance(value, str):
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                value = str(value)
            else:
                raise ValueProblem(f"must be text, not {_kind(value)}")
        try:
            check_text(value, multiline=kind == "text")
        except ValueError as exc:
            raise ValueProblem(str(exc)) from None
        if not value.strip():
            raise ValueProblem("must not be empty")
        if len(value) > 20_000:
            raise ValueProblem(f"is {len(value):,} characters long; the limit is 20,000")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueProblem(f"must be true or false, not {_kind(value)}")
        return value
    if kind in ("integer", *DURATION_TYPES):
        number = _number(value, "a whole number")
        if number != number.to_integral_value():
            raise ValueProblem(f"must be a whole number (got {_plain(number)})")
        if kind != "integer" and number < 0:
            raise ValueProblem(f"must not be negative (got {_plain(number)})")
        _bounds(number, spec, kind.replace("_", " ") if kind != "integer" else "")
        return int(number)
    if kind in ("number", "percent"):
        number = _number(value, "a number")
        if kind == "percent" and not (0 <= number <= 100):
            raise ValueProblem(f"must be a percentage between 0 and 100 (got {_plain(number)})")
        _bounds(number, spec)
        return number
    if kind == "money":
        return _money(value, spec, ctx)
    if kind == "date":
        if isinstance(value, dt.datetime):
            raise ValueProblem("must be a date (YYYY-MM-DD), not a date and time")
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueProblem(f"{value!r} is not a valid date (YYYY-MM-DD)") from None
        if not isinstance(value, dt.date):
            raise ValueProblem(f"must be a date (YYYY-MM-DD), not {_kind(value)}")
        return value
    if kind == "choice":
        choices = spec.choices or []
        if not isinstance(value, str) or value not in choices:
            from .validation import closest

            raise ValueProblem(
                f"{value!r} is not one of {', '.join(choices)}" + closest(str(value), choices)
            )
        return value
    if kind == "party":
        if not isinstance(value, str):
            raise ValueProblem(f"must be a party role, not {_kind(value)}")
        if ctx.roles is not None and value not in ctx.roles:
            raise ValueProblem(f"{value!r} is not a role of this deal ({', '.join(ctx.roles)})")
        return value
    if kind == "list":
        if not isinstance(value, list):
            raise ValueProblem(f"must be a list, not {_kind(value)}")
        if spec.min_items is not None and len(value) < spec.min_items:
            raise ValueProblem(f"needs at least {spec.min_items} items (got {len(value)})")
        if spec.max_items is not None and len(value) > spec.max_items:
            raise ValueProblem(f"takes at most {spec.max_items} items (got {len(value)})")
        if len(value) > 1000:
            raise ValueProblem(f"has {len(value):,} items; the limit is 1,000")
        assert spec.items is not None
        result = []
        for index, item in enumerate(value):
            try:
                result.append(coerce(spec.items, item, ctx))
            except ValueProblem as exc:
                raise ValueProblem(str(exc), f"[{index}]" + (f".{exc.field}" if exc.field else "")) from None
        return tuple(result)
    if kind == "object":
        if not isinstance(value, dict):
            raise ValueProblem(f"must be a mapping, not {_kind(value)}")
        assert spec.fields is not None
        unknown = sorted(set(value) - set(spec.fields))
        if unknown:
            from .validation import closest

            raise ValueProblem("unknown key" + closest(unknown[0], spec.fields), unknown[0])
        record: dict[str, Any] = {}
        for name, field_spec in spec.fields.items():
            if name in value:
                try:
                    record[name] = coerce(field_spec, value[name], ctx)
                except ValueProblem as exc:
                    raise ValueProblem(str(exc), name + (f".{exc.field}" if exc.field else "")) from None
            elif field_spec.default is not None:
                record[name] = coerce(field_spec, field_spec.default, ctx)
            elif field_spec.required:
                raise ValueProblem("is required", name)
            else:
                record[name] = BlankValue(name)
        return Record(record)
    raise ValueProblem(f"unknown type {kind}")  # pragma: no cover - schema forbids


class Record(dict[str, Any]):
    """An object value: fields readable as ``row.amount`` and ``row['amount']``."""

    def __getattr__(self, item: str) -> Any:
        try:
            return self[item]
        except KeyError:
            raise AttributeError(item) from None


def to_json(value: Any) -> Any:
    """A plain-JSON form of a coerced value (for the lock and diffs)."""
    if isinstance(value, Money):
        return value.as_json()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral() else int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BlankValue):
        return None
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value
