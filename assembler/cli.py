"""The ``dealdraft`` command: a thin layer over the library API.

Each command builds its inputs, calls one library function and prints the
result. Library errors are translated once, here: one line per problem on
stderr and exit code 2. Exit 1 means findings (lint errors, diff changes).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from . import __version__
from .completion import complete_clause_ids, complete_deal_types, complete_positions
from .errors import DealdraftError, Problem
from .limits import MEMORY_BYTES, limit_memory

EXAMPLE = "examples/research-collaboration.yaml"


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


def _library(libraries: LibraryChoice, verbose: bool = False) -> Any:
    from . import library as library_module

    library = library_module.load_library(libraries.overlays, builtin=libraries.builtin)
    if verbose:
        for line in library.overridden:
            click.echo(f"overlay: {line}", err=True)
    return library_module.require_valid(library)


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dealdraft")
def cli() -> None:
    """Draft pharma–partner deal documents from a clause library.

    \b
    Example:
        dealdraft new research_collaboration -o deal.yaml
        dealdraft build deal.yaml -o out/ --format docx,pdf,md
    """


@cli.command("deal-types")
@library_option
@json_option
@handle_errors
def deal_types(libraries: LibraryChoice, as_json: bool) -> None:
    """List the deal types and the documents each one produces.

    \b
    Example:
        dealdraft deal-types --json
    """
    library = _library(libraries)
    items = []
    for type_id, sourced in sorted(library.deal_types.items()):
        spec = sourced.spec
        docs = [library.document_spec(d).id for d in spec.documents]
        items.append({"id": type_id, "name": spec.name, "summary": spec.summary, "documents": docs})
    if as_json:
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        click.echo(_table([[i["id"], i["name"], ", ".join(i["documents"])] for i in items], ["id", "name", "documents"]))


@cli.command()
@click.option("--deal-type", help="Only the clauses a deal type may use.", shell_complete=complete_deal_types)
@library_option
@json_option
@handle_errors
def clauses(deal_type: str | None, libraries: LibraryChoice, as_json: bool) -> None:
    """List the clauses of the library.

    \b
    Example:
        dealdraft clauses --deal-type research_collaboration
    """
    from .validation import closest

    library = _library(libraries)
    if deal_type is not None and deal_type not in library.deal_types:
        raise DealdraftError([Problem(f"unknown deal type {deal_type!r}" + closest(deal_type, library.deal_types), field="--deal-type")])
    items = []
    for clause_id, clause in sorted(library.clauses.items()):
        spec = clause.spec
        if deal_type and not spec.applies_to(deal_type):
            continue
        items.append(
            {
                "id": clause_id,
                "title": spec.title,
                "version": spec.version,
                "deal_types": spec.deal_types if spec.deal_types == "all" else list(spec.deal_types),
                "positions": list(spec.positions),
                "summary": spec.summary.strip(),
            }
        )
    if as_json:
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        click.echo(_table([[i["id"], i["title"], i["version"], ", ".join(i["positions"])] for i in items], ["id", "title", "version", "positions"]))


@cli.command()
@click.argument("clause_id", shell_complete=complete_clause_ids)
@click.option("--position", help="The position to show (default: balanced).", shell_complete=complete_positions)
@click.option("--deal", "deal_path", type=click.Path(path_type=Path), help="Render with this deal's values instead of the defaults.")
@library_option
@handle_errors
def show(clause_id: str, position: str | None, deal_path: Path | None, libraries: LibraryChoice) -> None:
    """Show one clause, rendered with default values (or a deal's values).

    \b
    Example:
        dealdraft show governance.jsc.composition --position partner
    """
    from .inspect import show_clause

    click.echo(show_clause(_library(libraries), clause_id, position, deal_path), nl=False)


@cli.command()
@click.argument("deal_type", shell_complete=complete_deal_types)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the deal file here (default: standard output).")
@click.option("--stance", type=click.Choice(["pharma", "balanced", "partner"]), default="balanced", show_default=True)
@click.option("-i", "--interactive", is_flag=True, help="Ask for the parties, the stance and each value, checking every answer.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@library_option
@handle_errors
def new(deal_type: str, output: Path | None, stance: str, interactive: bool, force: bool, libraries: LibraryChoice) -> None:
    """Write a deal file with every variable of a deal type, its default and a comment.

    \b
    Example:
        dealdraft new research_collaboration -o deal.yaml
        dealdraft new research_collaboration --interactive -o deal.yaml
    """
    from .output import write_file_atomic
    from .scaffold import new_deal_text
    from .validation import closest

    library = _library(libraries)
    if deal_type not in library.deal_types:
        raise DealdraftError(
            [Problem(f"unknown deal type {deal_type!r}" + closest(deal_type, library.deal_types) + f"; known: {', '.join(sorted(library.deal_types))}", field="DEAL_TYPE")]
        )
    if output is not None and output.exists() and not force:
        raise DealdraftError([Problem("file exists; use --force to overwrite it", str(output))])
    spec = library.deal_types[deal_type].spec
    if interactive:
        from .interactive import click_prompts, interactive_deal_text

        ask, tell = click_prompts()
        text = interactive_deal_text(library, spec, ask, tell=tell, stance=stance)
    else:
        text = new_deal_text(library, spec, stance)
    if output is None:
        click.echo(text, nl=False)
        return
    write_file_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {output}", err=True)


@cli.command()
@click.argument("deal", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Output folder.")
@click.option("-f", "--format", "formats", default="md", show_default=True, help="Comma-separated: md, docx, pdf, html, json.")
@click.option("--final", is_flag=True, help="No DRAFT marking; refuse to build while a [●] blank remains.")
@click.option("--external", is_flag=True, help="A copy for the other side: no drafting notes, comments, positions or stance.")
@click.option("--comments", is_flag=True, help="Drafting notes as Word comments on each clause (DOCX).")
@click.option("--reference-docx", type=click.Path(path_type=Path), help="Take Word styles from this .docx (like pandoc's --reference-doc).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="PDF/HTML paper size.")
@click.option("--pdf-variant", type=click.Choice(["pdf/a-3b"]), help="Write an archival PDF.")
@click.option("--force", is_flag=True, help="Overwrite output files edited since the last build.")
@click.option("-v", "--verbose", is_flag=True, help="Report overlay clauses that replace built-in ones, and unused terms.")
@library_option
@handle_errors
def build(deal: Path, output: Path, formats: str, final: bool, external: bool, comments: bool, reference_docx: Path | None,
          paper: str, pdf_variant: str | None, force: bool, verbose: bool, libraries: LibraryChoice) -> None:
    """Build a deal: one file per document and format, plus deal.lock.json.

    \b
    Example:
        dealdraft build examples/research-collaboration.yaml -o out/ --format docx,pdf,md
    """
    from .api import WriterOptions, parse_formats
    from .api import build as run_build
    from .assemble import BuildOptions

    library = _library(libraries, verbose)
    result = run_build(
        deal, output, formats=parse_formats(formats), library=library, force=force,
        options=BuildOptions(final=final, external=external),
        writer=WriterOptions(reference_docx=reference_docx, comments=comments and not external, paper=paper, pdf_variant=pdf_variant),
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in result.files:
        click.echo(f"wrote {path}", err=True)
    if result.blanks:
        click.echo(f"{len(result.blanks)} blank(s) [●] to fill: {', '.join(result.blanks)}", err=True)


@cli.command()
@click.argument("clause_id", shell_complete=complete_clause_ids)
@click.argument("deal", type=click.Path(path_type=Path))
@library_option
@handle_errors
def why(clause_id: str, deal: Path, libraries: LibraryChoice) -> None:
    """Say why a clause is in or out of a deal, and in which position.

    \b
    Example:
        dealdraft why governance.observers deal.yaml
    """
    from .inspect import explain

    click.echo(explain(_library(libraries), clause_id, deal))


@cli.command()
@library_option
@json_option
@click.option("-v", "--verbose", is_flag=True, help="Also report overlay clauses that replace built-in ones.")
@handle_errors
def lint(libraries: LibraryChoice, as_json: bool, verbose: bool) -> None:
    """Check the clause library; exit 1 when it has errors.

    \b
    Example:
        dealdraft lint --library house-clauses/
    """
    from . import library as library_module
    from .lint import lint_library

    library = library_module.load_library(libraries.overlays, builtin=libraries.builtin)
    problems = lint_library(library)
    if verbose:
        for line in library.overridden:
            click.echo(f"overlay: {line}", err=True)
    errors = sum(p.severity == "error" for p in problems)
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(f"{problem.severity}: {problem}")
        click.echo(f"{len(library.clauses)} clauses, {len(library.deal_types)} deal types: {errors} error(s), {len(problems) - errors} warning(s)", err=True)
    if errors:
        sys.exit(1)


@cli.command()
@click.option("--deal-type", help="Only the terms of this deal type.", shell_complete=complete_deal_types)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the schema to this file.")
@library_option
@handle_errors
def schema(deal_type: str | None, output: Path | None, libraries: LibraryChoice) -> None:
    """Print the JSON Schema of deal files (for editors and validators).

    \b
    Example:
        dealdraft schema -o deal.schema.json
    """
    from .jsonschema import deal_schema
    from .output import write_file_atomic
    from .validation import closest

    library = _library(libraries)
    if deal_type is not None and deal_type not in library.deal_types:
        raise DealdraftError([Problem(f"unknown deal type {deal_type!r}" + closest(deal_type, library.deal_types), field="--deal-type")])
    text = json.dumps(deal_schema(library, deal_type), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        write_file_atomic(output, text.encode("utf-8"))


@cli.command()
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
    from .diff import diff_sides, dumps, load_side
    from .diff_render import render_html, render_text
    from .output import write_file_atomic

    library = _library(libraries)
    result = diff_sides(load_side(old, library), load_side(new, library), library)
    if fmt == "docx":
        from .redline import write_redlines

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


@cli.command()
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
    from . import verify as verify_module

    library = _library(libraries)
    report = (verify_module.returned if returned else verify_module.verify)(file, deal_path, library)
    click.echo(verify_module.dumps(report) if as_json else report.text(), nl=False)
    if not report.ok:
        sys.exit(1)


def _register_batch() -> None:
    from .cli_batch import batch_command

    cli.add_command(batch_command())


_register_batch()


def main() -> None:
    limit_memory()
    cli(prog_name="dealdraft")


if __name__ == "__main__":  # pragma: no cover
    main()
