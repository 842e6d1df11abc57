"""Drafting notes as Word comments anchored on a clause heading."""

from __future__ import annotations

import re

from lxml import etree

from .xml import el, paragraph, qn, run

AUTHOR = "dealdraft"
INITIALS = "DD"


def note_paragraphs(notes: str) -> list[str]:
    """Notes text → paragraphs: blank lines separate, single newlines join."""
    blocks = re.split(r"\n\s*\n", notes.strip())
    return [" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks]


class Comments:
    """Collects comments while the body is written; becomes ``comments.xml``."""

    def __init__(self, date: str, text_style: str, reference_style: str) -> None:
        self.date = date
        self.text_style = text_style
        self.reference_style = reference_style
        self.root = el("comments")

    def __len__(self) -> int:
        return len(self.root)

    def anchor(self, par: etree._Element, notes: str, ident: int) -> None:
        """Anchor a comment holding ``notes`` on the content of ``par``."""
        comment = el("comment", self.root, id=str(ident), author=AUTHOR, date=self.date, initials=INITIALS)
        for index, text in enumerate(note_paragraphs(notes)):
            body = paragraph(self.text_style)
            if index == 0:
                ref = run(style=self.reference_style)
                el("annotationRef", ref)
                body.append(ref)
            body.append(run(text))
            comment.append(body)
        ppr = par.find(qn("pPr"))
        par.insert(0 if ppr is None else 1, el("commentRangeStart", id=str(ident)))
        el("commentRangeEnd", par, id=str(ident))
        reference = run(style=self.reference_style)
        el("commentReference", reference, id=str(ident))
        par.append(reference)
