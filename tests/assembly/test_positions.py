"""Which position a clause takes: the deal's positions, then the deal type's
pins, then the deal's stance, then balanced (the README's order)."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
import yaml
from conftest import FIXTURE_LIBRARY, fixture_deal_data

from assembler.api import build_deal
from assembler.deal.load import parse_deal
from assembler.library import load as library_module


@pytest.fixture(scope="module")
def pinned_library(tmp_path_factory: pytest.TempPathFactory) -> library_module.Library:
    """The fixture library whose deal type pins fx.scope.plan to pharma."""
    root = tmp_path_factory.mktemp("pinned")
    shutil.copytree(FIXTURE_LIBRARY, root, dirs_exist_ok=True)
    deal_type = root / "deal-types" / "fixture_collab.yaml"
    text = deal_type.read_text("utf-8")
    deal_type.write_text(text.replace("documents:\n", "positions: {fx.scope.plan: pharma}\ndocuments:\n", 1), "utf-8")
    return library_module.require_valid(library_module.load_library([root], builtin=False))


CASES = {
    "the deal type's pin beats the stance": (
        {"stance": "partner"},
        {"fx.scope.plan": "pharma", "fx.pub.review": "partner", "fx.law": "balanced"},
        "Nordhaven may extend it",
    ),
    "the deal's positions beat the deal type's pin": (
        {"stance": "partner", "positions": {"fx.scope.plan": "balanced"}},
        {"fx.scope.plan": "balanced", "fx.pub.review": "partner"},
        "The Parties may extend it by agreement",
    ),
    "the stance, and balanced where a clause has no text for it": (
        {"stance": "pharma", "positions": {"fx.pub.review": "partner"}},
        {"fx.scope.plan": "pharma", "fx.pub.review": "partner", "fx.law": "balanced", "fx.parties": "balanced"},
        "thirty (30) days to review any manuscript",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_position_order(name: str, pinned_library: library_module.Library) -> None:
    changes, expected, text = CASES[name]
    data: dict[str, Any] = {**fixture_deal_data(), **changes}
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False), pinned_library, "deal.yaml")
    build = build_deal(deal, pinned_library)
    positions = {clause["id"]: clause["position"] for clause in build.lock["clauses"]}
    assert {clause_id: positions[clause_id] for clause_id in expected} == expected
    agreement = "\n".join(clause["text"] for clause in build.lock["clauses"])
    assert text in agreement


def test_the_pin_is_what_makes_the_difference() -> None:
    """Without the pin, the same partner deal takes the partner position."""
    library = library_module.require_valid(library_module.load_library([FIXTURE_LIBRARY], builtin=False))
    data = {**fixture_deal_data(), "stance": "partner"}
    build = build_deal(parse_deal(yaml.safe_dump(data, sort_keys=False), library, "deal.yaml"), library)
    assert {c["id"]: c["position"] for c in build.lock["clauses"]}["fx.scope.plan"] == "partner"
