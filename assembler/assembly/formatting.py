"""How numbers, money, durations, percentages and dates read in legal text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, get_currency_symbol
from num2words import num2words

from assembler.library.conventions import DateStyle, MoneyStyle, NumberStyle

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


def _separators(text: str, numbers: NumberStyle | None) -> str:
    """en-US digits ("1,000.5") in a house's separators ("1.000,5")."""
    if numbers is None or (numbers.group == "," and numbers.decimal == "."):
        return text
    return text.translate({ord(","): "\0", ord("."): numbers.decimal}).replace("\0", numbers.group)


def house_digits(number: int | Decimal, numbers: NumberStyle | None = None) -> str:
    """Digits with the house's separators: "5,000,000", "5.000.000", "5 000 000"."""
    return _separators(digits(number), numbers)


def number_phrase(number: int | Decimal, numbers: NumberStyle | None = None) -> str:
    """"sixty (60)" — the words-and-digits style of legal drafting (or "60")."""
    if numbers is not None and not numbers.words:
        return house_digits(number, numbers)
    return f"{words(number)} ({house_digits(number, numbers)})"


def unit_words(number: int | Decimal, unit: str, numbers: NumberStyle | None = None) -> tuple[str, str]:
    """("sixty (60)", "days") for ``number`` of ``unit``."""
    singular, plural = _UNITS[unit]
    return number_phrase(number, numbers), singular if Decimal(number) == 1 else plural


def percent_phrase(number: int | Decimal, numbers: NumberStyle | None = None) -> str:
    """"seven percent (7%)"; "seven point five percent (7.5%)" (or "7%")."""
    if numbers is not None and not numbers.words:
        return f"{house_digits(number, numbers)}%"
    return f"{words(number)} percent ({house_digits(number, numbers)}%)"


def money_text(amount: Decimal, currency: str, money: MoneyStyle | None = None, numbers: NumberStyle | None = None) -> str:
    """"USD 5,000,000"; cents only when the amount has them. A house style
    may ask for a symbol ("$5,000,000", "US$5,000,000"), the currency after
    the amount, other separators or cents always."""
    whole = amount == amount.to_integral_value() and (money is None or money.cents == "when_needed")
    text = format_decimal(amount, format="#,##0" if whole else "#,##0.00", locale=_EN_US)
    if money is None:
        return f"{currency} {_separators(text, numbers)}"
    text = _separators(text, numbers)
    mark = currency
    if money.currency == "symbol" or currency in money.symbols:
        mark = money.symbols.get(currency) or str(get_currency_symbol(currency, locale=_EN_US))
    space = money.space if money.space is not None else mark[-1:].isalpha()
    gap = " " if space else ""
    return f"{mark}{gap}{text}" if money.placement == "before" else f"{text}{' ' if money.space is not False else ''}{mark}"


def date_text(value: dt.date, dates: DateStyle | None = None) -> str:
    """"1 December 2026" (or the house's pattern: "December 1, 2026")."""
    return str(format_date(value, format=dates.format if dates is not None else "d MMMM y", locale=_EN_GB))


def join_words(items: list[str], word: str = "and") -> str:
    """"A, B and C"."""
    items = [str(item) for item in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
