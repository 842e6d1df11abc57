"""The key-terms table a deal type may put on a document's cover page."""

from __future__ import annotations

from lxml import etree

from .context import Context
from .tables import emit_table
from .xml import paragraph, run


def emit_key_terms(ctx: Context) -> list[etree._Element]:
    """The heading and the table of the cover's key terms, if any."""
    table = ctx.document.key_terms
    if table is None:
        return []
    return [paragraph(ctx.style("CoverText"), [run(ctx.document.key_terms_heading, props=("b",))]), emit_table(ctx, table)]
