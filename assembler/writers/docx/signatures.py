"""Signature blocks, one per party, kept together on the page by their styles."""

from __future__ import annotations

from lxml import etree

from .context import Context
from .xml import paragraph, run

SIGNATURE_LINE = "_" * 36


def emit_signatures(ctx: Context) -> list[etree._Element]:
    out: list[etree._Element] = []
    for party in ctx.deal.parties:
        out.extend(
            [
                paragraph(ctx.style("SignatureIntro"), [run("Signed for and on behalf of")]),
                paragraph(ctx.style("SignatureParty"), [run(party.legal_name)]),
                paragraph(ctx.style("SignatureLine"), [run(SIGNATURE_LINE)]),
                paragraph(ctx.style("SignatureText"), [run(f"Name: {party.signatory_name}".rstrip())]),
                paragraph(ctx.style("SignatureText"), [run(f"Title: {party.signatory_title}".rstrip())]),
                paragraph(ctx.style("SignatureText"), [run("Date:")]),
            ]
        )
    return out
