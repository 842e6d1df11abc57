"""Shell completion of clause ids, positions and deal types, as a shell asks for it."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner
from conftest import FIXTURE_LIBRARY

from assembler.cli.completion import complete_clause_ids, complete_deal_types, complete_positions
from assembler.cli.main import LibraryChoice, cli, library_option


@click.group()
def _wired_like_cli() -> None:
    """Stand-ins for show and new with the completions attached (used until cli.py attaches them)."""


@_wired_like_cli.command("show")
@click.argument("clause_id", shell_complete=complete_clause_ids)
@click.option("--position", shell_complete=complete_positions)
@library_option
def _show(clause_id: str, position: str | None, libraries: LibraryChoice) -> None:
    """Stand-in."""


@_wired_like_cli.command("new")
@click.argument("deal_type", shell_complete=complete_deal_types)
@library_option
def _new(deal_type: str, libraries: LibraryChoice) -> None:
    """Stand-in."""


def _group() -> click.Group:
    param = next(p for p in cli.commands["show"].params if p.name == "clause_id")
    return cli if param._custom_shell_complete is not None else _wired_like_cli


def complete(line: str) -> list[tuple[str, str]]:
    """What bash gets for ``line`` (the last word is the one being completed)."""
    words = line.split(" ")
    result = CliRunner().invoke(
        _group(),
        [],
        prog_name="dealdraft",
        env={"_DEALDRAFT_COMPLETE": "bash_complete", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)},
    )
    assert result.exit_code == 0, result.output
    return [tuple(item.split(",", 1)) for item in result.stdout.splitlines() if item]  # type: ignore[misc]


LIB = f"--no-builtin --library {FIXTURE_LIBRARY}"


def test_partial_clause_id_completes_to_the_matching_ids() -> None:
    assert complete(f"dealdraft show {LIB} fx.sc") == [
        ("plain", "fx.sched.milestones"),
        ("plain", "fx.scope.plan"),
        ("plain", "fx.scope.purpose"),
    ]
    assert complete(f"dealdraft show {LIB} fx.scope.pu") == [("plain", "fx.scope.purpose")]
    assert complete(f"dealdraft show {LIB} nothing.like.this") == []


def test_partial_clause_id_in_the_builtin_library() -> None:
    values = [value for _kind, value in complete("dealdraft show governance.jsc.")]
    assert values and all(value.startswith("governance.jsc.") for value in values)
    assert "governance.jsc.composition" in values


def test_positions_of_the_named_clause() -> None:
    assert complete(f"dealdraft show {LIB} fx.law --position ") == [("plain", "balanced")]
    assert complete(f"dealdraft show {LIB} fx.scope.plan --position p") == [("plain", "partner"), ("plain", "pharma")]


def test_deal_types() -> None:
    assert complete(f"dealdraft new {LIB} fix") == [("plain", "fixture_collab")]


def test_an_unusable_library_completes_nothing(tmp_path: Path) -> None:
    assert complete(f"dealdraft show --no-builtin --library {tmp_path / 'missing'} fx.") == []


def test_completion_items_carry_help() -> None:
    ctx = click.Context(_wired_like_cli.commands["show"], resilient_parsing=True)
    ctx.params.update(overlays=(FIXTURE_LIBRARY,), no_builtin=True, clause_id="fx.scope.plan")
    items = complete_clause_ids(ctx, ctx.command.params[0], "fx.scope.pl")
    assert [(i.value, i.help) for i in items] == [("fx.scope.plan", "Research Plan")]
    positions = complete_positions(ctx, ctx.command.params[1], "ph")
    assert [(i.value, i.help) for i in positions] == [("pharma", "Short plan, pharma decides extensions.")]
