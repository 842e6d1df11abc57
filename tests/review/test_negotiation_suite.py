"""The negotiation round on documents really marked up in LibreOffice: our
DOCX of the research collaboration edited through UNO (a value, a pasted
position, a free edit, an inserted article, a deleted, a moved clause, a
table cell; tracked and untracked; a save with no edit, a field update, lost
bookmarks). For each: the mapping and the absorb classification exactly, the
verify verdicts, and that the absorbed deal builds their text again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, run

sys.path.insert(0, str(ROOT / "tests" / "tools"))
from negotiation_cases import Case, found_absorb, found_mapping, make_cases, make_files, precision_recall  # noqa: E402

from assembler.api import build_deal, load_library  # noqa: E402
from assembler.review.negotiation.absorb import absorb  # noqa: E402
from assembler.review.negotiation.copies import map_docx  # noqa: E402
from assembler.review.negotiation.dealfile import next_deal_text  # noqa: E402

pytestmark = pytest.mark.requires("uno")


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    return make_files(load_library(), tmp_path_factory.mktemp("negotiation"))


@pytest.fixture(scope="module")
def results(suite: tuple[Path, list[Case]]) -> dict[str, tuple[object, object]]:
    deal, cases = suite
    library = load_library()
    build = build_deal(deal, library)
    out = {}
    for case in cases:
        assert case.path is not None
        out[case.name] = (map_docx(case.path, build), absorb(case.path, deal, library))
    return out


def _names() -> list[str]:
    return [case.name for case in make_cases(load_library())]


@pytest.mark.parametrize("name", _names())
def test_mapping_is_exact(name: str, suite: tuple[Path, list[Case]], results: dict[str, tuple[object, object]]) -> None:
    case = next(c for c in suite[1] if c.name == name)
    mapping, _absorbed = results[name]
    assert found_mapping(mapping) == case.mapping
    assert [cell for change in mapping.changes for cell in change.cells] == case.cells  # type: ignore[attr-defined]
    if case.tracked and case.mapping:
        assert all(change.tracked for change in mapping.changes), "tracked edits are reported as tracked"  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", _names())
def test_absorb_classification_is_exact(name: str, suite: tuple[Path, list[Case]], results: dict[str, tuple[object, object]]) -> None:
    case = next(c for c in suite[1] if c.name == name)
    _mapping, absorbed = results[name]
    assert found_absorb(absorbed) == case.absorb
    assert absorbed.unreproduced == []  # type: ignore[attr-defined]
    if case.absorb and case.absorb[0][0] == "position":
        assert absorbed.items[0].similarity == 1.0  # type: ignore[attr-defined]


def test_precision_and_recall_are_complete(suite: tuple[Path, list[Case]], results: dict[str, tuple[object, object]]) -> None:
    cases = suite[1]
    mapping = precision_recall([(c.mapping, found_mapping(results[c.name][0])) for c in cases])
    absorbed = precision_recall([(c.absorb, found_absorb(results[c.name][1])) for c in cases])
    assert mapping[:2] == (1.0, 1.0) and absorbed[:2] == (1.0, 1.0)
    assert mapping[3] >= 16  # the suite holds real changes, not only clean saves


def test_verify_finds_every_edit_and_nothing_else(suite: tuple[Path, list[Case]]) -> None:
    deal, cases = suite
    for case in cases:
        result = run("verify", str(case.path), "--deal", str(deal))
        assert result.exit_code == (1 if case.mapping else 0), (case.name, result.stdout)
        for _kind, clause in case.mapping:
            if "." in clause and " " not in clause:
                assert clause in result.stdout, (case.name, result.stdout)


def test_their_file_verifies_against_the_absorbed_deal(suite: tuple[Path, list[Case]], tmp_path: Path) -> None:
    deal, cases = suite
    library = load_library()
    for index, case in enumerate(cases):
        assert case.path is not None
        absorbed = tmp_path / f"deal-{index}.yaml"
        absorbed.write_text(next_deal_text(absorb(case.path, deal, library), deal, library), "utf-8")
        result = run("verify", str(case.path), "--deal", str(absorbed))
        assert result.exit_code == 0, (case.name, result.stdout)


def test_absorb_cli_writes_the_deal_and_the_report(suite: tuple[Path, list[Case]], tmp_path: Path) -> None:
    deal, cases = suite
    case = next(c for c in cases if c.name == "value")
    out, report = tmp_path / "deal-v2.yaml", tmp_path / "round.json"
    result = run("absorb", str(case.path), "--deal", str(deal), "-o", str(out), "--report", str(report))
    assert result.exit_code == 0, result.stderr
    assert "publication_review_days: 45 \u2192" in result.stdout
    before, after = deal.read_text("utf-8").splitlines(), out.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(before) == len(after) and len(changed) == 1  # one line changed; comments and order kept
    assert changed[0][1].strip().startswith("publication_review_days:")
    import json

    data = json.loads(report.read_text("utf-8"))
    assert data["absorb_format"] == 1 and data["summary"]["reproduced"] is True
    assert data["changes"][0]["maps_to"] == {"terms": {"publication_review_days": int(changed[0][1].split(":")[1].split("#")[0])}}
