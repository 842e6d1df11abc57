"""What a test needs from the machine, and the skip policy under ``DEALDRAFT_CI``.

A test that needs a tool says so once, with ``@pytest.mark.requires("soffice")``
or a call to :func:`require` (or :func:`missing` for anything that is not a
tool). Outside CI a missing tool skips the test with the package to install;
with ``DEALDRAFT_CI`` set (``.ci/run`` sets it) it is a failure, and the hooks
below fail the whole run if any test was skipped at all, for whatever reason.

``tests/conftest.py`` imports the hooks; ``tests/test_ci_policy.py`` runs them
as a plugin (``pytest -p needs``) on a sample of tests.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import pytest

CI_FLAG = "DEALDRAFT_CI"
CHROMIUM = "/usr/bin/chromium"
"""Debian's chromium: Playwright cannot download its own browsers here."""
UNO_PYTHON = "/usr/bin/python3"
"""Debian's own Python, the one python3-uno installs into."""


def in_ci() -> bool:
    return os.environ.get(CI_FLAG, "") not in ("", "0")


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _uno() -> bool:
    if not (Path(UNO_PYTHON).exists() and soffice()):
        return False
    return subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, timeout=60).returncode == 0


def _fork() -> bool:
    from assembler.base import parallel

    return parallel.can_fork()


def _two_cores() -> bool:
    from assembler.base import parallel

    return parallel.cores() >= 2


def _chromium() -> bool:
    return Path(CHROMIUM).exists()


REQUIREMENTS: dict[str, tuple[str, str, Callable[[], bool]]] = {
    "soffice": ("LibreOffice (soffice)", "the Debian package libreoffice-writer-nogui", lambda: soffice() is not None),
    "pdftotext": ("pdftotext", "the Debian package poppler-utils", lambda: shutil.which("pdftotext") is not None),
    "uno": (f"LibreOffice's Python bridge ('import uno' in {UNO_PYTHON})",
            "the Debian packages python3-uno and libreoffice-writer-nogui", _uno),
    "fork": ("fork() for worker processes (Linux, from a process without other threads)",
             "Linux: dealdraft forks its workers only there", _fork),
    "two-cores": ("at least two CPU cores", "a machine (or CPU affinity) with two or more cores", _two_cores),
    "chromium": ("Debian's chromium (/usr/bin/chromium)", "the Debian package chromium", _chromium),
    "playwright": ("Playwright's Python package", "the test extra: pip install -c .ci/constraints.txt '.[test]'",
                   lambda: importlib.util.find_spec("playwright") is not None),
}
"""name → (what it is, what to install to get it, check)."""


@cache
def _available(name: str) -> bool:
    return REQUIREMENTS[name][2]()


def missing(what: str, install: str) -> NoReturn:
    """Skip the current test because ``what`` is missing, naming what to
    install; under ``DEALDRAFT_CI`` fail it instead."""
    message = f"{what} is missing; install {install}"
    if in_ci():
        pytest.fail(f"{CI_FLAG} is set, so a missing tool is a failure: {message}", pytrace=False)
    pytest.skip(message)


def require(*names: str) -> None:
    """Skip (outside CI) or fail (under ``DEALDRAFT_CI``) unless every named
    requirement of :data:`REQUIREMENTS` is met. ``fork`` is checked afresh
    (it depends on the threads running now); the rest once per run."""
    for name in names:
        what, install, check = REQUIREMENTS[name]
        if not (check() if name == "fork" else _available(name)):
            missing(what, install)


# -- pytest hooks (imported by tests/conftest.py) ------------------------------

_skipped: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requires(*names): the test needs these tools (see tests/needs.py)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers("requires"):
        require(*marker.args)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid or "(collection)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: Any) -> None:
    """Under ``DEALDRAFT_CI`` a run that skipped anything has failed."""
    if in_ci() and _skipped and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if in_ci() and _skipped:
        terminalreporter.write_line(
            f"{CI_FLAG} is set: {len(_skipped)} test(s) skipped, and a CI run must skip none: " + ", ".join(_skipped[:10]),
            red=True, bold=True,
        )
