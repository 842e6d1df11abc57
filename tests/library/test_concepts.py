"""Concepts: a clause that relies on a deal fact nothing in the build provides
is an error naming the clause, the concept and the clauses that could provide it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run
from known_findings import entries
from logic_fixtures import clause, deal_type, plan_problems, positions, write_library

from assembler.library import load as library_module
from assembler.review.lint import lint_library

UPFRONT = clause("econ.upfront", "{{ party('pharma') }} pays an upfront payment.", provides=["upfront_payment"])
ANNOUNCE = clause(
    "comms.announce",
    relies_on=[{"concept": "upfront_payment", "positions": ["partner"], "when": "disclose_terms"}],
    variables={"disclose_terms": {"type": "boolean", "default": True}},
    positions=positions(
        balanced="No Party discloses the financial terms{% if disclose_terms %} beyond what the law requires{% endif %}.",
        partner="{% if disclose_terms %}A Party may disclose the amount of the upfront payment.{% else %}Nothing is disclosed.{% endif %}",
    ),
)


def library_for(tmp_path: Path, with_upfront: bool, **type_extra: object):
    articles = [["Announcements", ["comms.announce"]]]
    if with_upfront:
        articles.insert(0, ["Payments", [{"id": "econ.upfront", "optional": True}]])
    return write_library(tmp_path, [UPFRONT, ANNOUNCE], [deal_type("licence", articles, **type_extra)])


def test_a_build_relying_on_a_missing_concept_fails_naming_clause_concept_and_provider(tmp_path: Path) -> None:
    library = library_for(tmp_path, with_upfront=True)
    problems = plan_problems(library, "licence", "partner")
    assert len(problems) == 1
    problem = problems[0]
    assert problem.clause == "comms.announce"
    assert problem.field == "relies_on"
    assert "relies on 'upfront_payment'" in problem.message
    assert "could be provided by clause econ.upfront (optional; add it to the deal's include list" in problem.message


def test_including_the_provider_or_the_deal_type_providing_it_builds(tmp_path: Path) -> None:
    library = library_for(tmp_path, with_upfront=True)
    assert plan_problems(library, "licence", "partner", include=["econ.upfront"]) == []
    library = library_for(tmp_path / "2", with_upfront=False, provides=["upfront_payment"])
    assert plan_problems(library, "licence", "partner") == []


def test_reliance_follows_the_position_and_the_condition(tmp_path: Path) -> None:
    library = library_for(tmp_path, with_upfront=True)
    assert plan_problems(library, "licence", "balanced") == [], "only the partner position relies on it"
    assert plan_problems(library, "licence", "partner", terms={"disclose_terms": False}) == [], "only when the terms are disclosed"


def test_no_provider_anywhere_says_so(tmp_path: Path) -> None:
    library = library_for(tmp_path, with_upfront=False)
    (problem,) = plan_problems(library, "licence", "partner")
    assert "clause econ.upfront" in problem.message and "not in the licence outline" in problem.message


def test_lint_flags_a_concept_nothing_provides_as_a_likely_typo(tmp_path: Path) -> None:
    typo = clause("comms.typo", relies_on=["upfornt_payment"])
    library = write_library(tmp_path, [UPFRONT, typo], [deal_type("licence", [["A", ["econ.upfront", "comms.typo"]]])])
    found = [p for p in lint_library(library) if p.clause == "comms.typo" and p.field == "relies_on"]
    assert any("no clause or deal type of the library provides" in p.message and "did you mean 'upfront_payment'" in p.message for p in found), found


def test_lint_checks_every_combination(tmp_path: Path) -> None:
    """The gap shows in the partner stance only, and lint names it."""
    library = library_for(tmp_path, with_upfront=True)
    errors = [p for p in lint_library(library) if p.severity == "error"]
    assert [(p.clause, p.field) for p in errors] == [("comms.announce", "relies_on")]
    assert "stance partner" in errors[0].message


def test_a_position_list_must_name_positions_of_the_clause(tmp_path: Path) -> None:
    bad = clause("comms.bad", relies_on=[{"concept": "upfront_payment", "positions": ["pharmaa"]}])
    library = write_library(tmp_path, [UPFRONT, bad], [deal_type("licence", [["A", ["econ.upfront", "comms.bad"]]])])
    assert any("no 'pharmaa' position" in p.message for p in library.errors())


def test_provided_helper_lets_a_text_follow_the_deal(tmp_path: Path) -> None:
    text = "{% if provided('upfront_payment') %}The upfront payment is disclosed.{% else %}Nothing is disclosed.{% endif %}"
    follows = clause("comms.follows", text)
    for with_upfront, expected in ((True, "The upfront payment is disclosed."), (False, "Nothing is disclosed.")):
        library = write_library(tmp_path / str(with_upfront), [UPFRONT, follows], [deal_type("licence", [["A", ["econ.upfront", "comms.follows"] if with_upfront else ["comms.follows"]]])])
        path = tmp_path / f"deal-{with_upfront}.yaml"
        from logic_fixtures import deal_text

        path.write_text(deal_text(library, "licence"), "utf-8")
        result = run("build", str(path), "-o", str(tmp_path / f"out-{with_upfront}"), "--format", "md", "--no-builtin", "--library", str(tmp_path / str(with_upfront) / "lib"))
        assert result.exit_code == 0, result.stderr
        assert expected in (tmp_path / f"out-{with_upfront}" / "agreement.md").read_text("utf-8")


# -- the shipped library -----------------------------------------------------------


def shipped_deal(tmp_path: Path, example: str, **changes: object) -> Path:
    data = yaml.safe_load((ROOT / "examples" / example).read_text("utf-8"))
    for key, value in changes.items():
        if key == "terms":
            data["terms"].update(value)
        else:
            data[key] = value
    path = tmp_path / example
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


@pytest.mark.parametrize(
    ("example", "changes", "clause_id", "concept"),
    [
        # issue 8: a deadlock keeps "the last approved plan and budget", which a data-sharing deal does not have
        ("data-sharing-rwe.yaml", {}, "governance.deadlock_escalation", "approved_plan"),
    ],
)
def test_shipped_defects_fail_the_build(tmp_path: Path, example: str, changes: dict, clause_id: str, concept: str) -> None:
    """Each of these built with exit 0 before; the draft read as if the fact existed.

    Once the text is fixed (and its entry gone from tests/known_findings.yaml), the case checks that
    the build no longer reports it; tests/library/test_seeded_defects.py keeps the mechanism under test."""
    path = shipped_deal(tmp_path, example, **changes)
    result = run("build", str(path), "-o", str(tmp_path / "out"), "--format", "md")
    lines = [line for line in result.stderr.splitlines() if f"clause {clause_id}:" in line and f"relies on '{concept}'" in line]
    if not any(e["clause"] == clause_id and f"relies on '{concept}'" in e["contains"] for e in entries()):
        assert lines == [], "fixed in the text, so no longer reported"
        return
    assert result.exit_code == 2
    assert lines, result.stderr
    assert not (tmp_path / "out").exists(), "a failed build writes nothing"


def test_every_concept_the_shipped_library_relies_on_has_a_provider() -> None:
    from assembler.library.logic_rules import concept_names

    library = library_module.load_library()
    provided, relied = concept_names(library)
    assert relied <= provided, relied - provided
    assert {"upfront_payment", "fte_funding", "final_say", "fee_rates", "sub_processors", "clearance_condition", "eu_personal_data", "us_phi", "at_risk_fees", "royalties"} <= provided
