"""Every combination builds: lint builds each deal type in each stance with its
own roles, each optional clause on and off, each condition scenario, and
renders every position a clause declares."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from known_findings import build_tolerating_known
from logic_fixtures import clause, copy_shipped, deal_type, positions, replace_in, write_library

from assembler.deal.load import parse_deal
from assembler.deal.scaffold import neutral_party, party_sets, sample_parties
from assembler.library import load as library_module
from assembler.review.lint import lint_library


def errors(problems: list) -> list:
    return [p for p in problems if p.severity == "error"]


def test_a_role_the_deal_type_lacks_is_caught_naming_type_stance_and_clause(tmp_path: Path) -> None:
    texts = positions(pharma="{{ party('partner') }} reports.", balanced="{{ party('academic') }} reports.")
    library = write_library(tmp_path, [clause("plan.crisis", positions=texts)], [deal_type("consortium", [["A", ["plan.crisis"]]], roles=("pharma", "academic"))])
    (problem,) = errors(lint_library(library))
    assert problem.clause == "plan.crisis"
    assert problem.field == "positions.pharma.text"
    assert "party('partner'): no party has that role" in problem.message
    assert "(building a consortium deal, stance pharma)" in problem.message


def test_the_shipped_consortium_crisis_text_is_caught(tmp_path: Path) -> None:
    """Issue 1: the consortium did not build in the pharma stance, and lint passed."""
    copy = copy_shipped(tmp_path)
    comms = copy / "plans" / "comms.yaml"
    # the defect as it shipped: the pharma crisis text names a partner, whatever the deal's roles
    text = comms.read_text("utf-8")
    start = text.index("- id: plans.comms.crisis")
    pharma = text.index("    pharma:", start)
    body = text.index("      text: |\n", pharma) + len("      text: |\n")
    comms.write_text(text[:body] + "        {{ party('partner') }} makes no statement about such an event.\n\n" + text[body:], "utf-8")
    library = library_module.load_library([copy], builtin=False)
    found = [p for p in errors(lint_library(library, deal_types={"multi_party_consortium"})) if p.clause == "plans.comms.crisis"]
    assert any(
        "party('partner'): no party has that role" in p.message and "multi_party_consortium deal, stance pharma" in p.message
        for p in found
    ), [str(p) for p in found]


def test_a_typo_in_a_position_no_stance_chooses_names_clause_position_and_variable(tmp_path: Path) -> None:
    texts = positions(balanced="{{ days(notice_days) }}.", strict="{% if false %}{{ days(notcie_days) }}{% endif %}Never.")
    item = clause("gov.notice", positions=texts, variables={"notice_days": {"type": "days", "default": 30}})
    library = write_library(tmp_path, [item], [deal_type("deal", [["A", ["gov.notice"]]])])
    (problem,) = errors(lint_library(library))
    assert (problem.clause, problem.field) == ("gov.notice", "positions.strict.text")
    assert problem.message == "reads variable 'notcie_days' in its strict position, which no clause declares (did you mean 'notice_days'?)"


def test_every_declared_position_is_rendered(tmp_path: Path) -> None:
    """A position no stance chooses, and one the deal type pins away, are still built."""
    texts = positions(balanced="Fine.", strict="{{ money('no amount') }}", pharma="{{ date(42) }}")
    library = write_library(
        tmp_path, [clause("gov.fee", positions=texts)], [deal_type("deal", [["A", ["gov.fee"]]], positions={"gov.fee": "balanced"})]
    )
    found = {p.field: p.message for p in errors(lint_library(library))}
    assert "money() needs an amount of money" in found["positions.strict.text"]
    assert "positions gov.fee: strict" in found["positions.strict.text"]
    assert "date() needs a date" in found["positions.pharma.text"]


def test_optional_clauses_are_built_in_every_stance(tmp_path: Path) -> None:
    texts = positions(balanced="Observers may attend.", partner="{{ party('investor') }} may attend.")
    library = write_library(
        tmp_path, [clause("gov.base"), clause("gov.observers", positions=texts)],
        [deal_type("deal", [["A", ["gov.base", {"id": "gov.observers", "optional": True}]]])],
    )
    (problem,) = errors(lint_library(library))
    assert problem.clause == "gov.observers"
    assert "stance partner, with gov.observers" in problem.message


def test_clauses_behind_a_condition_are_built_in_a_scenario(tmp_path: Path) -> None:
    gated = clause(
        "data.hipaa", "Notice within {{ date(hipaa_days) }}.", when="regime == 'hipaa' and personal",
        variables={"hipaa_days": {"type": "days", "default": 10}},
    )
    switch = clause(
        "data.protection", "Personal data {{ regime }} {{ personal }}.",
        variables={"regime": {"type": "choice", "choices": ["gdpr", "hipaa"], "default": "gdpr"}, "personal": {"type": "boolean", "default": False}},
    )
    library = write_library(tmp_path, [switch, gated], [deal_type("deal", [["A", ["data.protection", "data.hipaa"]]])])
    found = [p for p in errors(lint_library(library)) if p.clause == "data.hipaa"]
    assert found and "date() needs a date" in found[0].message, [str(p) for p in found]
    assert "terms personal: true, regime: hipaa" in found[0].message


def test_sample_parties_come_from_the_deal_types_own_roles() -> None:
    library = library_module.load_library()
    consortium = library.deal_types["multi_party_consortium"].spec
    sets = party_sets(consortium)
    assert list(sets) == ["one party per role", "two parties per role", "only the required roles"]
    assert sorted(p["role"] for p in sets["only the required roles"]) == ["academic", "hospital", "pharma"]
    assert [p["role"] for p in sets["two parties per role"]].count("pharma") == 2
    for parties in sets.values():
        assert {p["role"] for p in parties} <= set(consortium.parties.roles)
        assert len({p["short_name"] for p in parties}) == len(parties)
    two_party = library.deal_types["research_collaboration"].spec
    assert list(party_sets(two_party)) == ["one party per role"]
    assert [p["short_name"] for p in sample_parties(two_party)] == ["Nordhaven", "Helixa"]


def test_a_role_without_a_named_sample_gets_a_neutral_party() -> None:
    assert neutral_party("licensor") == {
        "role": "licensor", "legal_name": "Licensor Party Ltd", "short_name": "Licensor",
        "entity_type": "a company incorporated in England and Wales", "address": "1 Sample Street, London EC1A 1AA, United Kingdom",
    }
    assert neutral_party("data_provider", 2)["short_name"] == "Data Provider 2"


def test_lint_can_build_only_some_deal_types(tmp_path: Path) -> None:
    broken = clause("a.broken", "{{ party('nobody') }}", deal_types=["one"])
    library = write_library(tmp_path, [broken, clause("b.fine", deal_types=["two"])], [deal_type("one", [["A", ["a.broken"]]]), deal_type("two", [["B", ["b.fine"]]])])
    assert errors(lint_library(library, deal_types={"two"})) == []
    assert [p.clause for p in errors(lint_library(library, deal_types={"one"}))] == ["a.broken"]


EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("stance", ["pharma", "balanced", "partner"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_builds_in_every_stance(example: Path, stance: str) -> None:
    """All nine examples in all three stances (findings of tests/known_findings.yaml set aside)."""
    library = _shipped()
    data = yaml.safe_load(example.read_text("utf-8"))
    data["stance"] = stance
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), library, example.name)
    result = build_tolerating_known(deal, library)
    assert result.document("agreement").articles


_LIBRARY: list = []


def _shipped() -> library_module.Library:
    if not _LIBRARY:
        _LIBRARY.append(library_module.load_library())
    return _LIBRARY[0]


def test_replace_in_refuses_missing_text(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a", "utf-8")
    with pytest.raises(AssertionError):
        replace_in(path, "b", "c")
