"""dealdraft absorb on the fixture library: each kind of change mapped onto
the deal file, the deal file written with the user's comments and order,
the report in every format, and the errors a user meets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_ARGS, FIXTURE_DEAL, run
from docx_edit import edit_docx


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("absorb") / "out"
    assert run("build", str(FIXTURE_DEAL), "-o", str(out), "--format", "docx,pdf", *FIXTURE_ARGS).exit_code == 0
    return out


@pytest.fixture
def deal(tmp_path: Path) -> Path:
    """The fixture deal with comments, as a user keeps it."""
    text = FIXTURE_DEAL.read_text("utf-8").replace("stance: balanced", "stance: balanced   # we start in the middle")
    path = tmp_path / "deal.yaml"
    path.write_text("# Nordhaven / Helixa, round 1\n" + text, "utf-8")
    return path


def _absorb(ours: Path, deal: Path, tmp_path: Path, edit, *extra: str):  # type: ignore[no-untyped-def]
    theirs = edit_docx(ours / "agreement.docx", tmp_path / "theirs.docx", edit)
    out = tmp_path / "deal-v2.yaml"
    result = run("absorb", str(theirs), "--deal", str(deal), "-o", str(out), "-f", "json", *extra, *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), out, theirs


def _verify(theirs: Path, deal: Path) -> int:
    return run("verify", str(theirs), "--deal", str(deal), *FIXTURE_ARGS).exit_code


def test_a_value_within_bounds(ours: Path, deal: Path, tmp_path: Path) -> None:
    report, out, theirs = _absorb(ours, deal, tmp_path, lambda xml: xml.replace("sixty (60) days", "forty-five (45) days", 1))
    [change] = report["changes"]
    assert (change["kind"], change["clause"], change["maps_to"], change["decide"]) == ("value", "fx.pub.review", {"terms": {"fx_review_days": 45}}, False)
    assert change["summary"] == "fx_review_days: 60 \u2192 45"
    before, after = deal.read_text("utf-8"), out.read_text("utf-8")
    assert after == before + "  fx_review_days: 45\n"  # comments, order and layout kept; the value added to terms
    assert _verify(theirs, deal) == 1 and _verify(theirs, out) == 0


def test_a_value_out_of_bounds_is_kept_as_their_text_for_a_decision(ours: Path, deal: Path, tmp_path: Path) -> None:
    report, out, theirs = _absorb(ours, deal, tmp_path, lambda xml: xml.replace("sixty (60) days", "ten (10) days", 1))
    [change] = report["changes"]
    assert (change["kind"], change["decide"]) == ("value", True)
    assert "must be at least 30 days (got 10)" in change["reason"]
    assert list(change["maps_to"]["overrides"]) == ["fx.pub.review"]
    assert yaml.safe_load(out.read_text("utf-8"))["terms"] == {"fx_effective": __import__("datetime").date(2027, 2, 1)}
    assert _verify(theirs, out) == 0


def test_another_position_with_their_value(ours: Path, deal: Path, tmp_path: Path) -> None:
    report, out, theirs = _absorb(ours, deal, tmp_path, lambda xml: xml.replace("The Parties may extend it by agreement.", "Helixa may extend it.", 1))
    [change] = report["changes"]
    # the partner position (36 months by default) with their twenty-four months
    assert change["maps_to"] == {"terms": {"fx_plan_months": 24}, "positions": {"fx.scope.plan": "partner"}}
    assert (change["kind"], change["decide"]) == ("position", False)
    assert change["summary"] == "position balanced \u2192 partner; fx_plan_months: 36 \u2192 24"
    assert _verify(theirs, out) == 0


def test_an_edit_off_the_playbook_becomes_an_override(ours: Path, deal: Path, tmp_path: Path) -> None:
    def edit(xml: str) -> str:
        return xml.replace("Headings do not affect interpretation.", "Headings do not affect interpretation; *nor* do [notes] or {braces}.", 1)

    report, out, theirs = _absorb(ours, deal, tmp_path, edit)
    [change] = report["changes"]
    assert (change["kind"], change["clause"], change["decide"]) == ("text", "fx.interpretation", True)
    assert change["closest_position"] == "balanced" and change["similarity"] > 0.6
    written = yaml.safe_load(out.read_text("utf-8"))["overrides"]["fx.interpretation"]["text"]
    assert "{{ term('Fixture Plan') }}" in written  # our defined term stays a defined term
    assert "\\*nor\\*" in written and "\\[notes\\]" in written  # their marks stay words
    assert _verify(theirs, out) == 0
    assert report["summary"]["reproduced"] is True


def test_without_overrides_their_text_is_only_reported(ours: Path, deal: Path, tmp_path: Path) -> None:
    report, out, theirs = _absorb(ours, deal, tmp_path, lambda xml: xml.replace("Headings do not affect", "Headings never affect", 1), "--no-overrides")
    assert report["changes"][0]["maps_to"] == {}
    assert report["unreproduced"] == ["fx.interpretation (1.2): edited"]
    assert out.read_text("utf-8") == deal.read_text("utf-8")
    assert _verify(theirs, out) == 1


@pytest.mark.parametrize(("suffix", "marker"), [(".md", "| # | change |"), (".html", "<table>"), (".txt", "DECIDE"), (".json", '"absorb_format": 1')])
def test_the_report_in_every_format(ours: Path, deal: Path, tmp_path: Path, suffix: str, marker: str) -> None:
    theirs = edit_docx(ours / "agreement.docx", tmp_path / "theirs.docx", lambda xml: xml.replace("Headings do not affect", "Headings never affect", 1))
    report = tmp_path / f"round{suffix}"
    result = run("absorb", str(theirs), "--deal", str(deal), "-o", str(tmp_path / "v2.yaml"), "--report", str(report), *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    text = report.read_text("utf-8")
    assert marker in text and "fx.interpretation" in text
    assert "dealdraft diff" in text or suffix == ".json"  # the next step: our answer as a redline


def test_errors_exit_2_and_write_nothing(ours: Path, deal: Path, tmp_path: Path) -> None:
    out = tmp_path / "v2.yaml"
    result = run("absorb", str(ours / "agreement.docx"), "--deal", str(deal), "-o", str(deal), *FIXTURE_ARGS)
    assert result.exit_code == 2 and "-o must name a new deal file" in result.stderr
    result = run("absorb", str(ours / "agreement.pdf"), "--deal", str(deal), "-o", str(out), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{ours / 'agreement.pdf'}: this needs the DOCX that came back from the other side, not a PDF"
    result = run("absorb", str(ours / "agreement.docx"), "--deal", str(deal), "-o", str(out), "--report", str(tmp_path / "r.doc"), *FIXTURE_ARGS)
    assert result.exit_code == 2 and "the report's suffix must be .txt, .md, .html or .json" in result.stderr
    result = run("absorb", str(tmp_path / "missing.docx"), "--deal", str(deal), "-o", str(out), *FIXTURE_ARGS)
    assert result.exit_code == 2 and result.stderr.strip() == f"{tmp_path / 'missing.docx'}: no such file"
    assert not out.exists()


def test_a_clean_copy_absorbs_to_the_same_deal(ours: Path, deal: Path, tmp_path: Path) -> None:
    report, out, _theirs = _absorb(ours, deal, tmp_path, lambda xml: xml)
    assert report["changes"] == [] and report["summary"]["decisions"] == 0
    assert out.read_text("utf-8") == deal.read_text("utf-8")


def test_an_external_copy_comes_back_absorbed_and_verified(deal: Path, tmp_path: Path) -> None:
    out = tmp_path / "ext"
    assert run("build", str(deal), "-o", str(out), "--format", "docx", "--external", *FIXTURE_ARGS).exit_code == 0
    report, absorbed, theirs = _absorb(out, deal, tmp_path, lambda xml: xml.replace("sixty (60) days", "forty-five (45) days", 1))
    assert [c["maps_to"] for c in report["changes"]] == [{"terms": {"fx_review_days": 45}}]
    assert _verify(theirs, deal) == 1 and _verify(theirs, absorbed) == 0


def test_the_answer_is_a_redline_against_their_version(ours: Path, deal: Path, tmp_path: Path) -> None:
    from redline_xml import body, q

    _report, absorbed, _theirs = _absorb(ours, deal, tmp_path, lambda xml: xml.replace("sixty (60) days", "forty-five (45) days", 1))
    counter = tmp_path / "deal-v3.yaml"
    counter.write_text(absorbed.read_text("utf-8").replace("fx_review_days: 45", "fx_review_days: 50"), "utf-8")
    result = run("diff", str(absorbed), str(counter), "--format", "docx", "-o", str(tmp_path / "redlines"), *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    root = body((tmp_path / "redlines" / "agreement.redline.docx").read_bytes())
    deleted = "".join(t.text or "" for n in root.iter(q("del")) for t in n.iter(q("delText")))
    inserted = "".join(t.text or "" for n in root.iter(q("ins")) for t in n.iter(q("t")))
    assert deleted == "forty-five (45)" and inserted == "fifty (50)"


def test_an_override_keeps_references_to_schedules_whole(ours: Path, deal: Path, tmp_path: Path) -> None:
    report, out, theirs = _absorb(ours, deal, tmp_path, lambda xml: xml.replace("; disputes follow ", "; every dispute follows ", 1))
    assert [(c["kind"], c["clause"]) for c in report["changes"]] == [("text", "fx.scope.purpose")]
    written = yaml.safe_load(out.read_text("utf-8"))["overrides"]["fx.scope.purpose"]["text"]
    assert "{{ ref('fx.sched.milestones') }}." in written and "(Milestones)" not in written  # ref() writes the title itself
    assert report["unreproduced"] == [] and _verify(theirs, out) == 0
