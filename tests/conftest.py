"""Shared fixtures: the stable fixture library and helpers to run the CLI.

The skip policy (a missing tool skips outside CI and fails under
``DEALDRAFT_CI``; a CI run that skips anything fails) lives in ``needs.py``,
whose hooks are imported here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from needs import (  # noqa: F401  (pytest hooks: the skip policy)
    pytest_collectreport,
    pytest_configure,
    pytest_runtest_logreport,
    pytest_runtest_setup,
    pytest_sessionfinish,
    pytest_terminal_summary,
)

from assembler.cli.main import cli

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURE_LIBRARY = TESTS / "fixtures" / "library"
FIXTURE_DEAL = TESTS / "fixtures" / "fixture-deal.yaml"
FIXTURE_ARGS = ["--no-builtin", "--library", str(FIXTURE_LIBRARY)]


def run(*args: str, input: str | None = None) -> Result:
    """Invoke the CLI in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def fixture_deal_data() -> dict[str, Any]:
    return yaml.safe_load(FIXTURE_DEAL.read_text("utf-8"))


@pytest.fixture
def write_deal(tmp_path: Path):
    """Write a variant of the fixture deal: ``write_deal(stance='pharma', terms={...})``."""

    def write(name: str = "deal.yaml", text: str | None = None, **changes: Any) -> Path:
        path = tmp_path / name
        if text is None:
            data = fixture_deal_data()
            data.update(changes)
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        path.write_text(text, "utf-8")
        return path

    return write
