"""Tables: a real ``w:tbl`` in the "Deal Table" style, then a little space.

Column widths come from the cells' content (``writers/house/columns.py``,
the same widths the PDF uses) and are fixed (``w:tblLayout``), because
LibreOffice keeps the widths a DOCX gives and breaks words that do not fit.
Header rows repeat on every page (``w:tblHeader``); no row splits across
pages; the last two rows keep together (``w:keepNext`` on the paragraphs of
the row before the last), so a total never stands alone; footer (total)
rows use the "Table Total" paragraph style and the table style's last-row
formatting. A "Table Space After" paragraph follows every table.
"""

from __future__ import annotations

from lxml import etree

from assembler.assembly.tree import Cell, Table
from assembler.writers.house.columns import column_twips

from .context import Context
from .inlines import emit_inlines
from .xml import el, keep_with_next, paragraph, qn, set_jc


def emit_table(ctx: Context, table: Table) -> list[etree._Element]:
    """The table and the paragraph that spaces it from what follows."""
    indent = round(ctx.house.indent_mm * 1440 / 25.4)
    width = ctx.text_width - indent
    widths = column_twips(table, width, ctx.house)
    tbl = el("tbl")
    tpr = el("tblPr", tbl)
    el("tblStyle", tpr, val=ctx.style("DealTable"))
    el("tblW", tpr, w=str(width), type="dxa")
    el("tblInd", tpr, w=str(indent), type="dxa")
    el("tblLayout", tpr, type="fixed")
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
    body = [_row(ctx, row, widths, "TableText") for row in table.rows]
    body += [_row(ctx, row, widths, "TableTotal") for row in table.footer]
    if len(body) >= 2:
        for par in body[-2].iter(qn("p")):
            keep_with_next(par)
    if table.footer and len(body) > len(table.footer):  # the last body row stays with the totals
        for row in body[len(table.rows) - 1 : -1]:
            for par in row.iter(qn("p")):
                keep_with_next(par)
    tbl.extend(body)
    return [tbl, paragraph(ctx.style("TableSpaceAfter"))]


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
