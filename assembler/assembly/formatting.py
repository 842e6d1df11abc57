"""How numbers, money, durations, percentages and dates read in legal text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words

_EN_US = Locale.parse("en_US")
_EN_GB = Locale.parse("en_GB")
"""Parsed once: babel parses a locale name again on every call given one."""

_UNITS = {
    "days": ("day", "days"),
    "business_days": ("Business Day", "Business Days"),
    "hours": ("hour", "hours"),
    "weeks": ("week", "weeks"),
    "months": ("month", "months"),
    "years": ("year", "years"),
}


def words(number: int | Decimal) -> str:
    """Number in words: 60 → "sixty", 7.5 → "seven point five"."""
    return _words(str(Decimal(number)))


def digits(number: int | Decimal) -> str:
    """Number in digits with thousands separators: 5000000 → "5,000,000"."""
    return _digits(str(Decimal(number)))


# Cached by the number's exact text ("7.50" is not "7.5"): clause texts
# format the same few numbers over and over, and num2words and babel are slow.
@lru_cache(maxsize=4096)
def _words(text: str) -> str:
    value = Decimal(text)
    if value == value.to_integral_value():
        return str(num2words(int(value), lang="en"))
    return str(num2words(value, lang="en"))


@lru_cache(maxsize=4096)
def _digits(text: str) -> str:
    return str(format_decimal(Decimal(text), locale=_EN_US, decimal_quantization=False))


def number_phrase(number: int | Decimal) -> str:
    """"sixty (60)" — the words-and-digits style of legal drafting."""
    return f"{words(number)} ({digits(number)})"


def unit_words(number: int | Decimal, unit: str) -> tuple[str, str]:
    """("sixty (60)", "days") for ``number`` of ``unit``."""
    singular, plural = _UNITS[unit]
    return number_phrase(number), singular if Decimal(number) == 1 else plural


def percent_phrase(number: int | Decimal) -> str:
    """"seven percent (7%)"; "seven point five percent (7.5%)"."""
    return f"{words(number)} percent ({digits(number)}%)"


def money_text(amount: Decimal, currency: str) -> str:
    """"USD 5,000,000"; cents only when the amount has them."""
    if amount == amount.to_integral_value():
        text = format_decimal(amount, format="#,##0", locale=_EN_US)
    else:
        text = format_decimal(amount, format="#,##0.00", locale=_EN_US)
    return f"{currency} {text}"


def date_text(value: dt.date) -> str:
    """"1 December 2026"."""
    return str(format_date(value, format="d MMMM y", locale=_EN_GB))


def join_words(items: list[str], word: str = "and") -> str:
    """"A, B and C"."""
    items = [str(item) for item in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
