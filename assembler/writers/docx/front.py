"""The front of a document: cover page and table of contents."""

from __future__ import annotations

import re

from lxml import etree

from assembler.assembly.tree import TocEntry

from .context import Context
from .cover_terms import emit_key_terms
from .fields import field_begin, field_end
from .xml import el, page_break_before, paragraph, run, set_leader_tab, tab_run

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
TOC_TITLE = "Contents"


def emit_cover(ctx: Context) -> list[etree._Element]:
    """The cover, the same design as the PDF's: the marking of a draft, the
    title, the parties by legal name with their defined names, the date and
    the draft's version."""
    deal = ctx.deal
    out = [paragraph(ctx.style("CoverSpace"))]  # the space above the first line
    if deal.confidentiality_marking and not deal.final:
        out.append(paragraph(ctx.style("CoverMarking"), [run(deal.confidentiality_marking)]))
    out.append(paragraph(ctx.style("CoverTitle"), [run(ctx.document.title)]))
    if deal.parties:
        out.append(paragraph(ctx.style("CoverText"), [run("between")]))
    for index, party in enumerate(deal.parties):
        if index:
            out.append(paragraph(ctx.style("CoverText"), [run("and")]))
        runs = [run(party.legal_name)]
        if party.short_name and party.short_name != party.legal_name:
            runs.append(run(f" (\u201c{party.short_name}\u201d)", props=("b0",)))
        out.append(paragraph(ctx.style("CoverParties"), runs))
    out.extend(emit_key_terms(ctx))
    if deal.date_text:
        out.append(paragraph(ctx.style("Subtitle"), [run(deal.date_text)]))
    if deal.draft_version:
        out.append(paragraph(ctx.style("CoverText"), [run(f"{'Version' if deal.final else 'Draft'} {deal.draft_version}")]))
    return out


def toc_label(entry: TocEntry) -> str:
    """The number as the heading shows it: our level text writes "7." for an
    article and a schedule paragraph, "7.2" for a section."""
    return f"{entry.number}." if re.fullmatch(r"\d+", entry.number) else entry.number


def emit_toc(ctx: Context) -> list[etree._Element]:
    """A TOC field whose cached entries are the headings, linked to their
    bookmarks. With ``ctx.toc_pages`` (the PDF of the same build laid the
    document out) each entry ends with its page number, as plain text after
    a dot-leader tab: right in every viewer as delivered, and still a live
    field that Word rebuilds on an update. Without it the entries have no
    numbers (no leader to nowhere) and Word adds them when it updates the
    field on open (``w:updateFields``)."""
    entries = ctx.document.toc
    if not entries:
        return []
    out = [page_break_before(paragraph(ctx.style("TOCHeading"), [run(TOC_TITLE)]))]
    for index, entry in enumerate(entries):
        par = paragraph(ctx.style("TOC1" if entry.level <= 1 else "TOC2"))
        if index == 0:
            par.extend(field_begin(TOC_INSTRUCTION))
        bookmark = ctx.anchors.renamed(entry.bookmark)
        link = el("hyperlink", par, anchor=bookmark, history="1")
        label = toc_label(entry)
        if re.fullmatch(r"[\d.]+", label):
            link.extend([run(label), tab_run(), run(entry.title)])
        else:  # "Schedule 2" is wider than the number tab stop
            link.extend([run(f"{label} "), run(entry.title)])
        page = ctx.toc_pages.get(entry.bookmark) if ctx.toc_pages else None
        if page is not None:
            set_leader_tab(par, ctx.text_width, ctx.right_tabs(par))
            link.extend([tab_run(), run(str(page))])
        if index == len(entries) - 1:
            par.append(field_end())
        out.append(par)
    return out
