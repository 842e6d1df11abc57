"""The CLI as a person meets it: help, listings, show, new, why, lint, schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_ARGS, FIXTURE_DEAL, FIXTURE_LIBRARY, run

from assembler.cli.main import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"dealdraft {command}" in result.output


def test_top_level_help_lists_every_command() -> None:
    result = run("--help")
    for command in COMMANDS:
        assert command in result.output


def test_deal_types_json() -> None:
    result = run("deal-types", "--json", *FIXTURE_ARGS)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == [
        {
            "id": "fixture_collab", "name": "Fixture Collaboration", "summary": "The deal type of the core tests.", "documents": ["agreement", "charter"],
            "roles": [{"id": "pharma", "label": "Pharma", "min": 1, "max": 1}, {"id": "partner", "label": "Partner", "min": 1, "max": 1}],
            "stances": [{"id": "pharma", "label": "pharma"}, {"id": "balanced", "label": "balanced"}, {"id": "partner", "label": "partner"}],
            "default_stance": "balanced",
        }
    ]


def test_deal_types_table() -> None:
    result = run("deal-types", *FIXTURE_ARGS)
    assert result.stdout.splitlines()[1].split() == ["fixture_collab", "Fixture", "Collaboration", "agreement,", "charter"]


def test_clauses_json_has_the_documented_fields() -> None:
    result = run("clauses", "--json", *FIXTURE_ARGS)
    data = json.loads(result.stdout)
    review = next(c for c in data if c["id"] == "fx.pub.review")
    assert review["positions"] == ["pharma", "balanced", "partner"]
    assert review["deal_types"] == ["fixture_collab"]
    assert review["version"] == "1.0.0" and review["title"] == "Publication Review"
    assert {"id", "title", "version", "deal_types", "positions"} <= set(data[0])


def test_clauses_by_unknown_deal_type_suggests() -> None:
    result = run("clauses", "--deal-type", "fixture_colab", *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --deal-type: unknown deal type 'fixture_colab' (did you mean 'fixture_collab'?)"


def test_show_renders_a_position_with_defaults() -> None:
    result = run("show", "fx.pub.review", "--position", "partner", *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    assert "fx.pub.review 1.0.0 — partner position: Short review." in result.stdout
    assert "3.1 Publication Review" in result.stdout
    assert "thirty (30) days to review any manuscript, as described in Section\u00a02.1." in result.stdout


def test_show_unknown_position() -> None:
    result = run("show", "fx.law", "--position", "pharma", *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert "clause fx.law: --position: unknown position 'pharma'; this clause has balanced" in result.stderr


def test_new_writes_every_variable_and_builds(tmp_path: Path) -> None:
    deal = tmp_path / "deal.yaml"
    result = run("new", "fixture_collab", "-o", str(deal), *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    text = deal.read_text("utf-8")
    for line in ("  # fx_effective:", "  fx_personal_data: false", "  fx_breach_hours: 48"):
        assert line in text.splitlines() or any(row.startswith(line) for row in text.splitlines())
    # a value that depends on the stance is shown per stance, not pinned
    assert "  # set by the stance (pharma 90 · balanced 60 · partner 30); uncomment to fix it:" in text
    assert "  # fx_review_days: 60" in text.splitlines()
    assert "# Review period for manuscripts. (days; min 30; max 90; clause fx.pub.review)" in text
    data = yaml.safe_load(text)
    assert data["deal_type"] == "fixture_collab" and len(data["parties"]) == 2
    built = run("build", str(deal), "-o", str(tmp_path / "out"), *FIXTURE_ARGS)
    assert built.exit_code == 0, built.stderr
    again = run("new", "fixture_collab", "-o", str(deal), *FIXTURE_ARGS)
    assert again.exit_code == 2 and "file exists; use --force to overwrite it" in again.stderr


def test_why_explains_inclusion_exclusion_and_position() -> None:
    result = run("why", "fx.pub.review", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "fx.pub.review: included in agreement, Section 3.1 — in the outline"
    assert "position: balanced — the deal's stance (balanced)" in result.stdout
    assert "variable fx_review_days = 60 (default of fx.pub.review)" in result.stdout
    out = run("why", "fx.data.protection", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert out.stdout.strip() == "fx.data.protection: left out of agreement — its condition is false: when: fx_personal_data"
    optional = run("why", "fx.opt.a", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert "optional; add it to the deal's include list to use it" in optional.stdout


def test_schema_is_json_schema_with_typed_terms(tmp_path: Path) -> None:
    result = run("schema", *FIXTURE_ARGS)
    schema = json.loads(result.stdout)
    terms = schema["properties"]["terms"]["properties"]
    assert terms["fx_review_days"] == {"type": "integer", "minimum": 30, "maximum": 90, "description": "Review period for manuscripts.", "default": 60}
    assert schema["properties"]["terms"]["additionalProperties"] is False
    assert schema["additionalProperties"] is False
    assert schema["properties"]["stance"]["enum"] == ["pharma", "balanced", "partner"]


def test_lint_finds_latent_bugs_of_optional_clauses() -> None:
    result = run("lint", *FIXTURE_ARGS)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {FIXTURE_LIBRARY}/fx/clauses.yaml:124: clause fx.opt.dangling: ref: ref('fx.data.protection') cannot be resolved")
    assert lines[1].startswith(f"error: {FIXTURE_LIBRARY}/fx/clauses.yaml:134: clause fx.opt.term: term: term('Data Room') is not defined")
    assert "15 clauses, 1 deal types: 2 error(s), 0 warning(s)" in result.stderr


def test_lint_reports_schema_and_template_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text(
        "- id: fx.law\n  title: Governing Law\n  version: 1.0\n  deal_types: all\n  positions:\n    balanced:\n      text: x\n"
        "- id: fx.extra\n  title: Extra\n  summary: s\n  version: 1.0.0\n  deal_types: all\n  positions:\n    balanced:\n      rationale: r\n      text: '{{ ref(\"fx.nowhere\") }} {% if %}'\n",
        "utf-8",
    )
    result = run("lint", *FIXTURE_ARGS, "--library", str(broken))
    assert result.exit_code == 1
    assert f"error: {broken}/bad.yaml:3: clause fx.law: version: input should be a valid string" in result.stdout
    assert f"error: {broken}/bad.yaml:8: clause fx.extra: positions.balanced.text: template syntax error on line 1: Expected an expression, got 'end of statement block'" in result.stdout
    assert f"error: {broken}/bad.yaml:8: clause fx.extra: positions.balanced.text: ref('fx.nowhere'): no clause has that id" in result.stdout


def test_lint_json_and_overlay_report(tmp_path: Path) -> None:
    overlay = tmp_path / "house"
    overlay.mkdir()
    text = (FIXTURE_LIBRARY / "fx" / "clauses.yaml").read_text("utf-8")
    start = text.index("- id: fx.law")
    end = text.index("- id: fx.sched.milestones")
    (overlay / "law.yaml").write_text(text[start:end].replace("is governed by", "shall be governed by"), "utf-8")
    result = run("lint", "--json", "-v", *FIXTURE_ARGS, "--library", str(overlay))
    problems = json.loads(result.stdout)
    assert {p["clause"] for p in problems} == {"fx.opt.dangling", "fx.opt.term"}
    assert f"overlay: clause fx.law: {FIXTURE_LIBRARY}/fx/clauses.yaml:" in result.stderr
    assert f"replaced by {overlay}/law.yaml:1" in result.stderr


def test_no_traceback_for_a_missing_deal_file(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out"), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'nope.yaml'}: no such file"


@pytest.mark.parametrize("bad", ["file", "missing"])
def test_library_must_be_a_folder(tmp_path: Path, bad: str) -> None:
    target = tmp_path / "lib"
    if bad == "file":
        target.write_text("x", "utf-8")
    result = run("clauses", "--library", str(target))
    assert result.exit_code == 2
    message = "library must be a folder, not a file" if bad == "file" else "library folder does not exist"
    assert result.stderr.strip() == f"{target}: --library: {message}"


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run("build", str(FIXTURE_DEAL), "-o", str(tmp_path / "o"), "--format", "md,odt", *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --format: unknown format 'odt' (formats: md, docx, pdf, html, json)"
    assert not (tmp_path / "o").exists()


def test_json_format_dumps_the_tree(tmp_path: Path) -> None:
    result = run("build", str(FIXTURE_DEAL), "-o", str(tmp_path / "o"), "--format", "json", *FIXTURE_ARGS)
    assert result.exit_code == 0
    tree = json.loads((tmp_path / "o" / "build.json").read_text("utf-8"))
    agreement = tree["documents"][0]
    assert agreement["t"] == "Document" and agreement["articles"][2]["sections"][0]["number"] == "3.1"
    refs = [node for node in _walk(tree) if isinstance(node, dict) and node.get("t") == "Ref"]
    # "Section" and its number are tied by a no-break space (assembly/typography.py)
    assert {"target": "fx.pub.review", "text": "Section\u00a03.1"}.items() <= refs[0].items() or any(
        r["text"] == "Section\u00a03.1" for r in refs)


def _walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_lint_cache_never_hides_a_change(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DEALDRAFT_CACHE_DIR", str(tmp_path / "cache"))
    overlay = tmp_path / "house"
    overlay.mkdir()
    clause = overlay / "extra.yaml"
    good = "- id: fx.extra\n  title: Extra\n  summary: s\n  version: 1.0.0\n  deal_types: all\n  positions:\n    balanced:\n      rationale: r\n      text: Plain text.\n"
    clause.write_text(good, "utf-8")
    first = run("lint", "--json", *FIXTURE_ARGS, "--library", str(overlay))
    again = run("lint", "--json", *FIXTURE_ARGS, "--library", str(overlay))
    assert first.stdout == again.stdout and list(Path(tmp_path / "cache").glob("lint-*.pickle"))
    clause.write_text(good.replace("Plain text.", "'{{ ref(\"fx.nowhere\") }}'"), "utf-8")
    changed = run("lint", "--json", *FIXTURE_ARGS, "--library", str(overlay))
    assert any("fx.nowhere" in p["message"] for p in json.loads(changed.stdout))
