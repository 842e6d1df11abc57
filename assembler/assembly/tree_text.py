"""The build tree as plain text (for comparing, locking and reading back)
and as plain data (``-t json``)."""

from __future__ import annotations

from typing import Any

from .tree import BLANK_MARK, Blank, Block, Emphasis, Footnote, Inline, Link, ListBlock, Paragraph, Ref, Strong, Table, TermUse, Text


def block_text(blocks: tuple[Block, ...], indent: str = "", *, mask_refs: bool = False) -> str:
    """Plain text of blocks, one line per paragraph, list item or table row."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(indent + inline_text(block.inlines, mask_refs=mask_refs))
        elif isinstance(block, ListBlock):
            for item in block.items:
                label = item.label or "-"
                inner = block_text(item.blocks, indent + "    ", mask_refs=mask_refs).split("\n")
                first = inner[0].strip() if inner else ""
                lines.append(f"{indent}{label} {first}")
                lines.extend(inner[1:])
        elif isinstance(block, Table):
            for row in (*block.header, *block.rows, *block.footer):
                lines.append(indent + " | ".join(inline_text(cell.inlines, mask_refs=mask_refs) for cell in row))
    return "\n".join(lines)


def node_to_dict(node: Any) -> Any:
    """Plain-data form of any tree node, tagged with its type (``-t json``)."""
    if isinstance(node, tuple):
        return [node_to_dict(item) for item in node]
    if hasattr(node, "__dataclass_fields__"):
        data = {"t": type(node).__name__}
        for name in node.__dataclass_fields__:
            data[name] = node_to_dict(getattr(node, name))
        if isinstance(node, Ref):
            data["text"] = node.text
        return data
    if isinstance(node, dict):
        return {key: node_to_dict(value) for key, value in node.items()}
    return node


def inline_text(inlines: tuple[Inline, ...], *, mask_refs: bool = False) -> str:
    """The plain text of inline content, as a reader sees it.

    With ``mask_refs`` a reference reads as its target id, so two texts that
    differ only by renumbering compare equal.
    """
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, (Emphasis, Strong)):
            parts.append(inline_text(node.children, mask_refs=mask_refs))
        elif isinstance(node, TermUse):
            parts.append(node.text)
        elif isinstance(node, Ref):
            parts.append(f"⟦{node.target}{''.join('#' + mark for _label, mark in node.items)}⟧" if mask_refs else node.text)
        elif isinstance(node, Blank):
            parts.append(BLANK_MARK)
        elif isinstance(node, Link):
            # the address is part of what the parties agree to
            parts.append(f"{inline_text(node.children, mask_refs=mask_refs)} <{node.url}>")
        elif isinstance(node, Footnote):
            parts.append(f"[^{inline_text(node.children, mask_refs=mask_refs)}]")
    return "".join(parts)


__all__ = ["block_text", "inline_text", "node_to_dict"]
