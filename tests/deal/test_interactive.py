"""``dealdraft new --interactive``: questions, checks as you type, the deal file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from conftest import FIXTURE_ARGS, FIXTURE_LIBRARY, run

from assembler.base.errors import InputError
from assembler.deal.interactive import interactive_deal_text
from assembler.deal.load import parse_deal
from assembler.library import load as library_module

# stance, two parties, law, currency, effective date, then the fixture deal type's terms in outline order:
# fx_plan_months, fx_review_days, fx_effective, fx_personal_data, fx_breach_hours, fx_special_fee, fx_milestones
ANSWERS = [
    "partner",
    "Acme Pharma AG", "", "a company incorporated in Switzerland", "Hauptstrasse 1, Basel",
    "Beta Bio Ltd", "Beta", "a company incorporated in England and Wales", "1 Hills Road, Cambridge",
    "new_york", "eur", "2027-03-01",
    "99", "36",           # 99 months is refused (max 48), then 36
    "45", "", "yes", "", "EUR 250,000", "",
]


def fixture_library() -> library_module.Library:
    return library_module.require_valid(library_module.load_library([FIXTURE_LIBRARY], builtin=False))


def scripted(answers: list[str]) -> tuple[Any, list[str]]:
    """An ``ask`` that gives ``answers`` in turn (Enter keeps the default, like click.prompt)."""
    remaining: Iterator[str] = iter(answers)
    transcript: list[str] = []

    def ask(text: str, *, default: str | None, show_default: bool) -> str:
        answer = next(remaining)
        transcript.append(f"? {text}")
        return answer if answer or default is None else default

    return ask, transcript


def test_answers_are_checked_and_written_as_a_deal_that_loads() -> None:
    library = fixture_library()
    ask, transcript = scripted(ANSWERS)
    told: list[str] = []
    text = interactive_deal_text(library, library.deal_types["fixture_collab"].spec, ask, tell=told.append)
    assert "  must be at most 48 months (got 99)" in told
    assert "Length of the plan. (months; min 6; max 48; clause fx.scope.plan)" in told
    assert transcript.count("? fx_plan_months") == 2
    assert "? fx_effective (Enter to leave blank)" in transcript
    deal = parse_deal(text, library, "deal.yaml")
    assert deal.spec.stance == "partner"
    assert deal.spec.governing_law == "new_york" and deal.spec.currency == "EUR"
    assert [(p.role, p.short_name) for p in deal.spec.parties] == [("pharma", "Acme"), ("partner", "Beta")]
    data = yaml.safe_load(text)
    assert data["terms"]["fx_plan_months"] == 36
    assert data["terms"]["fx_review_days"] == 45
    assert data["terms"]["fx_personal_data"] is True
    assert data["terms"]["fx_special_fee"] == "EUR 250,000"
    assert "fx_effective" not in data["terms"]
    assert "  # fx_effective:                 # no value: renders as [●] until given" in text.splitlines()
    assert "  # Review period for manuscripts. (days; min 30; max 90; clause fx.pub.review)" in text.splitlines()


def test_only_terms_without_a_default_when_asked() -> None:
    library = fixture_library()
    answers = ["", "A AG", "", "a company", "Basel", "B Ltd", "", "a company", "Cambridge", "", "", "", "2027-02-01", ""]
    ask, transcript = scripted(answers)
    text = interactive_deal_text(library, library.deal_types["fixture_collab"].spec, ask, every_term=False)
    assert [t for t in transcript if t.startswith("? fx_")] == ["? fx_effective (Enter to leave blank)", "? fx_special_fee (Enter to leave blank)"]
    assert yaml.safe_load(text)["terms"]["fx_review_days"] == 60
    parse_deal(text, library, "deal.yaml")


def test_answers_that_never_fit_stop_after_ten_tries() -> None:
    library = fixture_library()
    ask, _ = scripted(["mars"] * 10)
    with pytest.raises(InputError, match="no valid answer after 10 tries"):
        interactive_deal_text(library, library.deal_types["fixture_collab"].spec, ask)


def run_new(*args: str, input: str) -> Result:
    """``dealdraft new ...`` through the real command line (no stand-in)."""
    return run("new", *args, input=input)


def test_interactive_new_through_the_command_line(tmp_path: Path) -> None:
    deal = tmp_path / "deal.yaml"
    result = run_new("fixture_collab", "--interactive", "-o", str(deal), *FIXTURE_ARGS, input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.output
    # questions, descriptions and refusals go to stderr, so the deal file can go to stdout
    assert "fx_plan_months [24]:" in result.stderr
    assert "must be at most 48 months (got 99)" in result.stderr
    assert "Stance (pharma, balanced, partner) [balanced]:" in result.stderr
    built = run("build", str(deal), "-o", str(tmp_path / "out"), *FIXTURE_ARGS)
    assert built.exit_code == 0, built.stderr
    agreement = (tmp_path / "out" / "agreement.md").read_text("utf-8")
    assert "Acme Pharma AG" in agreement and "thirty-six (36) months" in agreement


def test_interactive_new_to_stdout(tmp_path: Path) -> None:
    result = run_new("fixture_collab", "--interactive", *FIXTURE_ARGS, input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["parties"][0]["legal_name"] == "Acme Pharma AG"


