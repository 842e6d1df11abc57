"""A library's house conventions: ``conventions.yaml`` in the library folder.

How amounts, numbers, dates and cross-references read, the definitions
list, and governing laws the library knows by id. Every field is optional, and a
library without the file reads as the built-in one does ("USD 5,000,000",
"sixty (60) days", "1 December 2026", "means"). With overlays, each later
folder's file replaces the earlier ones' settings section by section
(``money``, ``numbers`` …).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .fields import NAME, Line, Strict

CONVENTIONS_FILE = "conventions.yaml"

Separator = Literal[",", ".", " ", "\u00a0", "\u202f", "'", "\u2019", ""]


class MoneyStyle(Strict):
    """How ``money()`` writes an amount."""

    currency: Literal["code", "symbol"] = "code"
    """``code``: "USD 1,000"; ``symbol``: "$1,000" (the symbol of English usage, or ``symbols``)."""
    symbols: dict[Annotated[str, Field(pattern=r"^[A-Z]{3}$")], Line] = Field(default_factory=dict)
    """Your own symbol for a currency code: ``{USD: US$}`` gives "US$1,000"."""
    placement: Literal["before", "after"] = "before"
    """Before the amount ("USD 1,000") or after it ("1,000 USD")."""
    space: bool | None = None
    """A space between the currency and the amount; by default after a code
    or a symbol ending in a letter ("CHF 10"), none after "$" or "€"."""
    cents: Literal["when_needed", "always"] = "when_needed"
    """"USD 1,000" and "USD 1,000.50", or always two decimals ("USD 1,000.00")."""


class NumberStyle(Strict):
    """How numbers read in clause text."""

    group: Separator = ","
    """The thousands separator: "1,000,000" (or ".", a space, a thin space, "'", none)."""
    decimal: Literal[".", ","] = "."
    """The decimal mark: "7.5" or "7,5"."""
    words: bool = True
    """Numbers in words and digits, "sixty (60) days" and "seven percent (7%)";
    false for digits only, "60 days" and "7%"."""


class DateStyle(Strict):
    """How ``date()`` and the cover page write a date."""

    format: Literal["d MMMM y", "MMMM d, y", "d MMM y", "y-MM-dd", "dd/MM/y", "MM/dd/y", "d. MMMM y"] = "d MMMM y"
    """A Unicode date pattern: "1 December 2026" (``d MMMM y``), "December 1, 2026" (``MMMM d, y``) …"""


class DefinitionsStyle(Strict):
    """How the definitions list reads, and where it goes."""

    verb: Line = "means"
    """What joins a term to its definition: "means", "shall mean"."""
    placement: Literal["section", "article", "schedule"] = "section"
    """``section``: the first section of the article marked ``definitions: true``
    ("1.1 Definitions"); ``article``: that article holds the list itself;
    ``schedule``: the list is a schedule of its own ("Schedule 1 (Definitions)")."""
    inline_verb: Line = "has the meaning given in"
    """The words before the reference for a term defined in running text:
    “**Services**” has the meaning given in Section 2.1."""


class ReferenceStyle(Strict):
    """How ``ref()`` writes a cross-reference."""

    article: Line = "Article"
    """The word before an article's number: "Article 7", "clause 7"."""
    section: Line = "Section"
    """The word before a section's number: "Section 7.2", "clause 7.2"."""
    paragraph: Line = "paragraph"
    """The word before a schedule's paragraph number: "paragraph 3 of Schedule 2"."""
    plurals: dict[Line, Line] = Field(default_factory=dict)
    """The plural of a word where adding "s" is wrong: ``{Article: Articles}`` is the default."""
    titles: Literal["none", "articles", "all"] = "none"
    """Add the heading's title: ``articles`` gives "Article 7 (Fees)", ``all`` also "Section 7.2 (Late Payment)"
    (a schedule always reads "Schedule 2 (Milestone Payments)")."""
    sentence_capital: bool = True
    """A word written in lower case ("clause") starts with a capital where the reference starts a sentence."""


class KnownLaw(Strict):
    """A governing law the library knows by id."""

    text: Line
    """How ``law()`` reads: "the laws of the Province of Ontario"."""


class ConventionsSpec(Strict):
    """``conventions.yaml``: a library's house conventions."""

    money: MoneyStyle = Field(default_factory=MoneyStyle)
    """How amounts read."""
    numbers: NumberStyle = Field(default_factory=NumberStyle)
    """How numbers read."""
    dates: DateStyle = Field(default_factory=DateStyle)
    """How dates read."""
    definitions: DefinitionsStyle = Field(default_factory=DefinitionsStyle)
    """The definitions list (a deal type may choose its own)."""
    references: ReferenceStyle = Field(default_factory=ReferenceStyle)
    """How cross-references read (a deal type may choose its own)."""
    laws: dict[Annotated[str, Field(pattern=NAME)], KnownLaw] = Field(default_factory=dict)
    """Governing laws by id, over the built-in ones (``england_wales`` …)."""


def merge(first: ConventionsSpec, later: ConventionsSpec) -> ConventionsSpec:
    """Overlay conventions: each section a later file sets replaces the earlier one."""
    update = {name: getattr(later, name) for name in later.model_fields_set}
    if "laws" in update:
        update["laws"] = {**first.laws, **later.laws}
    return first.model_copy(update=update)
