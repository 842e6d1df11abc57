"""DOCX writer: a Word-native draft per document of a build.

Styles come from ``templates/reference.docx`` (or a house template merged
with it); headings and sub-clauses are numbered by one multilevel list bound
to the heading styles; every clause heading carries a bookmark and every
cross-reference inside a document is a ``REF`` field whose cached result is
the tree's number. This package is the only one that imports python-docx,
and it does so lazily, when a DOCX is actually written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assembler.assembly.tree import Build

__all__ = ["write_docx"]


def write_docx(
    build: Build, *, reference_docx: Path | None = None, comments: bool = False, paper: str = "a4",
    toc_pages: dict[str, dict[str, int]] | None = None,
) -> dict[str, bytes]:
    """One .docx per document of the build: ``{"agreement.docx": b"...", ...}``.

    ``reference_docx`` is a house template whose styles win over ours;
    ``comments`` turns drafting notes into Word comments (never in an
    external copy); ``paper`` is the page size (``a4`` or ``letter``).
    ``toc_pages`` gives, per document id, the page of each heading (by the
    tree's bookmark) as the PDF of the same build laid it out: the contents
    then show those page numbers as delivered. Raises
    :class:`~assembler.errors.OutputError` when the reference document cannot
    be read.
    """
    from assembler.writers.house.docx_import import load_house_style

    from .template import load_template
    from .writer import write_document

    template = load_template(reference_docx)
    house = load_house_style(reference_docx)
    pages = toc_pages or {}
    return {
        f"{document.id}.docx": write_document(
            build, document, template, comments=comments, paper=paper, house=house, toc_pages=pages.get(document.id),
        )
        for document in build.documents
    }
