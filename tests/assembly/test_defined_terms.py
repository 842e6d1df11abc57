"""Defined terms as drafters write them, built from the house library example
and variants of it: aliases, inline definitions, local terms, kept terms,
and where the list goes with which verb."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run

from assembler.assembly.typography import NBSP

OWN = ROOT / "examples" / "own-library"


def _library(tmp_path: Path) -> Path:
    root = tmp_path / "house"
    shutil.copytree(OWN / "library", root)
    return root


def _build(root: Path, deal: Path, out: Path) -> str:
    result = run("build", str(deal), "-o", str(out), "--format", "md", "--no-builtin", "--library", str(root))
    assert result.exit_code == 0, result.stderr
    return next(out.glob("*.md")).read_text("utf-8")


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def _clause(data: list[dict], clause_id: str) -> dict:
    return next(c for c in data if c["id"] == clause_id)


def test_alias_inline_local_and_list(tmp_path: Path) -> None:
    text = _build(OWN / "library", OWN / "services-agreement.yaml", tmp_path)
    definitions = text[text.index("### 1.1 Definitions"):text.index("### 1.2")]
    assert "“**Customer Data**” or “**Data**” means all data, in any form, that Tallow & Finch or its staff give Corvane for the Services.\n" in definitions
    assert f"“**Services**” has the meaning given in clause{NBSP}2.1.\n" in definitions
    assert "Excluded Losses" not in definitions  # local to its clause
    assert "(the “**Services**”), for Tallow & Finch" in text
    assert "Tallow & Finch owns the Data, and" in text
    assert f"### 5.2 Exclusions\n\nIn this clause{NBSP}5.2, “**Excluded Losses**” means indirect or consequential loss" in text
    assert "Neither Party is liable for any Excluded Losses." in text


def test_definitions_article_placement(tmp_path: Path) -> None:
    text = _build(OWN / "library", OWN / "mutual-nda.yaml", tmp_path)
    assert "## 1. Definitions and Interpretation\n\n“**Business Day**” means" in text
    assert "### 1.1 Interpretation" in text  # the clauses of the article keep their numbers from 1


def test_definitions_schedule_placement_and_verb(tmp_path: Path) -> None:
    root = _library(tmp_path)
    _edit(root / "deal-types" / "services_agreement.yaml", lambda d: d.update(definitions={"placement": "schedule", "verb": "shall mean"}))
    text = _build(root, OWN / "services-agreement.yaml", tmp_path / "out")
    assert "## Schedule 1 — Definitions\n\n“**Business Day**” shall mean a day other than" in text
    assert "## Schedule 2 — Service Description" in text
    assert f"described in Schedule{NBSP}2 (Service Description)" in text
    assert "### 1.1 Interpretation" in text


def test_kept_term_is_listed_without_uses(tmp_path: Path) -> None:
    root = _library(tmp_path)
    path = root / "clauses" / "general.yaml"
    hours = {"means": "9 am to 5 pm on a Business Day", "keep": True}
    _edit(path, lambda data: _clause(data, "gen.interpretation")["defines"].update({"Working Hours": hours}))
    text = _build(root, OWN / "services-agreement.yaml", tmp_path / "kept")
    assert "“**Working Hours**” means 9 am to 5 pm on a Business Day.\n" in text
    _edit(path, lambda data: _clause(data, "gen.interpretation")["defines"]["Working Hours"].pop("keep"))
    text = _build(root, OWN / "services-agreement.yaml", tmp_path / "dropped")
    assert "Working Hours" not in text
    lint = run("lint", "--no-builtin", "--library", str(root)).stdout
    assert "defined term 'Working Hours' is never used" in lint


def test_local_term_used_elsewhere_is_an_error(tmp_path: Path) -> None:
    root = _library(tmp_path)
    path = root / "clauses" / "liability.yaml"
    _edit(path, lambda data: _clause(data, "svc.liability.cap")["positions"]["balanced"].update(
        text="Each Party's liability, other than for {{ term('Excluded Losses') }}, is limited.\n"))
    result = run("build", str(OWN / "services-agreement.yaml"), "-o", str(tmp_path / "o"), "--stance", "balanced",
                 "--no-builtin", "--library", str(root))
    assert result.exit_code == 2
    assert "clause svc.liability.cap: term: term('Excluded Losses') is defined only for clause svc.liability.exclusions (local: true)" in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: _clause(d, "svc.services.scope")["positions"]["balanced"].update(text="Corvane performs the services.\n"),
         "clause svc.services.scope: positions.balanced.text: the text never defines 'Services' (inline: true): write {{ define('Services') }} where it is defined"),
        (lambda d: _clause(d, "svc.background")["positions"]["balanced"].update(text="The {{ define('Work') }} follows.\n"),
         "clause svc.background: positions.balanced.text: define('Work'): the clause does not define 'Work' inline (defines: {Work: {inline: true}})"),
        (lambda d: _clause(d, "svc.data")["defines"]["Customer Data"].update(inline=True),
         "clause svc.data: defines.Customer Data: a definition has either 'means' (its text) or 'inline: true'"),
        (lambda d: _clause(d, "svc.data")["defines"]["Customer Data"].update(aliases=["Services"]),
         "clause svc.services.scope: defines: term 'Services' is already defined by clause svc.data"),
    ],
)
def test_definition_errors(tmp_path: Path, change, message: str) -> None:
    root = _library(tmp_path)
    _edit(root / "clauses" / "services.yaml", change)
    result = run("lint", "--no-builtin", "--library", str(root))
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert any(line.endswith(message) for line in errors), errors
