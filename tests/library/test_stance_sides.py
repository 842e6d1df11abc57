"""Stance sides: a position that allocates rights says which role it favours,
and the pharma and partner positions favour the roles their stances argue for."""

from __future__ import annotations

from pathlib import Path

import pytest
from logic_fixtures import clause, deal_type, positions, write_library

from assembler.library import load as library_module
from assembler.library.logic_rules import NEUTRAL
from assembler.library.rules import consistency_rules


@pytest.fixture(scope="module")
def shipped() -> library_module.Library:
    return library_module.load_library()


def test_pharma_positions_favour_pharma_and_partner_positions_the_partner_side(shipped) -> None:
    checked = 0
    for clause_id, item in sorted(shipped.clauses.items()):
        types = [s.spec for s in shipped.deal_types.values() if item.spec.applies_to(s.spec.id)]
        for stance in ("pharma", "partner"):
            if stance not in item.spec.positions:
                continue
            favours = item.spec.favoured(stance)
            assert favours is not None, f"{clause_id}: the {stance} position does not say whom it favours"
            for spec in types:
                assert favours == NEUTRAL or favours in spec.side_roles(stance), (clause_id, stance, favours, spec.id)
            checked += 1
    assert checked >= 390


def test_every_three_position_clause_marks_its_balanced_position_neutral(shipped) -> None:
    three = [c for c in shipped.clauses.values() if {"pharma", "balanced", "partner"} <= set(c.spec.positions)]
    assert len(three) >= 190
    assert all(c.spec.favoured("balanced") == NEUTRAL for c in three)


def test_stances_map_to_roles_for_the_consortium(shipped) -> None:
    """The consortium declares its sides: pharma argues for the pharma members, partner for the others."""
    spec = shipped.deal_types["multi_party_consortium"].spec
    assert spec.side_roles("pharma") == ("pharma",)
    assert set(spec.side_roles("partner")) == {"academic", "hospital", "sme", "partner"}
    assert spec.side_roles("balanced") == ()
    two_party = shipped.deal_types["research_collaboration"].spec
    assert two_party.side_roles("pharma") == ("pharma",) and two_party.side_roles("partner") == ("partner",)


def sided(tmp_path: Path, favours: dict, texts: dict | None = None, **type_extra: object):
    texts = texts or {"pharma": "Pharma decides.", "balanced": "The JSC decides.", "partner": "The partner decides."}
    item = clause("gov.decide", positions=positions(**texts), favours=favours)
    return write_library(tmp_path, [item], [deal_type("deal", [["A", ["gov.decide"]]], **type_extra)])


def test_a_position_favouring_the_other_side_is_a_lint_error(tmp_path: Path) -> None:
    library = sided(tmp_path, {"pharma": "partner", "balanced": "neutral", "partner": "partner"})
    found = [p for p in consistency_rules(library) if p.clause == "gov.decide"]
    assert [p.field for p in found] == ["favours.pharma"]
    assert "the pharma position favours 'partner', but the pharma stance argues for 'pharma' in deal deals" in found[0].message


def test_favours_must_name_a_role(tmp_path: Path) -> None:
    library = sided(tmp_path, {"pharma": "licensor"})
    (problem,) = [p for p in consistency_rules(library) if p.clause == "gov.decide"]
    assert "favours 'licensor', which is not a role of its deal types (partner, pharma) nor 'neutral'" in problem.message


def test_sides_name_roles_of_the_deal_type(tmp_path: Path) -> None:
    library = sided(tmp_path, {}, sides={"partner": ["academik"]}, parties={"roles": ["pharma", "academic"], "min": 2, "max": 2})
    assert any("'academik' is not a role of a deal deal" in p.message and p.field == "sides.partner" for p in library.errors())


def test_position_and_clause_level_favours_must_agree(tmp_path: Path) -> None:
    texts = positions(pharma="P.", balanced="B.")
    texts["pharma"]["favours"] = "partner"
    item = clause("gov.decide", positions=texts, favours={"pharma": "pharma"})
    library = write_library(tmp_path, [item], [deal_type("deal", [["A", ["gov.decide"]]])])
    assert any("favours: pharma is 'pharma' here but 'partner' in positions.pharma.favours" in p.message for p in library.errors())


def test_the_wrong_side_heuristic_warns_on_a_one_sided_text(tmp_path: Path) -> None:
    texts = {
        "pharma": "{{ party('pharma') }} shall not publish. {{ party('pharma') }} may not audit.",
        "balanced": "Each Party may publish.",
        "partner": "{{ party('pharma') }} shall not publish.",
    }
    library = sided(tmp_path, {"pharma": "pharma", "balanced": "neutral", "partner": "partner"}, texts)
    found = [p for p in consistency_rules(library) if p.clause == "gov.decide"]
    assert [(p.field, p.severity) for p in found] == [("positions.pharma.text", "warning")]
    assert "adds more restrictions on 'pharma' than on 'partner' (2 against 0)" in found[0].message


def test_the_heuristic_finds_nothing_in_the_shipped_library(shipped) -> None:
    assert [p for p in consistency_rules(shipped) if "written for the wrong side?" in p.message] == []
