"""A returned copy of a typeset build: a defined term with an apostrophe
(“Customer’s Data”) and prose apostrophes are our own text, not their edits,
and their text of a clause is written back with the library's term names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run
from docx_edit import edit_docx

OWN = ROOT / "examples" / "own-library"
DEAL = OWN / "services-agreement.yaml"


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The house library with "Customer Data" (alias "Data") renamed "Customer's Data" (alias "Customer's Files")."""
    root = tmp_path_factory.mktemp("typeset") / "house"
    shutil.copytree(OWN / "library", root)
    path = root / "clauses" / "services.yaml"
    clauses = yaml.safe_load(path.read_text("utf-8"))
    clause = next(c for c in clauses if c["id"] == "svc.data")
    entry = clause["defines"].pop("Customer Data")
    entry["aliases"] = ["Customer's Files"]
    clause["defines"]["Customer's Data"] = entry
    for position in clause["positions"].values():
        position["text"] = position["text"].replace("term('Customer Data')", "term(\"Customer's Data\")").replace(
            "term('Data')", "term(\"Customer's Files\")")
    path.write_text(yaml.safe_dump(clauses, sort_keys=False, allow_unicode=True), "utf-8")
    return root


def _args(house: Path) -> list[str]:
    return ["--no-builtin", "--library", str(house)]


@pytest.fixture(scope="module")
def ours(house: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("typeset-out")
    result = run("build", str(DEAL), "-o", str(out), "--format", "md,docx", *_args(house))
    assert result.exit_code == 0, result.stderr
    text = (out / "agreement.md").read_text("utf-8")
    assert "“**Customer’s Data**” or “**Customer’s Files**” means" in text and "owns the Customer’s Files" in text
    return out / "agreement.docx"


def test_an_untouched_copy_verifies(house: Path, ours: Path) -> None:
    result = run("verify", str(ours), "--deal", str(DEAL), *_args(house))
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize(("before", "after", "clause"), [
    ("only to perform", "solely to perform", "svc.data"),  # uses of a term with an apostrophe
    ("confidential, use it only", "confidential, use it solely", "conf.obligations"),  # the other Party’s
])
def test_their_edit_is_only_their_words_and_written_with_our_term_names(
    house: Path, ours: Path, tmp_path: Path, before: str, after: str, clause: str,
) -> None:
    theirs = edit_docx(ours, tmp_path / "theirs.docx", lambda xml: xml.replace(before, after, 1))
    out = tmp_path / "deal-v2.yaml"
    result = run("absorb", str(theirs), "--deal", str(DEAL), "-o", str(out), "-f", "json", *_args(house))
    assert result.exit_code == 0, result.stderr
    [change] = json.loads(result.stdout)["changes"]
    assert change["clause"] == clause and change["term"] is None
    assert [(w["op"], w["text"]) for w in change["words"] if w["op"] != "="] == [("-", "only"), ("+", "solely")]
    written = yaml.safe_load(out.read_text("utf-8"))["overrides"][clause]["text"]
    if clause == "svc.data":
        assert "{{ term('Customer\\'s Data') }} solely" in written and "{{ term('Customer\\'s Files') }}," in written
    assert run("verify", str(theirs), "--deal", str(out), *_args(house)).exit_code == 0
