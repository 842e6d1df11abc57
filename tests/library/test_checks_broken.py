"""Every library check and lint rule has a small library that breaks it.

The cases are data (tests/cases/broken_libraries.yaml): a base library that
lints clean, and per case one patch and the exact lines ``dealdraft lint``
prints. Whole output is compared, so a check that stops firing, fires twice
or changes its words fails its case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import TESTS, run

from assembler.library import rules

DATA = yaml.safe_load((TESTS / "cases" / "broken_libraries.yaml").read_text("utf-8"))
CASES = DATA["cases"]


def write_library(root: Path, case: dict[str, Any] | None = None) -> Path:
    files = dict(DATA["base"])
    for name, old, new in (case or {}).get("replace", []):
        assert files[name].count(old) == 1, f"{case and case['name']}: {old!r} must occur once in {name}"
        files[name] = files[name].replace(old, new)
    files.update((case or {}).get("add", {}))
    library = root / "lib"
    for name, text in files.items():
        (library / name).parent.mkdir(parents=True, exist_ok=True)
        (library / name).write_text(text, "utf-8")
    return library


def lint_lines(library: Path) -> tuple[int, list[str]]:
    result = run("lint", "--no-builtin", "--library", str(library))
    return result.exit_code, result.stdout.splitlines()


def test_the_base_library_lints_clean(tmp_path: Path) -> None:
    code, lines = lint_lines(write_library(tmp_path))
    assert (code, lines) == (0, [])


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_a_broken_library_gets_exactly_its_lines(case: dict[str, Any], tmp_path: Path) -> None:
    library = write_library(tmp_path, case)
    code, lines = lint_lines(library)
    expected = [line.replace("{lib}", str(library)) for line in case["lines"]]
    assert expected, "a case must expect at least one line"
    assert lines == expected
    assert code == (1 if any(line.startswith("error:") for line in expected) else 0)


def test_every_rule_has_a_case() -> None:
    names = " ".join(case["name"] for case in CASES)
    missing = [rule.__name__ for rule in rules.RULES if f"rule {rule.__name__}:" not in names]
    assert not missing, f"rules without a broken library in broken_libraries.yaml: {missing}"
