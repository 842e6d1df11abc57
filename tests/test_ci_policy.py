"""The skip policy of tests/needs.py, run as a plugin on a sample of tests:
outside CI a missing tool skips with the package to install; under
DEALDRAFT_CI it fails, and any skip at all fails the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import TESTS

SAMPLE = '''
import pytest
from needs import missing, require

def test_passes():
    pass

def test_needs_a_missing_tool():
    missing("the frobnicator", "the Debian package frobnicator-tools")

@pytest.mark.requires("soffice")
def test_marked():
    pass

def test_skips_for_its_own_reason():
    pytest.skip("a reason of its own")

@pytest.mark.xfail(strict=True, reason="a known bug")
def test_known_bug():
    assert False
'''


def run_sample(tmp_path: Path, ci: bool, *select: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(SAMPLE, "utf-8")
    env = {key: value for key, value in os.environ.items() if key != "DEALDRAFT_CI"}
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    if ci:
        env["DEALDRAFT_CI"] = "1"
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "needs", "-p", "no:cacheprovider", "-rsfE", "-q", "test_sample.py", *select],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


def test_outside_ci_a_missing_tool_skips_naming_the_package(tmp_path: Path) -> None:
    result = run_sample(tmp_path, False, "-k", "passes or missing or skips or known")
    assert result.returncode == 0, result.stdout
    assert "the frobnicator is missing; install the Debian package frobnicator-tools" in result.stdout
    assert "1 passed, 2 skipped, 1 deselected, 1 xfailed" in result.stdout


def test_under_ci_a_missing_tool_fails(tmp_path: Path) -> None:
    result = run_sample(tmp_path, True, "-k", "passes or missing or known")
    assert result.returncode == 1, result.stdout
    assert "DEALDRAFT_CI is set, so a missing tool is a failure: the frobnicator is missing; " \
           "install the Debian package frobnicator-tools" in result.stdout
    assert "1 failed, 1 passed, 2 deselected, 1 xfailed" in result.stdout


def test_under_ci_any_skip_fails_the_run(tmp_path: Path) -> None:
    result = run_sample(tmp_path, True, "-k", "passes or skips")
    assert "1 passed, 1 skipped" in result.stdout
    assert "DEALDRAFT_CI is set: 1 test(s) skipped, and a CI run must skip none: test_sample.py::test_skips_for_its_own_reason" \
        in result.stdout
    assert result.returncode == 1, result.stdout


def test_under_ci_a_run_without_skips_passes(tmp_path: Path) -> None:
    result = run_sample(tmp_path, True, "-k", "passes or known")
    assert result.returncode == 0, result.stdout
    assert "skipped" not in result.stdout


def test_the_marker_checks_its_tool(tmp_path: Path) -> None:
    """``requires`` markers go through the same check: with no soffice on
    PATH the test skips naming the package, and fails under CI."""
    nowhere = str(tmp_path / "empty-path")
    result = run_sample(tmp_path, False, "-k", "marked", path=nowhere)
    assert result.returncode == 0, result.stdout
    assert "LibreOffice (soffice) is missing; install the Debian package libreoffice-writer-nogui" in result.stdout
    assert "1 skipped" in result.stdout
    result = run_sample(tmp_path, True, "-k", "marked", path=nowhere)
    assert result.returncode == 1, result.stdout
    assert "1 error" in result.stdout and "DEALDRAFT_CI is set, so a missing tool is a failure" in result.stdout
