"""What every dealdraft command shares: library options, the one place
library errors become lines on stderr and exit code 2, and ``--json``."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from assembler.base.errors import DealdraftError, Problem
from assembler.base.limits import MEMORY_BYTES


def _fail(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem) if problem.path or problem.clause else f"error: {problem}", err=True)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a DealdraftError into its lines on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DealdraftError as exc:
            _fail(exc.problems)
            sys.exit(2)
        except MemoryError:
            click.echo(f"error: the command needed more than {MEMORY_BYTES // 1024**3} GiB of memory (the limit); nothing was written", err=True)
            sys.exit(2)

    return wrapper


@dataclass(frozen=True)
class LibraryChoice:
    """Which library folders a command loads."""

    overlays: tuple[Path, ...]
    builtin: bool = True


def library_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --library (repeatable) and --no-builtin; pass ``libraries``."""

    @click.option(
        "--library",
        "overlays",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A clause library folder to overlay on the built-in one (repeatable; later wins by clause id).",
    )
    @click.option("--no-builtin", is_flag=True, help="Use only the --library folders, not the built-in clause library.")
    @functools.wraps(func)
    def wrapper(*args: Any, overlays: tuple[Path, ...], no_builtin: bool, **kwargs: Any) -> Any:
        return func(*args, libraries=LibraryChoice(overlays, not no_builtin), **kwargs)

    return wrapper
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def open_library(libraries: LibraryChoice, verbose: bool = False) -> Any:
    from assembler.library import load as library_module

    library = library_module.load_library(libraries.overlays, builtin=libraries.builtin)
    if verbose:
        for line in library.overridden:
            click.echo(f"overlay: {line}", err=True)
    return library_module.require_valid(library)


@dataclass(frozen=True)
class OutputChoice:
    """What ``build`` and ``batch`` write: formats, content and layout choices."""

    formats: str
    final: bool
    external: bool
    comments: bool
    reference_docx: Path | None
    paper: str
    pdf_variant: str | None
    force: bool

    def build_options(self) -> Any:
        from assembler.assembly.options import BuildOptions

        return BuildOptions(final=self.final, external=self.external)

    def writer_options(self) -> Any:
        from assembler.api import WriterOptions

        return WriterOptions(
            reference_docx=self.reference_docx, comments=self.comments and not self.external,
            paper=self.paper, pdf_variant=self.pdf_variant,
        )


_OUTPUT_OPTIONS = (
    click.option("-f", "--format", "formats", default="md", show_default=True, help="Comma-separated: md, docx, pdf, html, json."),
    click.option("--final", is_flag=True, help="No DRAFT marking; refuse to build while a [●] blank remains."),
    click.option("--external", is_flag=True, help="A copy for the other side: no drafting notes, comments, positions or stance."),
    click.option("--comments", is_flag=True, help="Drafting notes as Word comments on each clause (DOCX)."),
    click.option("--reference-docx", type=click.Path(path_type=Path), help="Take Word styles from this .docx (like pandoc's --reference-doc)."),
    click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="PDF/HTML paper size."),
    click.option("--pdf-variant", type=click.Choice(["pdf/a-3b"]), help="Write archival PDFs."),
    click.option("--force", is_flag=True, help="Overwrite output files edited since the last build."),
)


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the output options of ``build`` and ``batch``; pass ``outputs``."""

    @functools.wraps(func)
    def wrapper(*args: Any, formats: str, final: bool, external: bool, comments: bool, reference_docx: Path | None,
                paper: str, pdf_variant: str | None, force: bool, **kwargs: Any) -> Any:
        outputs = OutputChoice(formats, final, external, comments, reference_docx, paper, pdf_variant, force)
        return func(*args, outputs=outputs, **kwargs)

    for option in reversed(_OUTPUT_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


def text_table(rows: list[list[str]], headers: list[str]) -> str:
    """Rows under headers, in columns padded to the widest cell."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)
