"""The workspace: a plain folder of deal files, their builds and a trash.

Deal names are file stems checked against one pattern, and every path is
confined to the workspace folder. Saves are atomic (temporary file, then
rename) and checked against the version the editor started from, so a second
tab saving the same deal gets a conflict instead of overwriting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from assembler.base.output import write_file_atomic

from .versions import Version, VersionStore

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")
"""A deal's name: its file stem (no dots, no slashes, at most 80 characters)."""
SUFFIX = ".yaml"
STATE_DIR = ".dealdraft"
TRASH_DIR = "trash"
BUILDS_DIR = "builds"
MAX_DEAL_BYTES = 5 * 1024 * 1024


class WorkspaceError(Exception):
    """A request the workspace refuses: a bad name, a missing or existing deal."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class ConflictError(WorkspaceError):
    """The deal changed since the editor loaded it (another tab, or on disk)."""

    def __init__(self, message: str, current: Version | None) -> None:
        super().__init__(message, 409)
        self.current = current


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class DealFile:
    """One deal file of the workspace as it is on disk now."""

    name: str
    path: Path
    text: str
    sha256: str
    modified: dt.datetime


class Workspace:
    """Deal files in one folder; versions in ``.dealdraft/workspace.sqlite``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / STATE_DIR).mkdir(exist_ok=True)
        self.versions = VersionStore(self.root / STATE_DIR / "workspace.sqlite")
        self._lock = threading.Lock()

    # -- names and paths ---------------------------------------------------
    def path_of(self, name: str) -> Path:
        """The file of a deal name; refuses any name that could leave the folder."""
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise WorkspaceError(f"not a deal name: {name[:100]!r} (letters, digits, '-' and '_'; at most 80)")
        path = self.root / f"{name}{SUFFIX}"
        real = Path(os.path.realpath(path))
        if real.parent != self.root:
            raise WorkspaceError(f"deal {name!r} points outside the workspace", 403)
        return path

    def builds_folder(self, name: str, variant: str) -> Path:
        self.path_of(name)
        return self.root / BUILDS_DIR / (name if variant == "draft" else f"{name}-{variant}")

    def names(self) -> list[str]:
        """Every deal file in the workspace folder (hand-written ones too)."""
        found = []
        for entry in sorted(self.root.iterdir()):
            stem = entry.name.removesuffix(SUFFIX)
            if entry.name.endswith(SUFFIX) and NAME.fullmatch(stem) and entry.is_file():
                found.append(stem)
        return found

    # -- reading -------------------------------------------------------------
    def read(self, name: str) -> DealFile:
        """The deal file now, recorded as a version when it changed on disk."""
        path = self.path_of(name)
        try:
            if path.stat().st_size > MAX_DEAL_BYTES:
                raise WorkspaceError(f"{path.name}: larger than {MAX_DEAL_BYTES // 1024 // 1024} MB", 413)
            data = path.read_bytes()
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        except FileNotFoundError:
            raise WorkspaceError(f"no deal named {name!r} in the workspace", 404) from None
        except OSError as exc:
            raise WorkspaceError(f"{path.name}: cannot read ({exc.strerror})") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise WorkspaceError(f"{path.name}: not UTF-8 text") from None
        file = DealFile(name, path, text, sha256_text(text), modified)
        self.versions.sync(name, text, file.sha256)
        return file

    # -- changing ------------------------------------------------------------
    def create(self, name: str, text: str) -> Version:
        path = self.path_of(name)
        with self._lock:
            if path.exists():
                raise WorkspaceError(f"a deal named {name!r} exists already", 409)
            write_file_atomic(path, text.encode("utf-8"))
            return self.versions.record(name, text, sha256_text(text), "created")

    def save(self, name: str, text: str, base_sha256: str) -> Version:
        """Replace the deal file with ``text`` if it is still at ``base_sha256``."""
        path = self.path_of(name)
        with self._lock:
            try:
                current = path.read_text("utf-8")
            except FileNotFoundError:
                raise WorkspaceError(f"deal {name!r} was deleted or renamed since you opened it", 409) from None
            current_sha = sha256_text(current)
            if current_sha != base_sha256:
                latest = self.versions.sync(name, current, current_sha)
                raise ConflictError(
                    f"{name} changed since you opened it (version {latest.number}, {latest.origin} {latest.saved_at_text}). "
                    "Your edits are still in this form: reload the deal to see the other version, then make them again.",
                    latest,
                )
            sha = sha256_text(text)
            if sha == current_sha:
                return self.versions.sync(name, text, sha)
            # The file is replaced in one rename: a kill before it leaves the
            # previous version whole; a kill after it is recorded on next read.
            write_file_atomic(path, text.encode("utf-8"))
            return self.versions.record(name, text, sha, "saved")

    def duplicate(self, name: str, new_name: str) -> Version:
        return self.create(new_name, self.read(name).text)

    def delete(self, name: str) -> Path:
        """Move the deal file to the trash folder (never removed)."""
        path = self.path_of(name)
        with self._lock:
            if not path.is_file():
                raise WorkspaceError(f"no deal named {name!r} in the workspace", 404)
            trash = self.root / TRASH_DIR
            trash.mkdir(exist_ok=True)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            target = trash / f"{name}.{stamp}{SUFFIX}"
            os.replace(path, target)
            builds = self.root / BUILDS_DIR / name
            if builds.is_dir():
                shutil.move(str(builds), str(trash / f"{name}.{stamp}.builds"))
            return target
