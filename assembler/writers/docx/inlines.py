"""Inline content → runs: text, emphasis, defined terms, REF fields, blanks."""

from __future__ import annotations

from lxml import etree

from assembler.assembly.tree import (
    BLANK_MARK,
    Blank,
    Emphasis,
    Footnote,
    Inline,
    Link,
    Ref,
    Strong,
    TermUse,
    Text,
)
from assembler.base.errors import OutputError

from .context import Context
from .fields import ref_field
from .footnotes import emit_link, link_style
from .xml import run

# Character style of each nesting kind, and the flag used when a second one
# nests inside the first (a run has one character style).
_STYLE = {Emphasis: ("Emphasis", "i"), Strong: ("Strong", "b")}


def emit_inlines(
    ctx: Context, inlines: tuple[Inline, ...], style: str = "", props: tuple[str, ...] = ()
) -> list[etree._Element]:
    """The runs of ``inlines``; ``style`` / ``props`` come from enclosing emphasis."""
    runs: list[etree._Element] = []
    for node in inlines:
        if isinstance(node, (Text, TermUse)):
            runs.append(run(node.text, style, props))
        elif isinstance(node, (Emphasis, Strong)):
            our_style, flag = _STYLE[type(node)]
            if style:
                runs.extend(emit_inlines(ctx, node.children, style, (*props, flag)))
            else:
                runs.extend(emit_inlines(ctx, node.children, ctx.style(our_style), props))
        elif isinstance(node, Ref):
            runs.extend(emit_ref(ctx, node, style, props))
        elif isinstance(node, Blank):
            runs.append(run(BLANK_MARK, style or ctx.style("Blank"), props))
        elif isinstance(node, Link):
            runs.extend(emit_link(ctx, node.url, emit_inlines(ctx, node.children, link_style(ctx, style), props)))
        elif isinstance(node, Footnote):
            if ctx.footnotes is None:
                raise OutputError("DOCX writer: a footnote where footnotes cannot go")
            runs.append(ctx.footnotes.add(ctx, emit_inlines(ctx.footnotes.context(ctx), node.children), props))
    return [r for r in runs if len(r)]


def emit_ref(ctx: Context, ref: Ref, style: str = "", props: tuple[str, ...] = ()) -> list[etree._Element]:
    """A cross-reference: a REF field around the number when the target is in
    this document, plain text when it is in another one."""
    bookmark = None if ref.external else ctx.anchors.target(ref.target)
    if bookmark is None:
        return [run(ref.text, style, props)]
    runs = [run(ref.prefix, style, props)] if ref.prefix else []
    runs.extend(ref_field(bookmark, ref.number, style, props))
    for label, item in ref.items:  # "(b)": the item's own number, without context
        runs.extend(ref_field(item, label, style, props) if item else [run(label, style, props)])
    if ref.suffix:
        runs.append(run(ref.suffix, style, props))
    return runs
