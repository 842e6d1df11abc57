"""Table column widths from content, the same for the DOCX and the PDF.

Each column is at least as wide as its longest unbreakable word (a word, an
amount or reference held together by non-breaking spaces, a header's word in
bold) and at most as wide as its longest text on one line. The widths are
fitted to the width available, as a browser sizes an automatic table: room
to spare goes to every column; when room is short, the columns that can
wrap give way first, so no word is ever broken while the words fit at all.
Both writers then lay the table out with these fixed widths, so a cell's
text breaks at the same words in Word, LibreOffice and the PDF.
"""

from __future__ import annotations

from assembler.assembly.tree import Cell, Strong, Table
from assembler.assembly.tree_text import inline_text

from .metrics import text_width
from .model import HouseStyle

_SAFETY = 1.04  # room for kerning and rounding differences between the engines


def _bold(cell: Cell) -> bool:
    return any(isinstance(node, Strong) for node in cell.inlines)


def _measure(cell: Cell, style: HouseStyle, bold: bool) -> tuple[float, float]:
    """(longest word, whole text) of a cell, in points, padding included."""
    text_style = style.styles.table
    font = style.font_of(text_style)
    text = inline_text(cell.inlines)
    bold = bold or text_style.bold or _bold(cell)
    words = text.split(" ") if text else [""]
    padding = 2 * style.tables.padding_pt.horizontal + style.tables.rule_pt
    longest = max(text_width(word, font, text_style.size_pt, bold) for word in words) * _SAFETY
    whole = text_width(text, font, text_style.size_pt, bold) * _SAFETY
    return longest + padding, whole + padding


def column_widths(table: Table, available: float, style: HouseStyle) -> list[float]:
    """The width of each column in points; they add up to ``available``."""
    groups = [(table.header, True), (table.rows, False), (table.footer, True)]
    count = max((len(row) for rows, _ in groups for row in rows), default=1)
    least = [0.0] * count
    most = [0.0] * count
    for rows, bold in groups:
        for row in rows:
            for index, cell in enumerate(row):
                low, high = _measure(cell, style, bold)
                least[index] = max(least[index], low)
                most[index] = max(most[index], high)
    if sum(most) <= available:
        spare = available - sum(most)
        total = sum(most) or 1.0
        widths = [width + spare * width / total for width in most]
    elif sum(least) <= available:
        spare = available - sum(least)
        give = [high - low for low, high in zip(least, most, strict=True)]
        total = sum(give) or 1.0
        widths = [low + spare * extra / total for low, extra in zip(least, give, strict=True)]
    else:  # the words alone are wider than the page: shrink them all alike
        total = sum(least)
        widths = [available * width / total for width in least]
    return widths




def column_twips(table: Table, available: int, style: HouseStyle) -> list[int]:
    """:func:`column_widths` in whole twips adding up to ``available`` twips:
    the grid the DOCX writes, and the widths the PDF lays out."""
    widths = [round(width * 20) for width in column_widths(table, available / 20, style)]
    widths[-1] += available - sum(widths)
    return widths


__all__ = ["column_twips", "column_widths"]
