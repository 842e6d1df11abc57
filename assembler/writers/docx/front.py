"""The front of a document: cover page and table of contents."""

from __future__ import annotations

import re

from lxml import etree

from assembler.assembly.tree import TocEntry

from .context import Context
from .cover_terms import emit_key_terms
from .fields import field_begin, field_end
from .xml import el, page_break_before, paragraph, run, tab_run

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
TOC_TITLE = "Contents"


def draft_marking(ctx: Context) -> str:
    """"DRAFT 3" on the cover of a draft; nothing on a final."""
    if ctx.deal.final:
        return ""
    return f"DRAFT {ctx.deal.draft_version}".strip()


def role_label(role: str) -> str:
    return role.replace("_", " ").strip().capitalize()


def emit_cover(ctx: Context) -> list[etree._Element]:
    """Title, date, the parties by legal name and role, and the draft marking."""
    out = [paragraph(ctx.style("CoverTitle"), [run(ctx.document.title)])]
    if ctx.deal.date_text:
        out.append(paragraph(ctx.style("Subtitle"), [run(ctx.deal.date_text)]))
    for index, party in enumerate(ctx.deal.parties):
        if index:
            out.append(paragraph(ctx.style("CoverText"), [run("and")]))
        out.append(paragraph(ctx.style("CoverParties"), [run(party.legal_name)]))
        out.append(paragraph(ctx.style("CoverText"), [run(f"({party.label or role_label(party.role)})")]))
    out.extend(emit_key_terms(ctx))
    marking = draft_marking(ctx)
    if marking:
        out.append(paragraph(ctx.style("CoverMarking"), [run(marking)]))
    return out


def toc_label(entry: TocEntry) -> str:
    """The number as the heading shows it: our level text writes "7." for an
    article and a schedule paragraph, "7.2" for a section."""
    return f"{entry.number}." if re.fullmatch(r"\d+", entry.number) else entry.number


def emit_toc(ctx: Context) -> list[etree._Element]:
    """A TOC field whose cached entries are the headings, linked to their
    bookmarks. Page numbers are not known before layout, so the cached entries
    have none (no dot leader to nowhere); Word adds them when it updates the
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
        if index == len(entries) - 1:
            par.append(field_end())
        out.append(par)
    return out
