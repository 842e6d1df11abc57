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
    from assembler.review.negotiation import verify as verify_module

    library = open_library(libraries)
    report = (verify_module.returned if returned else verify_module.verify)(file, deal_path, library)
    click.echo(verify_module.dumps(report) if as_json else report.text(), nl=False)
    if not report.ok:
        sys.exit(1)


@click.command()
@click.argument("theirs", type=click.Path(path_type=Path))
@click.option("--deal", "deal_path", type=click.Path(path_type=Path), required=True, help="The deal file the draft you sent was built from.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The updated deal file to write (never the --deal file itself).")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Also write the negotiation report to this file (format from its suffix: .txt, .md, .html, .json).")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "md", "html", "json"]), default="text", show_default=True, help="Format of the report on standard output.")
@click.option("--overrides/--no-overrides", default=True, show_default=True, help="Keep their text of clauses off the playbook as overrides in the deal file.")
@library_option
@handle_errors
def absorb(theirs: Path, deal_path: Path, output: Path, report_path: Path | None, fmt: str, overrides: bool, libraries: LibraryChoice) -> None:
    """Read the other side's marked-up DOCX back into the deal: write the next
    deal file and a negotiation report (every change, what it maps to, what
    you must decide).

    \b
    Example:
        dealdraft absorb their-markup.docx --deal deal.yaml -o deal-v2.yaml --report round-1.md
        dealdraft diff deal-v2.yaml deal-v3.yaml --format docx -o redlines/   # your answer, as a redline
    """
    from assembler.base.output import write_file_atomic
    from assembler.review.negotiation.absorb import absorb as absorb_markup
    from assembler.review.negotiation.dealfile import next_deal_text
    from assembler.review.negotiation.negotiation_report import RENDERERS

    if output.resolve() == deal_path.resolve():
        raise DealdraftError([Problem("-o must name a new deal file, not the --deal file itself", str(output), field="--output")])
    suffixes = {".txt": "text", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}
    if report_path is not None and report_path.suffix.lower() not in suffixes:
        raise DealdraftError([Problem("the report's suffix must be .txt, .md, .html or .json", str(report_path), field="--report")])
    library = open_library(libraries)
    result = absorb_markup(theirs, deal_path, library, overrides=overrides)
    write_file_atomic(output, next_deal_text(result, deal_path, library).encode("utf-8"))
    if report_path is not None:
        write_file_atomic(report_path, RENDERERS[suffixes[report_path.suffix.lower()]](result, str(output)).encode("utf-8"))
    click.echo(RENDERERS[fmt](result, str(output)), nl=False)
