"""Cases as data: selection, numbering, references and error lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE_ARGS, FIXTURE_DEAL, TESTS, run
from untypeset import untypeset

BUILD_CASES = yaml.safe_load((TESTS / "cases" / "build_cases.yaml").read_text("utf-8"))
BAD_DEALS = yaml.safe_load((TESTS / "cases" / "bad_deals.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", BUILD_CASES, ids=[c["name"] for c in BUILD_CASES])
def test_build_case(case: dict[str, Any], write_deal: Any, tmp_path: Path) -> None:
    deal = write_deal(**case["deal"])
    out = tmp_path / "out"
    result = run("build", str(deal), "-o", str(out), "--format", "md", *FIXTURE_ARGS)
    if "expect_error" in case:
        assert result.exit_code == 2
        assert case["expect_error"] in result.stderr
        assert not out.exists()
        return
    assert result.exit_code == 0, result.stderr
    lock = json.loads((out / "deal.lock.json").read_text("utf-8"))
    numbers = {c["id"]: c["number"] for c in lock["clauses"]}
    positions = {c["id"]: c["position"] for c in lock["clauses"]}
    for clause_id, number in case.get("numbers", {}).items():
        assert numbers.get(clause_id) == number, clause_id
    for clause_id in case.get("absent", []):
        assert clause_id not in numbers
    for clause_id, position in case.get("positions", {}).items():
        assert positions[clause_id] == position, clause_id
    agreement = untypeset((out / "agreement.md").read_text("utf-8"))
    for text in case.get("agreement_contains", []):
        assert untypeset(text) in agreement
    charter = untypeset((out / "charter.md").read_text("utf-8"))
    for text in case.get("charter_contains", []):
        assert untypeset(text) in charter
    if "blanks" in case:
        assert lock["blanks"] == case["blanks"]
        assert f"blank(s) [●] to fill: {', '.join(case['blanks'])}" in result.stderr


def _patched(case: dict[str, Any]) -> str:
    text = FIXTURE_DEAL.read_text("utf-8")
    for old, new in case.get("replace", []):
        assert old in text, old
        text = text.replace(old, new, 1)
    if "append" in case:
        text = text.rstrip("\n") + "\n" + case["append"] + "\n"
    return text


@pytest.mark.parametrize("case", BAD_DEALS, ids=[c["name"] for c in BAD_DEALS])
def test_bad_deal(case: dict[str, Any], tmp_path: Path) -> None:
    deal = tmp_path / "deal.yaml"
    deal.write_text(_patched(case), "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("user file", "utf-8")
    result = run("build", str(deal), "-o", str(out), *FIXTURE_ARGS)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    expected = [line.format(path=deal) for line in case["errors"]]
    for line in expected:
        assert line in lines
    if len(case["errors"]) > 1 or case["name"] != "several problems are reported together":
        assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_several_problems_are_reported_in_one_run(tmp_path: Path) -> None:
    case = next(c for c in BAD_DEALS if c["name"] == "several problems are reported together")
    deal = tmp_path / "deal.yaml"
    deal.write_text(_patched(case), "utf-8")
    result = run("build", str(deal), "-o", str(tmp_path / "out"), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert any("terms.fx_review_days: must be at least 30 days (got 5)" in line for line in result.stderr.splitlines())
    assert len(result.stderr.splitlines()) == 2


def test_at_least_fifteen_distinct_mistakes() -> None:
    assert len({c["name"] for c in BAD_DEALS}) >= 15
