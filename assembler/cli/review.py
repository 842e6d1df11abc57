"""``dealdraft diff`` and ``dealdraft verify``: reviewing drafts against each
other and against their provenance. Registered on the main group by ``cli.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assembler.base.errors import DealdraftError, Problem

from .common import LibraryChoice, handle_errors, json_option, library_option, open_library


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "html", "docx"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here (a file; a folder for --format docx).")
@click.option("--exit-code", is_flag=True, help="Exit 1 when anything changed, like git diff.")
@click.option("--color/--no-color", default=None, help="Colour the terminal output (default: when writing to a terminal).")
@click.option("--author", default="dealdraft", show_default=True, help="Author of the tracked changes (--format docx).")
@library_option
@handle_errors
def diff(old: Path, new: Path, fmt: str, output: Path | None, exit_code: bool, color: bool | None, author: str, libraries: LibraryChoice) -> None:
    """Show what changed between two drafts, clause by clause and word by word.

    OLD and NEW are deal files, build folders or deal.lock.json files.

    \b
    Example:
        dealdraft diff v1.yaml v2.yaml
        dealdraft diff v1.yaml v2.yaml --format docx -o redlines/
    """
    from assembler.base.output import write_file_atomic
    from assembler.review.diff import diff_sides, dumps, load_side
    from assembler.review.diff_render import render_html, render_text

    library = open_library(libraries)
    result = diff_sides(load_side(old, library), load_side(new, library), library)
    if fmt == "docx":
        from assembler.review.redline import write_redlines

        if output is None:
            raise DealdraftError([Problem("--format docx needs -o FOLDER", field="--output")])
        for path in write_redlines(result, output, author=author):
            click.echo(f"wrote {path}", err=True)
    else:
        if fmt == "json":
            text = dumps(result)
        elif fmt == "html":
            text = render_html(result)
        else:
            use_color = color if color is not None else (output is None and sys.stdout.isatty())
            text = render_text(result, color=use_color)
        if output is None:
            click.echo(text, nl=False, color=bool(color) if fmt == "text" else None)
        else:
            write_file_atomic(output, text.encode("utf-8"))
    if exit_code and result.changed:
        sys.exit(1)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--deal", "deal_path", type=click.Path(path_type=Path), required=True, help="The deal file the draft was built from.")
@click.option("--returned", is_flag=True, help="FILE is a DOCX that came back from the other side: list the clauses whose text was edited, added or deleted.")
@json_option
@library_option
@handle_errors
def verify(file: Path, deal_path: Path, returned: bool, as_json: bool, libraries: LibraryChoice) -> None:
    """Check a DOCX or PDF against its deal and library; exit 1 when clauses drifted.

    \b
    Example:
        dealdraft verify out/agreement.docx --deal deal.yaml
        dealdraft verify their-markup.docx --deal deal.yaml --returned
    """
    from assembler.review import verify as verify_module

    library = open_library(libraries)
    report = (verify_module.returned if returned else verify_module.verify)(file, deal_path, library)
    click.echo(verify_module.dumps(report) if as_json else report.text(), nl=False)
    if not report.ok:
        sys.exit(1)
