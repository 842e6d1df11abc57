"""Clauses → Word: articles, sections and schedules with their headings.

These functions lay out one clause at a time (heading with its bookmark and
comment, then its text) so that the redline writer can reuse them per clause.
"""

from __future__ import annotations

from lxml import etree

from assembler.assembly.tree import Article, Definition, Schedule, Section

from .blocks import emit_blocks
from .bookmarks import Anchored, wrap_bookmark
from .context import Context
from .inlines import emit_inlines
from .numbering import PREAMBLE_LISTS
from .xml import break_run, page_break_before, paragraph, qn, run


def emit_heading(
    ctx: Context, style: str, title: str, node: Anchored, notes: str = "",
    lead: tuple[etree._Element, ...] = (),
) -> etree._Element:
    """A numbered heading paragraph: the title only (the number comes from the
    style's list), wrapped in the clause's bookmark, carrying its drafting
    notes as a comment when comments are on."""
    par = paragraph(ctx.style(style), [*lead, run(title)] if title else list(lead))
    if notes.strip() and ctx.comments is not None:
        ctx.comments.anchor(par, notes, ctx.ids.next())
    wrap_bookmark(par, ctx.anchors.of(node), ctx.ids.next())
    return par


def emit_definition(ctx: Context, definition: Definition) -> etree._Element:
    """“Term” means … in the Definition style, the term in the Defined Term style
    (the same words as the Markdown and HTML writers)."""
    runs = [run(f"\u201c{definition.term}\u201d", ctx.style("DefinedTerm"))]
    for alias in definition.aliases:
        runs += [run(" or "), run(f"\u201c{alias}\u201d", ctx.style("DefinedTerm"))]
    runs.append(run(f" {definition.verb} "))
    return paragraph(ctx.style("Definition"), [*runs, *emit_inlines(ctx, definition.inlines)])


def emit_section(
    ctx: Context, section: Section, heading_style: str = "Heading2", body_style: str = "BodyText",
    numbered: bool = True,
) -> list[etree._Element]:
    """A section ("7.2 Publication Review"), a schedule paragraph ("3.", in
    "ScheduleHeading") or an unnumbered preamble clause ("PreambleHeading",
    ``numbered`` false: a title-less one gets no heading paragraph)."""
    body = emit_blocks(ctx, section.blocks, body_style)
    body.extend(emit_definition(ctx, definition) for definition in section.definitions)
    if numbered or section.title or not body or body[0].tag != qn("p"):
        return [emit_heading(ctx, heading_style, section.title, section, section.notes), *body]
    # A clause without a heading: its first paragraph carries the anchor.
    if section.notes.strip() and ctx.comments is not None:
        ctx.comments.anchor(body[0], section.notes, ctx.ids.next())
    wrap_bookmark(body[0], ctx.anchors.of(section), ctx.ids.next())
    return body


def emit_preamble(ctx: Context, section: Section) -> list[etree._Element]:
    """A clause before Article 1 (parties, background): no number, and its
    sub-lists in a list of their own, apart from the article outline."""
    ctx.list_family = PREAMBLE_LISTS
    try:
        return emit_section(ctx, section, "PreambleHeading", "Preamble", numbered=False)
    finally:
        ctx.list_family = ""


def emit_article(ctx: Context, article: Article) -> list[etree._Element]:
    """An article ("7. Intellectual Property"), its own text and its sections."""
    out = [emit_heading(ctx, "Heading1", article.title, article, article.notes)]
    out.extend(emit_blocks(ctx, article.blocks))
    for section in article.sections:
        out.extend(emit_section(ctx, section))
    return out


def emit_schedule(ctx: Context, schedule: Schedule) -> list[etree._Element]:
    """A schedule: "Schedule 2" (from numbering) over its title, then its text."""
    heading = emit_heading(ctx, "ScheduleTitle", schedule.title, schedule, schedule.notes, (break_run(),))
    out = [page_break_before(heading)]
    out.extend(emit_blocks(ctx, schedule.blocks))
    for section in schedule.sections:
        out.extend(emit_section(ctx, section, "ScheduleHeading"))
    return out
