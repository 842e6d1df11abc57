"""A library read into bytes loads anywhere: the same library, named as on the machine that read it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from conftest import FIXTURE_LIBRARY

from assembler.library import load as library_module


def test_a_library_read_as_bytes_loads_without_its_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DEALDRAFT_NO_CACHE", "1")
    copy = tmp_path / "house"
    shutil.copytree(FIXTURE_LIBRARY, copy)
    from_folder = library_module.load_library([copy], builtin=True)
    sources = library_module.read_library([copy], builtin=True)
    shutil.rmtree(copy)
    from_bytes = library_module.parse_library(sources)
    assert from_bytes.fingerprint == from_folder.fingerprint
    assert from_bytes.roots == from_folder.roots
    assert sorted(from_bytes.clauses) == sorted(from_folder.clauses)
    # problems and clauses name files as the folders did: built-in ones as clauses/…, overlays by their path
    assert {c.path for c in from_bytes.clauses.values()} == {c.path for c in from_folder.clauses.values()}
    assert str(copy / "fx" / "clauses.yaml") in {c.path for c in from_bytes.clauses.values()}
    assert any(c.path.startswith("clauses/") for c in from_bytes.clauses.values())


def test_a_changed_file_changes_the_fingerprint(monkeypatch) -> None:
    monkeypatch.setenv("DEALDRAFT_NO_CACHE", "1")
    sources = library_module.read_library([FIXTURE_LIBRARY], builtin=False)
    first = sources.files[0]
    changed = replace(sources, files=(replace(first, raw=first.raw + b"\n# a comment changes no clause, but the content\n"), *sources.files[1:]))
    reloaded = library_module.parse_library(changed)
    assert not reloaded.errors()
    assert reloaded.fingerprint != library_module.parse_library(sources).fingerprint
