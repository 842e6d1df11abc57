"""A library, deal types and deal files in the format of an earlier release
(roles pharma and partner, no declared stances, governing-law ids) build to
the same text with today's code.

The earlier code, library and examples come from the git commit ``BASE``
(``git archive``, no checkout needed); both runs build every example in the
pharma, balanced and partner stances on that commit's library and compare
the Markdown of every document (and the error, where a combination does not
build), so later changes to the shipped clauses cannot hide a change of
behaviour. Both sides are read as typed (:func:`untypeset`: straight quotes,
plain spaces and hyphens, no Markdown escapes) and without the execution
page: the typographic pass, the Markdown writer's escaping and the execution
page (lead-in, signatory names) changed on purpose and are tested on their
own (``tests/assembly/test_typography.py``, ``tests/writers/``); the words
of the clauses may not.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from conftest import ROOT
from untypeset import untypeset

BASE = "f4fa730"
"""The commit whose code and library are the "before": main just before the
declared roles, stances, house conventions, definitions, footnotes, links and
reference style were added (first run against 891b5db, main when that work
started, and again against each later main it was rebased onto)."""

TOOL = ROOT / "tests" / "tools" / "markdown_texts.py"
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>&])")
_SIGNATURES = re.compile(r"^## Signatures\n.*?(?=^## |\Z)", re.M | re.S)


def _as_typed(text: str) -> str:
    return _SIGNATURES.sub("## Signatures\n\n", _ESCAPE.sub(r"\1", untypeset(text)))

INTENDED = [
    # Paragraphs of one schedule in a list of references name their schedule once, with the plural and
    # ranges that sections have, instead of repeating "of Schedule 3" after each.
    (
        "Articles 8, 12, 15, paragraph 4 of Schedule 3, paragraph 21 of Schedule 3 and paragraph 26 of Schedule 3",
        "Articles 8, 12, 15 and paragraphs 4, 21 and 26 of Schedule 3",
    ),
]
"""Changes of text that are intended, each (before, after); the earlier text is read with them applied."""

_REFERENCE_JOINT = re.compile(r"(?<=\d)(?:, and |,? and )(?=(?:(?:Sections?|Articles?|paragraphs?|Schedules?) )?\d)")
"""The words that join the items of a list of references. Lists are compared without them: each
kind of reference is a list of its own, with its own "and", and a comma comes before the last
kind ("Sections 2.1 and 2.3, and Article 1"), where the earlier code ran every item into one
list ("Sections 2.1, 2.3 and Article 1")."""


def _without_reference_joints(text: str) -> str:
    return _REFERENCE_JOINT.sub(", ", text)


def _texts(code_root: Path | None, library: Path, examples: Path, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["DEALDRAFT_NO_CACHE"] = "1"
    if code_root is not None:
        env["PYTHONPATH"] = str(code_root)  # the earlier package wins over the installed one
    done = subprocess.run(
        [sys.executable, str(TOOL), str(library), str(examples)],
        capture_output=True, text=True, env=env, cwd=tmp, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def base_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("base")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", BASE, "assembler", "clauses", "examples"],
        capture_output=True, check=False,
    )
    assert archive.returncode == 0, f"commit {BASE} is needed (a full clone): {archive.stderr.decode()[:300]}"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(root, filter="data")
    return root


@pytest.fixture(scope="module")
def earlier_texts(base_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The Markdown the earlier code builds from the earlier library."""
    return _texts(base_tree, base_tree / "clauses", base_tree / "examples", tmp_path_factory.mktemp("earlier"))


def test_earlier_library_builds_identical_markdown(base_tree: Path, earlier_texts: dict[str, str], tmp_path: Path) -> None:
    library, examples = base_tree / "clauses", base_tree / "examples"
    before = dict(earlier_texts)
    after = _texts(None, library, examples, tmp_path)
    assert len(before) > 100  # 9 examples × 3 stances, several documents each
    assert sorted(before) == sorted(after)
    for key in sorted(before):
        old, new = _as_typed(before[key]), _as_typed(after[key])
        for earlier, now in INTENDED:
            old = old.replace(earlier, now)
        old, new = _without_reference_joints(old), _without_reference_joints(new)
        if old != new:
            diff = "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(), "before", "after", lineterm="", n=1))
            pytest.fail(f"{key} changed:\n{diff[:4000]}")


def test_every_intended_change_is_still_needed(earlier_texts: dict[str, str]) -> None:
    """An intended change that no earlier text contains any more is a stale entry."""
    for earlier, _now in INTENDED:
        assert any(earlier in _as_typed(text) for text in earlier_texts.values()), earlier
