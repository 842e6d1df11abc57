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


def write_docx(build: Build, *, reference_docx: Path | None = None, comments: bool = False) -> dict[str, bytes]:
    """One .docx per document of the build: ``{"agreement.docx": b"...", ...}``.

    ``reference_docx`` is a house template whose styles win over ours;
    ``comments`` turns drafting notes into Word comments (never in an
    external copy). Raises :class:`~assembler.errors.OutputError` when the
    reference document cannot be read.
    """
    from .template import load_template
    from .writer import write_document

    template = load_template(reference_docx)
    return {
        f"{document.id}.docx": write_document(build, document, template, comments=comments)
        for document in build.documents
    }
