"""The code checks the README asks of every change: ruff over the code, tests
and benchmarks, and mypy in strict mode over the package (settings in
pyproject.toml). Both run from the test environment, so the suite goes red
when either finds something."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", "assembler", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing(tmp_path: Path) -> None:
    result = _run("mypy", "--cache-dir", str(tmp_path / "mypy"), "--no-error-summary")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "strict = true" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
