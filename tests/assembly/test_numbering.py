"""Numbering follows the outline: reordering articles moves every reference."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURE_DEAL, FIXTURE_LIBRARY, run
from untypeset import untypeset


def _overlay_with_reordered_articles(tmp_path: Path) -> Path:
    text = (FIXTURE_LIBRARY / "deal-types" / "fixture_collab.yaml").read_text("utf-8")
    scope = "      - title: Scope\n        clauses: [fx.scope.purpose, fx.scope.plan]\n"
    publications = "      - title: Publications\n        id: publications\n        clauses: [fx.pub.review]\n"
    assert scope in text and publications in text
    swapped = text.replace(scope, "@@S@@").replace(publications, scope).replace("@@S@@", publications)
    overlay = tmp_path / "reordered"
    (overlay / "deal-types").mkdir(parents=True)
    (overlay / "deal-types" / "fixture_collab.yaml").write_text(swapped, "utf-8")
    return overlay


def _build(tmp_path: Path, name: str, *libraries: Path) -> tuple[dict[str, str], str, str]:
    args = ["--no-builtin", "--library", str(FIXTURE_LIBRARY)]
    for lib in libraries:
        args += ["--library", str(lib)]
    out = tmp_path / name
    result = run("build", str(FIXTURE_DEAL), "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    lock = json.loads((out / "deal.lock.json").read_text("utf-8"))
    # Read as typed: "Section 3.1" with a plain space (the output ties it with a no-break space).
    texts = (untypeset((out / name).read_text("utf-8")) for name in ("agreement.md", "charter.md"))
    return ({c["id"]: c["number"] for c in lock["clauses"]}, *texts)  # type: ignore[return-value]


def test_reordering_two_articles_renumbers_every_reference(tmp_path: Path) -> None:
    before, agreement_before, charter_before = _build(tmp_path, "before")
    after, agreement_after, charter_after = _build(tmp_path, "after", _overlay_with_reordered_articles(tmp_path))
    assert (before["fx.scope.purpose"], before["fx.scope.plan"], before["fx.pub.review"]) == ("2.1", "2.2", "3.1")
    assert (after["fx.pub.review"], after["fx.scope.purpose"], after["fx.scope.plan"]) == ("2.1", "3.1", "3.2")
    # references in both directions, in definitions and across documents
    assert "Publications follow Section 3.1;" in agreement_before
    assert "Publications follow Section 2.1;" in agreement_after
    assert "any other disclosure, as described in Section 2.1." in agreement_before
    assert "any other disclosure, as described in Section 3.1." in agreement_after
    assert "means the plan of work described in Section 2.2 and" in agreement_before
    assert "means the plan of work described in Section 3.2 and" in agreement_after
    assert "implements Section 3.1 of the Agreement" in charter_before
    assert "implements Section 2.1 of the Agreement" in charter_after
    # headings follow too
    assert "### 2.1 Publication Review" in agreement_after and "### 3.1 Purpose" in agreement_after
