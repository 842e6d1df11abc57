"""The ``dealdraft`` command: a thin layer over the library API.

Each command builds its inputs, calls one library function and prints the
result. Library errors are translated once, here: one line per problem on
stderr and exit code 2. Exit 1 means findings (lint errors, diff changes).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from assembler.base.errors import DealdraftError, Problem
from assembler.base.limits import limit_memory
from assembler.base.version import __version__

from .common import LibraryChoice, OutputChoice, handle_errors, json_option, library_option, open_library, output_options, text_table
from .completion import complete_clause_ids, complete_deal_types, complete_positions

EXAMPLE = "examples/research-collaboration.yaml"


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
    """List the deal types, the documents each one produces, and (with --json) their roles and stances.

    \b
    Example:
        dealdraft deal-types --json
    """
    library = open_library(libraries)
    items = []
    for type_id, sourced in sorted(library.deal_types.items()):
        spec = sourced.spec
        docs = [library.document_spec(d).id for d in spec.documents]
        roles = [{"id": role, "label": spec.parties.label(role), "min": low, "max": high} for role, (low, high) in spec.parties.bounds().items()]
        stances = [{"id": name, "label": (spec.stances or {})[name].label or name if spec.stances else name} for name in spec.stance_names()]
        items.append({
            "id": type_id, "name": spec.name, "summary": spec.summary, "documents": docs,
            "roles": roles, "stances": stances, "default_stance": spec.stance_default(),
        })
    if as_json:
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        click.echo(text_table([[i["id"], i["name"], ", ".join(i["documents"])] for i in items], ["id", "name", "documents"]))


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
    from assembler.library.validation import closest

    library = open_library(libraries)
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
        click.echo(text_table([[i["id"], i["title"], i["version"], ", ".join(i["positions"])] for i in items], ["id", "title", "version", "positions"]))


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

    click.echo(show_clause(open_library(libraries), clause_id, position, deal_path), nl=False)


@cli.command()
@click.argument("deal_type", shell_complete=complete_deal_types)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the deal file here (default: standard output).")
@click.option("--stance", help="The stance of the new deal (one of the deal type's; default: its default stance, usually balanced).")
@click.option("-i", "--interactive", is_flag=True, help="Ask for the parties, the stance and each value, checking every answer.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@library_option
@handle_errors
def new(deal_type: str, output: Path | None, stance: str | None, interactive: bool, force: bool, libraries: LibraryChoice) -> None:
    """Write a deal file with every variable of a deal type, its default and a comment.

    \b
    Example:
        dealdraft new research_collaboration -o deal.yaml
        dealdraft new research_collaboration --interactive -o deal.yaml
    """
    from assembler.base.output import write_file_atomic
    from assembler.deal.scaffold import new_deal_text
    from assembler.library.validation import closest

    library = open_library(libraries)
    if deal_type not in library.deal_types:
        raise DealdraftError(
            [Problem(f"unknown deal type {deal_type!r}" + closest(deal_type, library.deal_types) + f"; known: {', '.join(sorted(library.deal_types))}", field="DEAL_TYPE")]
        )
    if output is not None and output.exists() and not force:
        raise DealdraftError([Problem("file exists; use --force to overwrite it", str(output))])
    spec = library.deal_types[deal_type].spec
    stance = stance or spec.stance_default()
    if stance not in spec.stance_names():
        raise DealdraftError(
            [Problem(f"{stance!r} is not a stance of a {deal_type} deal ({', '.join(spec.stance_names())})" + closest(stance, spec.stance_names()), field="--stance")]
        )
    if interactive:
        from assembler.deal.interactive import click_prompts, interactive_deal_text

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
@output_options
@click.option("--stance", help="Build in this stance instead of the deal file's (one of its deal type's stances).")
@click.option("-v", "--verbose", is_flag=True, help="Report overlay clauses that replace built-in ones, and unused terms.")
@library_option
@handle_errors
def build(deal: Path, output: Path, outputs: OutputChoice, stance: str | None, verbose: bool, libraries: LibraryChoice) -> None:
    """Build a deal: one file per document and format, plus deal.lock.json.

    \b
    Example:
        dealdraft build examples/research-collaboration.yaml -o out/ --format docx,pdf,md
        dealdraft build examples/research-collaboration.yaml -o out-partner/ --stance partner
    """
    from assembler.writers.pdf.engine import early_layout

    # WeasyPrint loads in a layout process while the deal builds here.
    with early_layout("pdf" in outputs.formats.lower()):
        from assembler.api import build as run_build
        from assembler.api import parse_formats

        library = open_library(libraries, verbose)
        result = run_build(
            deal, output, formats=parse_formats(outputs.formats), library=library, force=outputs.force,
            options=outputs.build_options(), writer=outputs.writer_options(), stance=stance,
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

    click.echo(explain(open_library(libraries), clause_id, deal))


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
    from assembler.library import load as library_module
    from assembler.review.lint import lint_library

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
@click.option("--clauses", "kind", flag_value="clauses", help="The schema of clause files instead.")
@click.option("--deal-types", "kind", flag_value="deal-types", help="The schema of deal-type files (deal-types/*.yaml) instead.")
@click.option("--documents", "kind", flag_value="documents", help="The schema of shared document outlines (documents/*.yaml) instead.")
@click.option("--conventions", "kind", flag_value="conventions", help="The schema of a library's conventions.yaml instead.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the schema to this file.")
@library_option
@handle_errors
def schema(deal_type: str | None, kind: str | None, output: Path | None, libraries: LibraryChoice) -> None:
    """Print the JSON Schema of deal files, or of a kind of library file (for editors and validators).

    \b
    Example:
        dealdraft schema -o deal.schema.json
        dealdraft schema --clauses -o clause.schema.json
    """
    from assembler.base.output import write_file_atomic
    from assembler.deal.jsonschema import deal_schema
    from assembler.library.file_schemas import file_schema
    from assembler.library.validation import closest

    if kind is not None:
        if deal_type is not None:
            raise DealdraftError([Problem("--deal-type is only for the schema of deal files", field="--deal-type")])
        data = file_schema(kind)
    else:
        library = open_library(libraries)
        if deal_type is not None and deal_type not in library.deal_types:
            raise DealdraftError([Problem(f"unknown deal type {deal_type!r}" + closest(deal_type, library.deal_types), field="--deal-type")])
        data = deal_schema(library, deal_type)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        write_file_atomic(output, text.encode("utf-8"))


def _register_more_commands() -> None:
    from .batch import batch_command
    from .review import absorb, diff, verify
    from .serve import serve_command

    cli.add_command(batch_command())
    cli.add_command(serve_command)
    cli.add_command(diff)
    cli.add_command(verify)
    cli.add_command(absorb)


_register_more_commands()


def main() -> None:
    limit_memory()
    cli(prog_name="dealdraft")


if __name__ == "__main__":  # pragma: no cover
    main()
