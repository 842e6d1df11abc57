"""The execution page: a lead-in sentence, then a block per party, side by
side in a borderless grid ("Signature Grid"), the same design as the PDF's.

Each block: "Signed for and on behalf of", the party, room to sign above a
ruled signature line, then the signatory's name, title and the date. A block
never splits (``w:cantSplit`` rows, every paragraph kept with the next) and
the lead-in stays with the first row. Rows after the first stand
``row_gap_pt`` (house style) below the row above, as the PDF's.
"""

from __future__ import annotations

from lxml import etree

from assembler.assembly.tree import PartyInfo

from .context import Context
from .xml import el, keep_with_next, paragraph, run


def _block(ctx: Context, party: PartyInfo) -> list[etree._Element]:
    lines = [
        ("SignatureIntro", "Signed for and on behalf of"),
        ("SignatureParty", party.legal_name),
        ("SignatureLine", ""),
        ("SignatureText", f"Name: {party.signatory_name}".rstrip()),
        ("SignatureText", f"Title: {party.signatory_title}".rstrip()),
        ("SignatureText", "Date:"),
    ]
    out = []
    for style, text in lines:
        par = paragraph(ctx.style(style), [run(text)] if text else [])
        keep_with_next(par)
        out.append(par)
    return out


def emit_signatures(ctx: Context) -> list[etree._Element]:
    parties = ctx.deal.parties
    if not parties:
        return []
    lead_in = paragraph(ctx.style("SignatureLeadIn"), [run(ctx.deal.signing_lead_in)])
    columns = min(ctx.house.execution.columns, len(parties))
    width = ctx.text_width
    cell = width // columns
    tbl = el("tbl")
    tpr = el("tblPr", tbl)
    el("tblStyle", tpr, val=ctx.style("SignatureGrid"))
    el("tblW", tpr, w=str(width), type="dxa")
    el("tblInd", tpr, w="0", type="dxa")
    el("tblLayout", tpr, type="fixed")
    el("tblLook", tpr, val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0", noHBand="1", noVBand="1")
    grid = el("tblGrid", tbl)
    for _ in range(columns):
        el("gridCol", grid, w=str(cell))
    row_gap = round(ctx.house.execution.row_gap_pt * 20)
    for start in range(0, len(parties), columns):
        tr = el("tr", tbl)
        el("cantSplit", el("trPr", tr))
        row = list(parties[start : start + columns])
        for party in [*row, *([None] * (columns - len(row)))]:
            tc = el("tc", tr)
            tcpr = el("tcPr", tc)
            el("tcW", tcpr, w=str(cell), type="dxa")
            if start:  # the row gap, as the cell's top margin (the PDF's padding)
                el("top", el("tcMar", tcpr), w=str(row_gap), type="dxa")
            if party is None:
                tc.append(paragraph(ctx.style("SignatureText")))
            else:
                tc.extend(_block(ctx, party))
    return [lead_in, tbl, paragraph(ctx.style("TableSpaceAfter"))]
