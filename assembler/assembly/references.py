"""References on the tree beyond the plain "Section 7.2": a reference whose
word is written in lower case ("clause 7.2") starts with a capital where it
starts a sentence ("Clause 7.2 applies …"), as a drafter would write it; and
references to a named list item of a clause ("Section 7.2(b)")."""

from __future__ import annotations

from dataclasses import replace

from .bookmarks import bookmark_name
from .markdown import PendingItemRef
from .tree import Block, Inline, ListBlock, Ref, Text

_SENTENCE_END = (".", "!", "?", ":")


def sentence_capitals(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The inlines with each lower-case reference that starts a sentence capitalised."""
    if not any(isinstance(node, Ref) and node.prefix[:1].islower() for node in inlines):
        return inlines
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Ref) and node.prefix[:1].islower() and _starts_sentence(out):
            node = replace(node, prefix=node.prefix[:1].upper() + node.prefix[1:])
        out.append(node)
    return tuple(out)


def _starts_sentence(before: list[Inline]) -> bool:
    if not before:
        return True
    last = before[-1]
    if not isinstance(last, Text):
        return False
    text = last.text.rstrip()
    return not text or (text.endswith(_SENTENCE_END) and last.text != text)


def item_bookmark(clause_id: str, anchor: str) -> str:
    """The bookmark of a named list item."""
    return bookmark_name(f"{clause_id}.{anchor}")


def list_items(blocks: tuple[Block, ...], clause_id: str, outer: tuple[tuple[str, str], ...] = ()) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every named list item of a clause's text: name → (label, bookmark) from the outer list down."""
    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for block in blocks:
        if not isinstance(block, ListBlock):
            continue
        for item in block.items:
            path = (*outer, (item.label, item_bookmark(clause_id, item.anchor) if item.anchor else ""))
            if item.anchor and item.label:
                found.setdefault(item.anchor, path)
            found.update({k: v for k, v in list_items(item.blocks, clause_id, path).items() if k not in found})
    return found


def with_item(ref: Ref, blocks: tuple[Block, ...], pending: PendingItemRef) -> tuple[Ref | None, str]:
    """The reference to a clause made one to its named list item, or the problem."""
    found = list_items(blocks, pending.target)
    path = found.get(pending.item)
    if path is None:
        names = ", ".join(sorted(found)) or "none"
        return None, (f"ref('{pending.target}', item='{pending.item}'): the clause has no list item [#{pending.item}] "
                      f"in this position (its items: {names})")
    return replace(ref, items=path), ""
