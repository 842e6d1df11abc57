"""Which deal files a batch builds: files and folders given, or paths on standard input."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from assembler.base.errors import InputError, Problem

DEAL_SUFFIXES = (".yaml", ".yml")


def read_path_list(text: str) -> list[Path]:
    """Deal paths from text (``-`` on the command line): one per line;
    blank lines and ``#`` comments are skipped."""
    paths = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            paths.append(Path(line))
    return paths


def expand_deal_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Deal files as given, and the ``*.yaml``/``*.yml`` files of given
    folders (sorted, hidden files skipped); a file given twice counts once.

    Raises :class:`InputError` listing every path that is missing, a folder
    without deal files, and every pair of deals with the same stem (they
    would share an output folder).
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix in DEAL_SUFFIXES and p.is_file() and not p.name.startswith("."))
            if not inside:
                problems.append(Problem("folder has no deal files (*.yaml, *.yml)", str(path), field="DEALS"))
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem("no such deal file or folder", str(path), field="DEALS"))
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    problems += _stem_clashes(unique)
    if problems:
        raise InputError(problems)
    if not unique:
        raise InputError([Problem("no deal files given", field="DEALS")])
    return unique


def _stem_clashes(paths: list[Path]) -> list[Problem]:
    # case-insensitively: out/Acme and out/acme are one folder on macOS and Windows
    by_stem: dict[str, list[Path]] = {}
    for path in paths:
        by_stem.setdefault(path.stem.casefold(), []).append(path)
    return [
        Problem(f"deals {', '.join(str(p) for p in same)} would share the output folder {same[0].stem!r}; rename one", field="DEALS")
        for same in by_stem.values()
        if len(same) > 1
    ]
