"""A content-hash cache of the validated library and compiled templates.

Loading and validating a few hundred clauses costs most of a build; when no
library file changed, the validated library is read back from the cache
instead. The key is the SHA-256 of every library file's path and content plus
the versions of dealdraft, Python and pydantic, so any change — or an upgrade —
misses the cache, and so does any change to dealdraft's own code. The
cache is an optimisation only: a cache that cannot be
read or written is ignored. ``DEALDRAFT_CACHE_DIR`` moves it;
``DEALDRAFT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import secrets
import sys
from pathlib import Path
from typing import Any

import pydantic

from assembler.base.version import __version__


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("DEALDRAFT_NO_CACHE"):
        return None
    explicit = os.environ.get("DEALDRAFT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dealdraft"


@functools.cache
def code_stamp() -> str:
    """The package's own source files (name, size, modification time): a
    changed validator or lint rule never reads a result made by the old one."""
    package = Path(__file__).resolve().parents[1]  # the whole assembler package
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(package)}|{info.st_size}|{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def content_key(files: list[tuple[str, bytes]], salt: str = "") -> str:
    """A key for a list of (name, content) pairs, the tool's versions and its code."""
    digest = hashlib.sha256(f"{__version__}|{code_stamp()}|{sys.version}|{pydantic.VERSION}|{salt}".encode())
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def read(kind: str, key: str) -> Any | None:
    """The cached object of ``kind`` under ``key``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{kind}-{key}.pickle"
    try:
        with open(path, "rb") as handle:
            # Only ever files this tool wrote under the user's own cache folder.
            return pickle.load(handle)  # noqa: S301
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


KEEP = 8
"""Entries kept per kind: a few libraries (overlays, versions) stay warm."""


def write(kind: str, key: str, value: Any) -> None:
    """Store ``value``; beyond the :data:`KEEP` most recent, entries of the same kind go."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        temp = folder / f".{kind}-{key}.{secrets.token_hex(4)}.tmp"
        temp.write_bytes(data)
        os.replace(temp, folder / f"{kind}-{key}.pickle")
        entries = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return


def bytecode_dir() -> Path | None:
    """Where compiled clause templates are kept between runs."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        path = folder / "templates"
        path.mkdir(parents=True, exist_ok=True)
        return path
    except OSError:
        return None
