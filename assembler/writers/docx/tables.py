"""Tables: a real ``w:tbl`` in the "Deal Table" style.

Header rows repeat on every page (``w:tblHeader``); footer (total) rows use
the "Table Total" paragraph style and the table style's last-row formatting.
"""

from __future__ import annotations

from lxml import etree

from assembler.assembly.tree import Cell, Table, inline_text

from .context import Context
from .inlines import emit_inlines
from .xml import el, paragraph, set_jc

TABLE_INDENT = 720  # the "Deal Table" style's w:tblInd: tables align with clause text


def column_widths(table: Table, width: int) -> list[int]:
    """Widths in twips: proportional to each column's longest text, bounded so
    that no column is starved or hogs the page."""
    rows = [*table.header, *table.rows, *table.footer]
    count = max((len(row) for row in rows), default=1)
    weights = []
    for index in range(count):
        longest = max((len(inline_text(row[index].inlines)) for row in rows if index < len(row)), default=0)
        weights.append(min(max(longest, 6), 40))
    total = sum(weights)
    widths = [width * weight // total for weight in weights]
    widths[-1] += width - sum(widths)
    return widths


def emit_table(ctx: Context, table: Table) -> etree._Element:
    width = ctx.text_width - TABLE_INDENT
    widths = column_widths(table, width)
    tbl = el("tbl")
    tpr = el("tblPr", tbl)
    el("tblStyle", tpr, val=ctx.style("DealTable"))
    el("tblW", tpr, w=str(width), type="dxa")
    look = 0x0600 | (0x0020 if table.header else 0) | (0x0040 if table.footer else 0)
    el(
        "tblLook", tpr, val=f"{look:04X}", firstRow=str(int(bool(table.header))),
        lastRow=str(int(bool(table.footer))), firstColumn="0", lastColumn="0", noHBand="1", noVBand="1",
    )
    grid = el("tblGrid", tbl)
    for col in widths:
        el("gridCol", grid, w=str(col))
    for row in table.header:
        tbl.append(_row(ctx, row, widths, "TableHeading", header=True))
    for row in table.rows:
        tbl.append(_row(ctx, row, widths, "TableText"))
    for row in table.footer:
        tbl.append(_row(ctx, row, widths, "TableTotal"))
    return tbl


def _row(ctx: Context, cells: tuple[Cell, ...], widths: list[int], style: str, header: bool = False) -> etree._Element:
    tr = el("tr")
    trpr = el("trPr", tr)
    el("cantSplit", trpr)
    if header:
        el("tblHeader", trpr)
    padded = list(cells) + [Cell(())] * (len(widths) - len(cells))
    for cell, col in zip(padded, widths, strict=False):
        tc = el("tc", tr)
        el("tcW", el("tcPr", tc), w=str(col), type="dxa")
        par = paragraph(ctx.style(style), emit_inlines(ctx, cell.inlines))
        if cell.align != "left":
            set_jc(par, "center" if cell.align == "center" else "right")
        tc.append(par)
    return tr
