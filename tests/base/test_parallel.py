"""Work spread over forked processes gives what one process gives."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from conftest import FIXTURE_LIBRARY

from assembler.base import parallel
from assembler.base.errors import OutputError
from assembler.library import load as library_module
from assembler.review.lint import lint_library

needs_fork = pytest.mark.requires("fork", "two-cores")


def _square_and_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


@needs_fork
def test_fork_map_keeps_order_and_uses_workers() -> None:
    items = list(range(40))
    results = parallel.fork_map(_square_and_pid, items, weight=lambda v: v % 7)
    assert [square for square, _ in results] == [v * v for v in items]
    assert os.getpid() not in {pid for _, pid in results}


def test_fork_map_in_a_threaded_process_stays_in_process() -> None:
    found: list[set[int]] = []

    def run() -> None:
        found.append({pid for _, pid in parallel.fork_map(_square_and_pid, [1, 2, 3])})

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert found == [{os.getpid()}]


def _die(value: int) -> int:
    os._exit(3)


@needs_fork
def test_a_worker_that_dies_is_an_output_error() -> None:
    with pytest.raises(OutputError, match="worker process died"):
        parallel.fork_map(_die, [1, 2])


def _broken_overlay(folder: Path) -> Path:
    folder.mkdir()
    (folder / "broken.yaml").write_text(
        "- id: fx.extra.one\n  title: One\n  summary: s\n  version: 1.0.0\n  deal_types: all\n"
        "  positions: {balanced: {rationale: r, text: 'x {{ nope( }}'}}\n"
        "- just a string\n"
        "- id: fx.extra.two\n  title: Two\n  version: not-a-version\n",
        encoding="utf-8",
    )
    (folder / "bad.yaml").write_text("key: [unclosed\n", encoding="utf-8")
    return folder


def _snapshot(library) -> tuple:  # type: ignore[no-untyped-def]
    return (
        [(cid, c.spec, c.path, c.line) for cid, c in library.clauses.items()],
        sorted(library.deal_types), sorted(library.documents),
        library.problems, library.overridden, library.fingerprint,
    )


@needs_fork
def test_reading_a_library_in_parallel_gives_the_same_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALDRAFT_NO_CACHE", "1")
    overlay = _broken_overlay(tmp_path / "overlay")
    monkeypatch.setattr(library_module, "_PARALLEL_BYTES", 0)
    calls: list[int] = []
    original = parallel.fork_pool

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("workers") or 0)
        return original(*args, **kwargs)

    monkeypatch.setattr(parallel, "fork_pool", recording)
    spread = library_module.load_library([FIXTURE_LIBRARY, overlay])
    assert calls and calls[0] != 1
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    alone = library_module.load_library([FIXTURE_LIBRARY, overlay])
    assert _snapshot(spread) == _snapshot(alone)
    assert any("unclosed" in p.message or "invalid YAML" in p.message for p in alone.problems)


@needs_fork
def test_lint_in_parallel_finds_what_lint_alone_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALDRAFT_NO_CACHE", "1")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "extra.yaml").write_text(
        "- id: fx.extra.dangling\n  title: Dangling\n  summary: A clause with problems.\n  version: 1.0.0\n"
        "  deal_types: all\n  positions:\n    balanced:\n      rationale: r\n"
        "      text: See {{ ref('fx.no.such') }} and {{ term('Unknown Term') }} for {{ days(unset_days) }}.\n",
        encoding="utf-8",
    )
    library = library_module.load_library([FIXTURE_LIBRARY, overlay], builtin=False)
    spread = lint_library(library)
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    alone = lint_library(library)
    assert spread == alone
    assert any("fx.no.such" in p.message for p in alone)
