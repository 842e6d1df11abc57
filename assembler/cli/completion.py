"""Shell completion of deal types, clause ids and positions (Click's ``shell_complete``).

Each function reads the library the command line names so far (``--library``,
``--no-builtin``) and never fails: a library that cannot be loaded completes
nothing, so pressing Tab never prints an error into the shell.

    @click.argument("clause_id", shell_complete=complete_clause_ids)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.shell_completion import CompletionItem

if TYPE_CHECKING:
    from assembler.library.model import Library


def _library(ctx: click.Context) -> Library | None:
    from assembler.library.load import load_library

    overlays = tuple(Path(p) for p in ctx.params.get("overlays") or ())
    builtin = not ctx.params.get("no_builtin", False)
    try:
        return load_library(overlays, builtin=builtin)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return None


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n", 1)[0].split())


def complete_deal_types(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Deal type ids starting with ``incomplete``, with their names as help."""
    library = _library(ctx)
    if library is None:
        return []
    return [
        CompletionItem(type_id, help=sourced.spec.name)
        for type_id, sourced in sorted(library.deal_types.items())
        if type_id.startswith(incomplete)
    ]


def complete_clause_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Clause ids starting with ``incomplete`` (only a ``--deal-type``'s
    clauses when one was given), with their titles as help."""
    library = _library(ctx)
    if library is None:
        return []
    deal_type = ctx.params.get("deal_type")
    return [
        CompletionItem(clause_id, help=clause.spec.title)
        for clause_id, clause in sorted(library.clauses.items())
        if clause_id.startswith(incomplete) and (not isinstance(deal_type, str) or clause.spec.applies_to(deal_type))
    ]


def complete_positions(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The positions of the clause named on the command line (``clause_id``),
    with their rationales as help; every position of the library otherwise."""
    library = _library(ctx)
    if library is None:
        return []
    # Click leaves the arguments unparsed in ctx.args while an option still waits for its value
    named = [ctx.params.get("clause_id"), *ctx.args]
    clause = next((library.clauses[n] for n in named if isinstance(n, str) and n in library.clauses), None)
    positions: dict[str, Any]
    if clause is not None:
        positions = {name: _first_line(spec.rationale) for name, spec in clause.spec.positions.items()}
    else:
        positions = {name: "" for c in library.clauses.values() for name in c.spec.positions}
    return [CompletionItem(name, help=help or None) for name, help in sorted(positions.items()) if name.startswith(incomplete)]
