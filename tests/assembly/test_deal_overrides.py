"""The deal file's overrides: a clause's negotiated text, clauses it moves,
clauses of this deal only; checked when loaded, honoured by every build."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURE_ARGS, run
from untypeset import untypeset

OVERRIDES = """
overrides:
  fx.interpretation:
    text: |
      Headings never affect interpretation; see {{ ref('fx.pub.review') }} for the {{ term('Fixture Plan') }}.
  fx.scope.plan:
    before: fx.scope.purpose
  deal.sharing:
    title: Sharing of Data
    text: Each Party shall share data under {{ ref('fx.scope.plan') }} within {{ days(fx_review_days) }}.
    after: fx.scope.purpose
    article: Data Sharing
  deal.more:
    title: Further Sharing
    text: More data follows.
    after: deal.sharing
"""


def _deal(write_deal, extra: str) -> Path:  # type: ignore[no-untyped-def]
    from conftest import FIXTURE_DEAL

    return write_deal(text=FIXTURE_DEAL.read_text("utf-8") + extra)


def test_overrides_shape_the_draft(write_deal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deal = _deal(write_deal, OVERRIDES)
    for out in ("a", "b"):
        result = run("build", str(deal), "-o", str(tmp_path / out), "--format", "md,docx", *FIXTURE_ARGS)
        assert result.exit_code == 0, result.stderr
    markdown = untypeset((tmp_path / "a" / "agreement.md").read_text("utf-8"))  # "Section 4.1" is tied
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings[4:11] == ["### 1.2 Interpretation", "## 2. Scope", "### 2.1 Research Plan", "### 2.2 Purpose",
                              "## 3. Data Sharing", "### 3.1 Sharing of Data", "### 3.2 Further Sharing"]
    assert "Headings never affect interpretation; see Section 4.1 for the Fixture Plan." in markdown
    assert "Each Party shall share data under Section 2.1 within sixty (60) days." in markdown
    lock = json.loads((tmp_path / "a" / "deal.lock.json").read_text("utf-8"))
    clauses = {c["id"]: c for c in lock["clauses"]}
    assert clauses["fx.interpretation"]["override"] == "text" and "override" not in clauses["fx.scope.plan"]
    assert clauses["deal.sharing"]["number"] == "3.1" and clauses["deal.sharing"]["version"] == "1.0.0"
    assert (tmp_path / "a" / "agreement.docx").read_bytes() == (tmp_path / "b" / "agreement.docx").read_bytes()
    assert run("verify", str(tmp_path / "a" / "agreement.docx"), "--deal", str(deal), *FIXTURE_ARGS).exit_code == 0


def test_bad_overrides_are_named_in_one_run(write_deal) -> None:  # type: ignore[no-untyped-def]
    deal = _deal(write_deal, """
overrides:
  fx.nothing.here:
    text: Words.
  fx.scope.plan:
    after: fx.nowhere
  fx.law:
    after: fx.scope.plan
    before: fx.scope.purpose
  fx.opt.zzz:
    title: Orphan
""")
    result = run("build", str(deal), "-o", "/nonexistent-never-written", *FIXTURE_ARGS)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any("clause fx.nothing.here: overrides.fx.nothing.here: unknown clause" in line and "needs a title, a text and 'after' or 'before'" in line for line in lines)
    assert any("clause fx.scope.plan: overrides.fx.scope.plan.after: after: 'fx.nowhere' is not a clause of this deal" in line for line in lines)
    assert any("overrides.fx.law" in line and "give 'after' or 'before', not both" in line for line in lines)
    assert any("overrides.fx.opt.zzz" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_an_override_that_does_not_render_names_the_deal_file(write_deal) -> None:  # type: ignore[no-untyped-def]
    deal = _deal(write_deal, "\noverrides:\n  fx.law:\n    text: Governed by {{ nonsense }}.\n")
    result = run("build", str(deal), "-o", "/nonexistent-never-written", *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"{deal}: clause fx.law: overrides.fx.law.text: undefined variable")
