"""Read typeset output the way test cases are typed: the typographic pass
(``assembly/typography.py``) ties "Section 7.2" and "USD 5,000,000" with
no-break spaces and curls quotes; cases written with plain spaces and
straight quotes compare against ``untypeset(text)``."""

from __future__ import annotations

import re

_PLAIN = str.maketrans({"\u00a0": " ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})


def untypeset(text: str) -> str:
    """``text`` with no-break spaces, curly quotes and en dashes made plain."""
    return text.translate(_PLAIN)


_DEFINITION = re.compile(r'^"\*\*(.+?)\*\*" means', re.M)


def untypeset_markdown(text: str) -> str:
    """A build's Markdown as its clauses are typed: :func:`untypeset`, except
    the curly quotes the Markdown writer itself puts around a defined term
    (“**Term**” means …), which it wrote before there was a typographic pass."""
    return _DEFINITION.sub("\u201c**\\1**\u201d means", untypeset(text))
