"""The errors a user meets when a library is laid out or typed wrongly: one
root cause, reported once, naming what to do (folder names, typos)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURE_LIBRARY, ROOT, run


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "house"
    shutil.copytree(FIXTURE_LIBRARY, root)
    return root


# The fixture library has two lint errors of its own (optional clauses that
# refer to a clause left out); only the errors beyond these are compared.
_OWN = ("clause fx.opt.dangling: ref:", "clause fx.opt.term: term:")


def _lint(root: Path) -> tuple[int, list[str]]:
    result = run("lint", "--no-builtin", "--library", str(root))
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    return result.exit_code, [line for line in errors if not any(own in line for own in _OWN)]


def test_fixture_library_has_only_its_own_errors(tmp_path: Path) -> None:
    code, errors = _lint(_copy(tmp_path))
    assert (code, errors) == (1, [])


def test_deal_types_folder_with_underscore_is_named_once(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "deal-types").rename(root / "deal_types")
    code, errors = _lint(root)
    assert code == 1
    assert errors == [
        f"error: {root}/deal_types/fixture_collab.yaml:1: layout: deal types live in deal-types/ (this folder is named deal_types/: rename it)"
    ]
    # before: "a clause file must be a list of clauses" and one error per reference to an article id


def test_deal_types_one_level_too_deep(tmp_path: Path) -> None:
    root = tmp_path / "house"
    shutil.copytree(FIXTURE_LIBRARY, root / "clauses")
    code, errors = _lint(root)
    assert code == 1
    assert errors == [
        f"error: {root}/clauses/deal-types/fixture_collab.yaml:1: layout: deal types live in deal-types/ directly under the folder "
        "given to --library (this one is under clauses/: give --library …/clauses)"
    ]


def test_deal_type_file_among_clauses(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "deal-types" / "fixture_collab.yaml").rename(root / "fx" / "fixture_collab.yaml")
    code, errors = _lint(root)
    assert errors == [
        f"error: {root}/fx/fixture_collab.yaml:1: layout: this file is a deal type, not a list of clauses: "
        "deal types live in deal-types/fixture_collab.yaml"
    ]


def test_positions_typo_is_the_only_error(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "fx" / "clauses.yaml"
    text = path.read_text("utf-8")
    start = text.index("- id: fx.pub.review")
    head, tail = text[:start], text[start:]
    tail = tail.replace("  positions:", "  positons:", 1)
    path.write_text(head + tail, "utf-8")
    line = head.count("\n") + 1 + tail[: tail.index("positons:")].count("\n")
    code, errors = _lint(root)
    assert code == 1
    assert errors == [
        f"error: {path}:{head.count(chr(10)) + 1}: clause fx.pub.review: positions: is required",
        f"error: {path}:{line}: clause fx.pub.review: positons: unknown key (did you mean 'positions'?)",
    ]
    # before: also "unknown clause 'fx.pub.review' (did you mean …?)" for the outline that uses it


def test_conventions_errors_name_file_line_and_field(tmp_path: Path) -> None:
    root = tmp_path / "house"
    shutil.copytree(ROOT / "examples" / "own-library" / "library", root)
    path = root / "conventions.yaml"
    path.write_text("money:\n  currency: sign\nlaws:\n  Bad Id: {text: x}\nnumber: {words: false}\n", "utf-8")
    result = run("lint", "--no-builtin", "--library", str(root))
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if line.startswith("error:")] == [
        f"error: {path}:2: money.currency: 'sign' is not one of 'code' or 'symbol'",
        f"error: {path}:4: laws.Bad Id: 'Bad Id' is not a valid name (pattern ^[a-z][a-z0-9_]*$)",
        f"error: {path}:5: number: unknown key (did you mean 'numbers'?)",
    ]


def test_conventions_file_in_a_subfolder_is_named(tmp_path: Path) -> None:
    root = tmp_path / "house"
    shutil.copytree(ROOT / "examples" / "own-library" / "library", root)
    (root / "conventions.yaml").rename(root / "clauses" / "conventions.yaml")
    code, errors = _lint(root)
    assert errors == [
        f"error: {root}/clauses/conventions.yaml:1: layout: conventions.yaml lives directly in the folder given to --library, beside deal-types/"
    ]
