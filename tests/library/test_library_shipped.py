"""The shipped clause library: lint-clean, every deal type builds in every stance."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run
from known_findings import build_tolerating_known, stale, unknown

from assembler.api import build_deal
from assembler.deal.load import parse_deal
from assembler.deal.scaffold import sample_deal
from assembler.library import load as library_module
from assembler.review.lint import lint_library
from assembler.writers.markdown import write_markdown

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PLACEHOLDERS = re.compile(r"\bTODO\b|\bTBD\b|lorem|\bXXX\b|\{\{|\{%|\}\}|\ue000")


@cache
def shipped() -> library_module.Library:
    return library_module.load_library()


def test_lint_is_clean() -> None:
    """Clean but for the findings in tests/known_findings.yaml, each still present."""
    problems = lint_library(shipped())
    assert unknown(problems) == []
    assert stale(problems) == [], "fixed: remove these entries from tests/known_findings.yaml"


def test_size_and_depth() -> None:
    library = shipped()
    assert len(library.clauses) >= 110
    three = [c for c in library.clauses.values() if {"pharma", "balanced", "partner"} <= set(c.spec.positions)]
    assert len(three) >= 40
    for clause in three:
        texts = {c.spec.positions[p].text for p in ("pharma", "balanced", "partner") for c in [clause]}
        assert len(texts) == 3, f"{clause.id}: positions must differ"
    assert all(c.spec.summary.strip() for c in library.clauses.values())


DEAL_TYPES = sorted(shipped().deal_types)


@pytest.mark.parametrize("stance", ["pharma", "balanced", "partner"])
@pytest.mark.parametrize("deal_type", DEAL_TYPES)
def test_every_deal_type_builds_in_every_stance(deal_type: str, stance: str) -> None:
    library = shipped()
    data = sample_deal(library, library.deal_types[deal_type].spec, stance)
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False), library, f"<{deal_type}>")
    build = build_tolerating_known(deal, library)
    files = write_markdown(build)
    assert files
    for name, data_bytes in files.items():
        text = data_bytes.decode("utf-8")
        found = PLACEHOLDERS.search(text)
        assert found is None, f"{name}: placeholder {found.group(0)!r}"
        assert text.count("[●]") == 0 or build.blanks, name


def test_nine_deal_types() -> None:
    assert DEAL_TYPES == sorted([
        "research_collaboration", "co_dev_co_com", "exclusive_license", "option_to_license", "data_sharing_rwe",
        "digital_health_pilot_outcomes", "saas_service_purchase", "multi_party_consortium", "material_transfer",
    ])


def test_research_collaboration_is_a_credible_agreement() -> None:
    build = build_deal(ROOT / "examples" / "research-collaboration.yaml", shipped())
    agreement = build.document("agreement")
    assert len(agreement.articles) >= 12
    assert {d.id for d in build.documents} >= {"agreement", "jsc-charter"}
    assert build.deal.stance == "balanced"


def test_every_deal_type_has_an_example() -> None:
    types = {yaml.safe_load(p.read_text("utf-8"))["deal_type"] for p in EXAMPLES}
    assert types == set(DEAL_TYPES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_build_and_exercise_overrides(example: Path, tmp_path: Path) -> None:
    text = example.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    data = yaml.safe_load(text)
    assert data.get("positions") and data.get("include") and data.get("exclude"), "examples exercise overrides"
    result = run("build", str(example), "-o", str(tmp_path / "out"), "--format", "md")
    if result.exit_code == 2 and not unknown(result.stderr.splitlines()):
        pytest.xfail("a known finding of tests/known_findings.yaml stops this build until its text is fixed")
    assert result.exit_code == 0, result.stderr
    lock = yaml.safe_load((tmp_path / "out" / "deal.lock.json").read_text("utf-8"))
    ids = {c["id"] for c in lock["clauses"]}
    assert set(data["include"]) <= ids
    assert not set(data["exclude"]) & ids
    for clause_id, position in data["positions"].items():
        assert next(c["position"] for c in lock["clauses"] if c["id"] == clause_id) == position


def test_examples_readme_exists() -> None:
    assert (ROOT / "examples" / "README.md").is_file()


def test_examples_schema_is_current() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert (ROOT / "examples" / "deal.schema.json").read_text("utf-8") == result.stdout, "regenerate: dealdraft schema -o examples/deal.schema.json"
