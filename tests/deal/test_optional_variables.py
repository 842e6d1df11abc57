"""Variables declared ``optional``: left empty, the text supplies its own
wording (a reference rate that follows the currency, the arbitral seat of the
governing law), so `dealdraft new` must not promise a blank, and no build may
show one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run
from pydantic import ValidationError

from assembler.library.load import load_library
from assembler.library.schema import VariableSpec

FALLBACKS = ["late_payment_reference_rate", "fx_rate_source", "arbitration_seat", "dispute_courts"]


def _scaffold_line(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(f"# {name}:"))


def test_the_shipped_fallbacks_are_optional() -> None:
    variables = load_library().variables
    assert all(variables[name].optional for name in [*FALLBACKS, "pilot_planned_start_date"])
    assert not variables["licensed_programme_summary"].optional


def test_new_lists_a_fallback_variable_as_optional_not_as_a_blank() -> None:
    result = run("new", "exclusive_license")
    assert result.exit_code == 0, result.output
    for name in FALLBACKS:
        line = _scaffold_line(result.stdout, name)
        assert "optional: left empty, the text says what applies" in line, line
        assert "[●]" not in line
    # a variable without a fallback still says that it renders as a blank
    assert "no default: renders as [●] until given" in _scaffold_line(result.stdout, "licensed_programme_summary")


@pytest.mark.parametrize("example", ["exclusive-license.yaml", "saas-service-purchase.yaml"])
def test_left_empty_a_fallback_variable_reads_its_fallback(tmp_path: Path, example: str) -> None:
    data = yaml.safe_load((ROOT / "examples" / example).read_text("utf-8"))
    for name in FALLBACKS:
        data["terms"].pop(name, None)
    deal = tmp_path / example
    deal.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    result = run("build", str(deal), "-o", str(tmp_path / "out"), "--format", "md")
    assert result.exit_code == 0, result.output
    lock = json.loads((tmp_path / "out" / "deal.lock.json").read_text("utf-8"))
    assert not set(lock["blanks"]) & set(FALLBACKS)
    agreement = (tmp_path / "out" / "agreement.md").read_text("utf-8")
    assert "New York" in agreement  # the seat or the courts of the governing law


def test_a_variable_cannot_be_optional_and_required() -> None:
    with pytest.raises(ValidationError, match="both 'optional' and 'required'"):
        VariableSpec(type="string", optional=True, required=True)
