"""Diff: clause alignment, word diffs, renumbering summaries, outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE_ARGS, FIXTURE_LIBRARY, TESTS, fixture_deal_data, run

from assembler.review.worddiff import side, tokenize, word_diff

CASES = yaml.safe_load((TESTS / "cases" / "diff_cases.yaml").read_text("utf-8"))


def _deal(tmp_path: Path, name: str, changes: dict[str, Any]) -> Path:
    data = fixture_deal_data()
    data.update(changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_diff_case(case: dict[str, Any], tmp_path: Path) -> None:
    old, new = _deal(tmp_path, "old.yaml", case["old"]), _deal(tmp_path, "new.yaml", case["new"])
    result = run("diff", str(old), str(new), "--format", "json", *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["diff_format"] == 1
    kinds = {c["clause"]: c["kind"] for c in data["changes"] if c["kind"] != "variable_changed"}
    assert kinds == case["kinds"]
    variables = {c["variable"]: [c["old"], c["new"]] for c in data["changes"] if c["kind"] == "variable_changed"}
    assert variables == case["variables"]
    renumbered = {r["clause"]: [r["old"], r["new"]] for r in data["renumbered"]}
    assert renumbered == case.get("renumbered", {})
    assert sorted(data["references_updated"]) == sorted(case.get("references_updated", []))
    text = run("diff", str(old), str(new), *FIXTURE_ARGS)
    for snippet in case.get("text_contains", []):
        assert snippet in text.stdout
    exit_code = run("diff", str(old), str(new), "--exit-code", *FIXTURE_ARGS).exit_code
    assert exit_code == (1 if data["changes"] else 0)


def test_build_folders_and_lock_files_diff_like_deal_files(tmp_path: Path) -> None:
    old, new = _deal(tmp_path, "old.yaml", {}), _deal(tmp_path, "new.yaml", {"stance": "partner"})
    for name, deal in (("a", old), ("b", new)):
        assert run("build", str(deal), "-o", str(tmp_path / name), *FIXTURE_ARGS).exit_code == 0
    by_deal = json.loads(run("diff", str(old), str(new), "-f", "json", *FIXTURE_ARGS).stdout)
    by_dir = json.loads(run("diff", str(tmp_path / "a"), str(tmp_path / "b"), "-f", "json", *FIXTURE_ARGS).stdout)
    by_lock = json.loads(run("diff", str(tmp_path / "a" / "deal.lock.json"), str(tmp_path / "b" / "deal.lock.json"), "-f", "json", *FIXTURE_ARGS).stdout)
    assert by_deal["changes"] == by_dir["changes"] == by_lock["changes"]


def test_moved_clause_is_one_change_not_a_renumbering_storm(tmp_path: Path) -> None:
    text = (FIXTURE_LIBRARY / "deal-types" / "fixture_collab.yaml").read_text("utf-8")
    scope = "      - title: Scope\n        clauses: [fx.scope.purpose, fx.scope.plan]\n"
    publications = "      - title: Publications\n        id: publications\n        clauses: [fx.pub.review]\n"
    overlay = tmp_path / "reordered" / "deal-types"
    overlay.mkdir(parents=True)
    (overlay / "fixture_collab.yaml").write_text(text.replace(scope, "@@").replace(publications, scope).replace("@@", publications), "utf-8")
    deal = _deal(tmp_path, "deal.yaml", {})
    assert run("build", str(deal), "-o", str(tmp_path / "a"), *FIXTURE_ARGS).exit_code == 0
    assert run("build", str(deal), "-o", str(tmp_path / "b"), *FIXTURE_ARGS, "--library", str(tmp_path / "reordered")).exit_code == 0
    data = json.loads(run("diff", str(tmp_path / "a"), str(tmp_path / "b"), "-f", "json", *FIXTURE_ARGS).stdout)
    assert [(c["clause"], c["kind"]) for c in data["changes"]] == [("fx.pub.review", "moved")]
    assert {r["clause"] for r in data["renumbered"]} == {"fx.scope.purpose", "fx.scope.plan"}


def test_html_is_self_contained_with_ins_and_del(tmp_path: Path) -> None:
    old, new = _deal(tmp_path, "old.yaml", {}), _deal(tmp_path, "new.yaml", {"stance": "pharma"})
    out = tmp_path / "changes.html"
    assert run("diff", str(old), str(new), "-f", "html", "-o", str(out), *FIXTURE_ARGS).exit_code == 0
    page = out.read_text("utf-8")
    assert "<ins>" in page and "<del>" in page
    assert 'href="#change-1"' in page and 'id="change-1"' in page
    for external in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert external not in page


def test_word_tokens_keep_amounts_dates_terms_whole() -> None:
    tokens = tokenize("USD 5,000,000 within sixty (60) days after 1 December 2026 per Section 7.2 of Net Sales at 7.5%", ["Net Sales"])
    for whole in ("USD 5,000,000", "sixty (60)", "1 December 2026", "Section 7.2", "Net Sales", "7.5%"):
        assert whole in [token.strip() for token in tokens]


def test_word_diff_merges_across_whitespace_and_round_trips() -> None:
    old = "The Licensor shall pay USD 5,000,000 to the Licensee."
    new = "The Licensee shall pay USD 6,000,000 to the Licensor."
    segments = word_diff(old, new, ["Licensor", "Licensee"])
    assert side(segments, "old") == old and side(segments, "new") == new
    assert ("-", "USD 5,000,000") in segments and ("+", "USD 6,000,000") in segments
    merged = word_diff("a b c d", "a x y d")
    assert merged == [("=", "a "), ("-", "b c"), ("+", "x y"), ("=", " d")]
