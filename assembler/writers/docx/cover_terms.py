"""The key-terms table a deal type may put on a document's cover page."""

from __future__ import annotations

from lxml import etree

from .context import Context
from .tables import emit_table
from .xml import el, paragraph, qn, run


def emit_key_terms(ctx: Context) -> list[etree._Element]:
    """The heading and the table of the cover's key terms, if any."""
    table = ctx.document.key_terms
    if table is None:
        return []
    tbl, *after = emit_table(ctx, table)
    # the table's title for assistive technology, and what tells readers of the
    # file (verify, absorb) that the table belongs to the cover, not to a clause
    tbl.find(qn("tblPr")).append(el("tblCaption", val=COVER_TABLE_CAPTION))
    return [paragraph(ctx.style("CoverText"), [run(ctx.document.key_terms_heading, props=("b",))]), tbl, *after]


COVER_TABLE_CAPTION = "Cover: key terms"
