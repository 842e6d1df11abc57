"""Blocks → paragraphs and tables: running text, numbered sub-lists, tables.

Sub-list items are numbered paragraphs in the "List (a)" / "List (i)" styles;
the label comes from numbering.xml, never from the text. Every ordered list
opens a new list instance, so it starts again at (a).
"""

from __future__ import annotations

from lxml import etree

from assembler.assembly.tree import Block, ListBlock, Paragraph, Table

from .bookmarks import wrap_bookmark
from .context import Context
from .inlines import emit_inlines
from .tables import emit_table
from .xml import keep_whole, keep_with_next, paragraph, set_numbering

# depth → (item style, continuation style), by our style ids.
ORDERED_STYLES = {1: ("Lista", "ListaContinue"), 2: ("Listi", "ListiContinue")}
BULLET_STYLES = {1: ("ListBullet", "ListaContinue"), 2: ("ListBullet2", "ListiContinue")}


def emit_blocks(ctx: Context, blocks: tuple[Block, ...], style: str = "BodyText") -> list[etree._Element]:
    """Paragraphs (in our style ``style``), lists and tables for ``blocks``."""
    out: list[etree._Element] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            par = paragraph(ctx.style(style), emit_inlines(ctx, block.inlines))
            if index + 1 < len(blocks) and isinstance(blocks[index + 1], Table):
                # the sentence that introduces a table stays with it, whole: LibreOffice
                # will not split such a paragraph, so neither Word nor the PDF may
                keep_with_next(par)
                keep_whole(par)
            out.append(par)
        elif isinstance(block, ListBlock):
            out.extend(emit_list(ctx, block))
        elif isinstance(block, Table):
            out.extend(emit_table(ctx, block))
    return out


def emit_list(ctx: Context, block: ListBlock) -> list[etree._Element]:
    depth = min(max(block.depth, 1), 2)
    item_style, continue_style = (ORDERED_STYLES if block.ordered else BULLET_STYLES)[depth]
    item_style = ctx.style(item_style)
    numbering = ctx.lists.restart(item_style, depth, ctx.list_family) if block.ordered else None
    out: list[etree._Element] = []
    for item in block.items:
        blocks = item.blocks
        first = blocks[0] if blocks and isinstance(blocks[0], Paragraph) else None
        label = paragraph(item_style, emit_inlines(ctx, first.inlines) if first else [])
        if numbering is not None:
            set_numbering(label, *numbering)
        if item.bookmark:  # a named item: REF fields show its label, live when Word renumbers
            wrap_bookmark(label, item.bookmark, ctx.ids.next())
        out.append(label)
        out.extend(emit_blocks(ctx, blocks[1:] if first else blocks, continue_style))
    return out
