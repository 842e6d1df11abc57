"""Relations between a deal's values, declared by its deal type and checked at build."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run
from logic_fixtures import clause, deal_type, plan_problems, write_library

from assembler.library import load as library_module
from assembler.library.model import outline_entries
from assembler.library.yamlio import plain

FEES = clause(
    "fees.table",
    "Base fee {{ money(base_fee) }}; floor {{ money(annual_floor) }}; cap {{ money(annual_cap) }}.",
    variables={
        "base_fee": {"type": "money", "default": 400000},
        "annual_floor": {"type": "money", "default": 300000},
        "annual_cap": {"type": "money", "default": 2000000},
    },
)
ESCALATION = clause(
    "gov.escalation",
    "Deadlock after {{ days(deadlock_days) }}, then {{ days(exec_days) }} for the executives.",
    variables={"deadlock_days": {"type": "days", "default": 30}, "exec_days": {"type": "days", "default": 30}},
)
TIERS = clause(
    "roy.tiers",
    "{% for t in tiers %}{{ money(t.up_to) }} at {{ percent(t.rate) }}. {% endfor %}",
    variables={
        "tiers": {
            "type": "list",
            "items": {"type": "object", "fields": {"up_to": {"type": "money"}, "rate": {"type": "percent"}}},
            "default": [{"up_to": 100, "rate": 5}, {"up_to": 200, "rate": 7}],
        }
    },
)
PACKAGES = clause(
    "wp.table",
    "{% for w in packages %}{{ w.name }} from month {{ w.start }} to month {{ w.end }}. {% endfor %}",
    variables={
        "packages": {
            "type": "list",
            "items": {"type": "object", "fields": {"name": {"type": "string"}, "start": {"type": "integer"}, "end": {"type": "integer"}}},
            "default": [{"name": "WP1", "start": 1, "end": 12}, {"name": "WP2", "start": 13, "end": 24}],
        }
    },
)
CONSTRAINTS = [
    {"check": "annual_floor >= base_fee", "message": "a floor below the base fee has no effect"},
    {"check": "deadlock_days + exec_days <= 90"},
    {"ascending": {"list": "tiers", "field": "up_to"}},
    {"non_overlapping": {"list": "packages", "start": "start", "end": "end"}},
]


def library(tmp_path: Path, constraints: list | None = None, extra_clauses: list | None = None):
    clauses = [FEES, ESCALATION, TIERS, PACKAGES, *(extra_clauses or [])]
    spec = deal_type("deal", [["All", [c["id"] for c in clauses]]], constraints=constraints if constraints is not None else CONSTRAINTS)
    return write_library(tmp_path, clauses, [spec])


def messages(problems: list) -> list[str]:
    return [f"{p.field}: {p.message}" for p in problems]


def test_a_broken_relation_names_both_values(tmp_path: Path) -> None:
    lib = library(tmp_path)
    problems = plan_problems(lib, "deal")
    assert messages(problems) == [
        "terms.annual_floor: USD 300,000 (default of fees.table) must be at least terms.base_fee "
        "(USD 400,000, default of fees.table) (a floor below the base fee has no effect)"
    ]
    assert problems[0].clause == "fees.table"
    problems = plan_problems(lib, "deal", terms={"annual_floor": 300000, "base_fee": 400000})
    assert messages(problems) == [
        "terms.annual_floor: USD 300,000 must be at least terms.base_fee (USD 400,000) (a floor below the base fee has no effect)"
    ]
    assert plan_problems(lib, "deal", terms={"annual_floor": 400000}) == []


def test_sums_and_literal_limits_read_with_their_unit(tmp_path: Path) -> None:
    problems = plan_problems(library(tmp_path), "deal", terms={"annual_floor": 400000, "deadlock_days": 60, "exec_days": 45})
    assert messages(problems) == [
        "terms.deadlock_days: terms.deadlock_days (60 days) + terms.exec_days (45 days) = 105 days must be at most 90 days"
    ]


def test_tiers_out_of_order_are_refused(tmp_path: Path) -> None:
    tiers = [{"up_to": 1000000000, "rate": 7}, {"up_to": 500000000, "rate": 9}]
    problems = plan_problems(library(tmp_path), "deal", terms={"annual_floor": 400000, "tiers": tiers})
    assert messages(problems) == [
        "terms.tiers[1].up_to: USD 500,000,000 must be more than terms.tiers[0].up_to (USD 1,000,000,000): "
        "the items must be in ascending order of up_to"
    ]


def test_overlapping_ranges_are_refused(tmp_path: Path) -> None:
    packages = [{"name": "WP2", "start": 10, "end": 24}, {"name": "WP1", "start": 1, "end": 12}]
    problems = plan_problems(library(tmp_path), "deal", terms={"annual_floor": 400000, "packages": packages})
    assert messages(problems) == [
        "terms.packages[0].start: 10 must be at least terms.packages[1].end (12): the ranges of packages must not overlap"
    ]
    backwards = [{"name": "WP1", "start": 12, "end": 1}]
    problems = plan_problems(library(tmp_path / "2"), "deal", terms={"annual_floor": 400000, "packages": backwards})
    assert messages(problems) == ["terms.packages[0].end: 1 must be at least terms.packages[0].start (12)"]


def test_a_constraint_applies_only_when_its_condition_and_its_variables_do(tmp_path: Path) -> None:
    conditional = [{"check": "annual_floor >= base_fee", "when": "position('fees.table') == 'partner'"}]
    assert plan_problems(library(tmp_path, conditional), "deal") == []
    optional_fees = deal_type("deal", [["All", [{"id": "fees.table", "optional": True}, "gov.escalation"]]], constraints=CONSTRAINTS[:1])
    lib = write_library(tmp_path / "2", [FEES, ESCALATION], [optional_fees])
    assert plan_problems(lib, "deal") == [], "the fee clause is not in the deal"
    assert len(plan_problems(lib, "deal", include=["fees.table"])) == 1


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ({"check": "annual_floor >= "}, "constraints[0].check: not a valid expression"),
        ({"check": "anual_floor >= base_fee"}, "unknown variable 'anual_floor' (did you mean 'annual_floor'?)"),
        ({"ascending": {"list": "tiers", "field": "upto"}}, "the items of 'tiers' have no field 'upto' (did you mean 'up_to'?)"),
        ({"ascending": {"list": "base_fee", "field": "x"}}, "'base_fee' is not a list of items with fields"),
        ({"check": "annual_floor >= base_fee", "ascending": {"list": "tiers", "field": "up_to"}}, "exactly one of 'check', 'ascending' or 'non_overlapping'"),
        ({"check": "other_value > 1"}, "variable 'other_value' is not read by any clause of a deal deal"),
    ],
)
def test_the_library_checks_constraint_syntax_and_names(tmp_path: Path, constraint: dict, expected: str) -> None:
    other = clause("other.thing", "{{ other_value }}", deal_types=["elsewhere"], variables={"other_value": {"type": "integer", "default": 1}})
    lib = library(tmp_path, [constraint], [other])
    assert any(expected in str(p) for p in lib.errors()), [str(p) for p in lib.errors()]


# -- the shipped deal types ----------------------------------------------------------


def build(tmp_path: Path, example: str, terms: dict) -> tuple[int, str]:
    data = yaml.safe_load((ROOT / "examples" / example).read_text("utf-8"))
    data["terms"].update(terms)
    path = tmp_path / example
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    result = run("build", str(path), "-o", str(tmp_path / "out"), "--format", "md")
    return result.exit_code, result.stderr


def test_reversed_royalty_tiers_are_an_error(tmp_path: Path) -> None:
    """Issue 11: reversed tiers built with exit 0 and read "Above USD 1,000,000,000, up to and including USD 500,000,000"."""
    code, stderr = build(tmp_path, "co-dev-co-com.yaml", {"royalty_tiers": [{"up_to": 1000000000, "rate": 9}, {"up_to": 500000000, "rate": 7}]})
    assert code == 2
    assert "clause royalties.royalty_rates: terms.royalty_tiers[1].up_to: USD 500,000,000 must be more than terms.royalty_tiers[0].up_to (USD 1,000,000,000)" in stderr


def test_a_pilot_floor_below_the_base_fee_is_an_error(tmp_path: Path) -> None:
    """Issue 11: the annual floor sat below the base fee without a word."""
    code, stderr = build(tmp_path, "digital-health-pilot.yaml", {"commercial_base_fee": 400000, "commercial_fee_floor": 300000})
    assert code == 2
    assert "terms.commercial_fee_floor: USD 300,000 must be at least terms.commercial_base_fee (USD 400,000)" in stderr


def test_consortium_deliverables_fall_within_the_project(tmp_path: Path) -> None:
    """Issue 6: deliverables could fall due after the end of the project."""
    data = yaml.safe_load((ROOT / "examples" / "multi-party-consortium.yaml").read_text("utf-8"))
    library = library_module.load_library()
    deliverables = plain(library.variables["consortium_deliverables"].default)
    late = [*deliverables, {**deliverables[-1], "number": "D9.9", "due_month": 60}]
    code, stderr = build(tmp_path, "multi-party-consortium.yaml", {"project_duration_months": 48, "consortium_deliverables": late})
    assert code == 2, stderr
    assert "terms.project_duration_months: 48 months must be at least the largest due_month in terms.consortium_deliverables (60)" in stderr
    del data


def test_every_shipped_constraint_names_known_variables() -> None:
    library = library_module.load_library()
    assert not [p for p in library.errors() if "constraints" in p.field]
    with_constraints = {t for t, s in library.deal_types.items() if s.spec.constraints}
    assert with_constraints == set(library.deal_types) - {"material_transfer"}
    escalation = {t for t, s in library.deal_types.items() if any(c.check == "jsc_deadlock_days + exec_resolution_days <= 90" for c in s.spec.constraints)}
    uses = {t for t, s in library.deal_types.items() if any(c == "governance.deadlock_escalation" for d in library.documents_of(s.spec) for _w, c, _o in outline_entries(d))}
    assert escalation == uses


@pytest.mark.parametrize("example", ["research-collaboration.yaml", "option-to-license.yaml", "co-dev-co-com.yaml", "digital-health-pilot.yaml"])
def test_the_amber_runway_lies_above_the_agreements_early_warning(tmp_path: Path, example: str) -> None:
    """The alliance plan's amber runway at or below the Agreement's early-warning runway (its red) rated a
    runway red, with a notice due under the Agreement, before it was ever amber."""
    code, stderr = build(tmp_path, example, {"resiliency_runway_amber_months": 12, "resiliency_runway_months": 12})
    assert code == 2, stderr
    assert "terms.resiliency_runway_amber_months: 12 months must be more than terms.resiliency_runway_months (12 months)" in stderr


@pytest.mark.parametrize("example", ["research-collaboration.yaml", "option-to-license.yaml"])
def test_targets_are_selected_within_the_research_term(tmp_path: Path, example: str) -> None:
    code, stderr = build(tmp_path, example, {"target_selection_months": 24, "research_term_months": 24})
    assert code == 2, stderr
    assert "terms.target_selection_months: 24 months must be less than terms.research_term_months (24 months)" in stderr


def test_a_fixed_at_risk_amount_stays_within_the_base_fee(tmp_path: Path) -> None:
    """Issue 11: the at-risk part of a USD 400,000 base fee could be USD 500,000."""
    terms = {"at_risk_basis": "fixed_amount", "at_risk_amount": 500000, "commercial_base_fee": 400000, "commercial_fee_floor": 450000}
    code, stderr = build(tmp_path, "digital-health-pilot.yaml", terms)
    assert code == 2, stderr
    assert "terms.at_risk_amount: USD 500,000 must be at most terms.commercial_base_fee (USD 400,000)" in stderr
    for name, fits in {"ok": {"at_risk_amount": 100000}, "share": {"at_risk_basis": "volume_share"}}.items():
        (tmp_path / name).mkdir()
        code, stderr = build(tmp_path / name, "digital-health-pilot.yaml", {**terms, **fits})
        assert code == 0, stderr
