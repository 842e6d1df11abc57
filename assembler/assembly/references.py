"""The house reference style on the tree: a reference whose word is written
in lower case ("clause 7.2") starts with a capital where it starts a
sentence ("Clause 7.2 applies …"), as a drafter would write it."""

from __future__ import annotations

from dataclasses import replace

from .tree import Inline, Ref, Text

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
