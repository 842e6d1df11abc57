"""The library API: what the CLI calls, and what a document workflow imports.

    from assembler import load_library, build
    library = load_library()
    result = build("deal.yaml", "out/", formats=["docx", "pdf"], library=library)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assembler.assembly import pipeline
from assembler.assembly.assemble import assemble
from assembler.assembly.deal_outline import with_deal_outline
from assembler.assembly.lockfile import LOCK_FILENAME, lock_bytes
from assembler.assembly.options import BuildOptions
from assembler.assembly.pipeline import plan_deal, renderer_for
from assembler.assembly.tree import Build
from assembler.assembly.tree_text import node_to_dict
from assembler.base.errors import InputError, Problem, UnavailableError
from assembler.base.output import write_output_set
from assembler.deal.load import Deal
from assembler.deal.load import load_deal as _load_deal
from assembler.library import load as library_module
from assembler.library.model import Library

FORMATS = ("md", "docx", "pdf", "html", "json")


@dataclass(frozen=True, slots=True)
class WriterOptions:
    """Layout choices: they change how a build looks, never what it says."""

    reference_docx: Path | None = None
    comments: bool = False
    paper: str = "a4"
    pdf_variant: str | None = None
    pdf_workers: int | None = None
    """Processes that lay out a build's PDFs: None for one per core, 1 for
    this process only (``batch`` uses 1: it runs deals side by side instead)."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote, and what a user should know about it."""

    output_dir: Path
    files: tuple[Path, ...]
    build: Build
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def blanks(self) -> tuple[str, ...]:
        return self.build.blanks


def load_library(overlays: Iterable[Path | str] = ()) -> Library:
    """The built-in clause library with overlays; raises on any library error."""
    library = library_module.load_library(tuple(Path(p) for p in overlays))
    return library_module.require_valid(library)


def load_deal(path: Path | str, library: Library | None = None, *, stance: str | None = None) -> Deal:
    """A checked deal file; ``stance`` replaces the stance it gives."""
    return _load_deal(Path(path), library or load_library(), stance=stance)


def build_deal(
    deal: Deal | Path | str, library: Library | None = None, *, options: BuildOptions | None = None, stance: str | None = None
) -> Build:
    """The finished document tree of a deal (no files written)."""
    library = library or load_library()
    if not isinstance(deal, Deal):
        deal = load_deal(deal, library, stance=stance)
    return pipeline.build_deal(deal, library, options=options)


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """``"docx,pdf"`` → ("docx", "pdf"), checked and de-duplicated."""
    items = text.split(",") if isinstance(text, str) else list(text)
    formats: list[str] = []
    problems = []
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        if item not in FORMATS:
            problems.append(Problem(f"unknown format {item!r} (formats: {', '.join(FORMATS)})", field="--format"))
        elif item not in formats:
            formats.append(item)
    if problems:
        raise InputError(problems)
    if not formats:
        raise InputError([Problem("no output format given", field="--format")])
    return tuple(formats)


def render_files(build: Build, formats: Iterable[str], writer: WriterOptions | None = None) -> dict[str, bytes]:
    writer = writer or WriterOptions()
    """Every output file of a build, in memory, plus ``deal.lock.json``."""
    files: dict[str, bytes] = {}
    formats = tuple(formats)
    pages: dict[str, dict[str, int]] | None = None
    if "pdf" in formats and "docx" in formats:  # the DOCX contents take the PDF's page numbers
        pdfs, pages = _pdf_pages(build, writer)
        files.update(pdfs)
    for fmt in formats:
        if fmt == "md":
            from assembler.writers.markdown import write_markdown

            files.update(write_markdown(build))
        elif fmt == "json":
            data = {"deal": node_to_dict(build.deal), "documents": node_to_dict(build.documents), "blanks": list(build.blanks)}
            files["build.json"] = (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        elif fmt == "docx":
            files.update(_docx(build, writer, pages))
        elif fmt == "html":
            files.update(_html(build, writer))
        elif fmt == "pdf" and pages is None:
            files.update(_pdf(build, writer))
    files[LOCK_FILENAME] = lock_bytes(build.lock)
    return files


def _docx(build: Build, writer: WriterOptions, pages: dict[str, dict[str, int]] | None = None) -> dict[str, bytes]:
    try:
        from assembler.writers.docx import write_docx
    except ImportError as exc:
        raise UnavailableError(f"DOCX output is not available yet in this installation ({exc})") from None
    return write_docx(
        build, reference_docx=writer.reference_docx, comments=writer.comments, paper=writer.paper, toc_pages=pages,
    )


def _html(build: Build, writer: WriterOptions) -> dict[str, bytes]:
    try:
        from assembler.writers.html import write_html
    except ImportError as exc:
        raise UnavailableError(f"HTML output is not available yet in this installation ({exc})") from None
    return write_html(build, paper=writer.paper, reference_docx=writer.reference_docx)


def _pdf(build: Build, writer: WriterOptions) -> dict[str, bytes]:
    try:
        from assembler.writers.pdf.writer import write_pdf
    except ImportError as exc:
        raise UnavailableError(f"PDF output is not available yet in this installation ({exc})") from None
    return write_pdf(
        build, paper=writer.paper, variant=writer.pdf_variant, workers=writer.pdf_workers,
        reference_docx=writer.reference_docx,
    )


def _pdf_pages(build: Build, writer: WriterOptions) -> tuple[dict[str, bytes], dict[str, dict[str, int]]]:
    try:
        from assembler.writers.pdf.writer import layout_pdfs
    except ImportError as exc:
        raise UnavailableError(f"PDF output is not available yet in this installation ({exc})") from None
    return layout_pdfs(
        build, paper=writer.paper, variant=writer.pdf_variant, workers=writer.pdf_workers,
        reference_docx=writer.reference_docx,
    )


@dataclass(frozen=True, slots=True)
class RenderedDeal:
    """Every output file of a deal, in memory: what :func:`build` writes."""

    files: dict[str, bytes]
    """File name → content, ``deal.lock.json`` included."""
    build: Build
    warnings: tuple[Problem, ...] = field(default=())


def render_deal(
    deal: Deal | Path | str,
    *,
    formats: Iterable[str] | str = ("md",),
    library: Library | None = None,
    options: BuildOptions | None = None,
    writer: WriterOptions | None = None,
    stance: str | None = None,
) -> RenderedDeal:
    """Build a deal in memory: every document in every format, and the lock;
    ``stance`` replaces the stance the deal file gives."""
    library = library or load_library()
    if not isinstance(deal, Deal):
        deal = load_deal(deal, library, stance=stance)
    deal, library = with_deal_outline(deal, library)  # clauses the deal moves or adds
    plan = plan_deal(deal, library)
    tree = assemble(plan, library, renderer_for(library), options or BuildOptions())
    files = render_files(tree, parse_formats(formats), writer or WriterOptions())
    return RenderedDeal(files, tree, tuple(plan.warnings))


def build(
    deal: Deal | Path | str,
    output_dir: Path | str,
    *,
    formats: Iterable[str] | str = ("md",),
    library: Library | None = None,
    options: BuildOptions | None = None,
    writer: WriterOptions | None = None,
    force: bool = False,
    stance: str | None = None,
) -> BuildResult:
    """Build a deal into ``output_dir``: every document in every format, and the lock.

    Nothing is written unless every file could be produced; the previous
    build's files are replaced as one set. ``stance`` replaces the stance
    the deal file gives (one of its deal type's stances).
    """
    rendered = render_deal(deal, formats=formats, library=library, options=options, writer=writer, stance=stance)
    written = write_output_set(Path(output_dir), rendered.files, force=force)
    return BuildResult(Path(output_dir), tuple(written), rendered.build, rendered.warnings)
