"""Every version of every deal, in SQLite inside the workspace.

A version is the full text of the deal file, so any two can be built and
compared. A file changed by hand between two saves becomes a version of its
own ("edited outside") the next time the workspace reads it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    deal TEXT NOT NULL,
    number INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    origin TEXT NOT NULL,
    PRIMARY KEY (deal, number)
)
"""


@dataclass(frozen=True, slots=True)
class Version:
    """One saved state of a deal file."""

    deal: str
    number: int
    sha256: str
    text: str
    saved_at: str
    """UTC, ISO 8601 to the second."""
    origin: str
    """created · saved · edited outside"""

    @property
    def saved_at_text(self) -> str:
        return self.saved_at.replace("T", " ").removesuffix("+00:00") + " UTC"


class VersionStore:
    """Versions of the workspace's deals (one SQLite file, safe across threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            yield db
        finally:
            db.close()

    def record(self, deal: str, text: str, sha256: str, origin: str) -> Version:
        """Add a version (the next number) unless the latest has this text."""
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT number, sha256 FROM versions WHERE deal = ? ORDER BY number DESC LIMIT 1", (deal,)).fetchone()
                if row is not None and row[1] == sha256:
                    db.execute("COMMIT")
                    return self.get(deal, row[0])
                number = (row[0] if row else 0) + 1
                db.execute("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?)", (deal, number, sha256, text, now, origin))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return Version(deal, number, sha256, text, now, origin)

    def sync(self, deal: str, text: str, sha256: str) -> Version:
        """The latest version, first recording the file's text when it differs."""
        latest = self.latest(deal)
        if latest is not None and latest.sha256 == sha256:
            return latest
        return self.record(deal, text, sha256, "created" if latest is None else "edited outside")

    def latest(self, deal: str) -> Version | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM versions WHERE deal = ? ORDER BY number DESC LIMIT 1", (deal,)).fetchone()
        return Version(*row) if row else None

    def get(self, deal: str, number: int) -> Version:
        with self._connect() as db:
            row = db.execute("SELECT * FROM versions WHERE deal = ? AND number = ?", (deal, number)).fetchone()
        if row is None:
            raise KeyError(f"{deal} has no version {number}")
        return Version(*row)

    def by_sha(self, deal: str, sha256: str) -> Version | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM versions WHERE deal = ? AND sha256 = ? ORDER BY number DESC LIMIT 1", (deal, sha256)).fetchone()
        return Version(*row) if row else None

    def all(self, deal: str) -> list[Version]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM versions WHERE deal = ? ORDER BY number", (deal,)).fetchall()
        return [Version(*row) for row in rows]
