"""PDF writer: each document's HTML laid out by WeasyPrint, in parallel.

This module decides what to lay out and where. It renders each document's
HTML (``html.py``) and hands the jobs to ``pdf_layout.py``, the only module
that imports WeasyPrint (about half a second): in this process, in forked
workers, or in the layout process that ``pdf_engine.py`` starts early for
the CLI. It imports nothing heavy itself.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assembler.assembly.lockfile import external_provenance, lock_bytes
from assembler.assembly.tree import Build
from assembler.base.errors import InputError

from .job import PdfJob

PDF_VARIANTS: tuple[str, ...] = ("pdf/a-3b",)
"""``--pdf-variant`` values (PDF/A-3 is the archival level that allows the
embedded lock file)."""

_LAYOUT_NAMES = ("RefusedURLError", "TemplatesOnlyFetcher", "ensure_fonts", "installed_font_count")


def __getattr__(name: str) -> Any:
    # The lock-down and font checks live beside WeasyPrint; importing them
    # from here loads it only when they are asked for.
    if name in _LAYOUT_NAMES:
        from assembler.writers.pdf import layout as pdf_layout

        return getattr(pdf_layout, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_pdf(
    build: Build, *, paper: str = "a4", variant: str | None = None, workers: int | None = None,
    reference_docx: Path | None = None,
) -> dict[str, bytes]:
    """Every document of ``build`` as PDF bytes, keyed by file name.

    ``{"agreement.pdf": b"%PDF-1.7…", …}``. Each PDF is tagged (PDF/UA-1,
    with the document's language), carries XMP metadata and the deal's
    metadata, and ``deal.lock.json`` as its only attachment (for an
    ``external`` build, only the lock's provenance: clause ids, versions and
    text hashes). ``variant`` ``"pdf/a-3b"`` writes archival PDF/A-3b
    (tagged too). With ``reference_docx`` the house DOCX's fonts, sizes,
    colours, spacing and margins are the PDF's.

    Documents are laid out in parallel by forked worker processes where that
    is safe (Linux, no other thread running); ``workers=1`` forces one
    process. The bytes are the same either way.

    Raises InputError for an unknown paper size or variant, UnavailableError
    when no font is installed, OutputError when the templates ask for a
    resource outside ``templates/``.
    """
    return layout_pdfs(build, paper=paper, variant=variant, workers=workers, reference_docx=reference_docx)[0]


def layout_pdfs(
    build: Build, *, paper: str = "a4", variant: str | None = None, workers: int | None = None,
    reference_docx: Path | None = None,
) -> tuple[dict[str, bytes], dict[str, dict[str, int]]]:
    """:func:`write_pdf`, and per document id the page of each heading (by
    the tree's bookmark), for the DOCX contents of the same build."""
    from assembler.writers.html import house_style, paper_size, render_document_html, templates_dir

    paper_size(paper)
    pdf_variant = _check_variant(variant)
    house = house_style(reference_docx)
    folder = templates_dir().resolve()
    lock = None if not build.lock else lock_bytes(external_provenance(build.lock) if build.deal.external else build.lock)
    when = _build_datetime(build.deal.date)
    jobs = [
        PdfJob(
            name=f"{document.id}.pdf",
            html=render_document_html(build, document, paper=paper, for_pdf=True, house=house),
            folder=folder, variant=pdf_variant, lock=lock, when=when,
        )
        for document in build.documents
    ]
    from assembler.writers.pdf import engine as pdf_engine

    results = pdf_engine.run(jobs, workers)
    if results is None:
        from assembler.writers.pdf import layout as pdf_layout

        results = pdf_layout.layout_jobs(jobs, workers)
    pdfs = {job.name: results[job.name][0] for job in jobs}
    pages = {document.id: results[job.name][1] for document, job in zip(build.documents, jobs, strict=True)}
    return pdfs, pages


def _check_variant(variant: str | None) -> str | None:
    if variant is None or variant == "":
        return None
    normal = variant.strip().lower()
    if normal not in PDF_VARIANTS:
        choices = ", ".join(PDF_VARIANTS)
        raise InputError(f"--pdf-variant: unknown PDF variant {variant!r} (choose {choices})")
    return normal


def _build_datetime(date: str) -> datetime:
    """The build's one timestamp: the deal's date, else SOURCE_DATE_EPOCH,
    else a fixed date; never the clock, so the bytes do not change."""
    try:
        return datetime.fromisoformat(date).replace(tzinfo=None)
    except (TypeError, ValueError):
        pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    return datetime(2000, 1, 1)


__all__ = ["PDF_VARIANTS", "PdfJob", "layout_pdfs", "write_pdf", *_LAYOUT_NAMES]
