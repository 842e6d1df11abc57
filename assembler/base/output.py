"""Write a build's files as one set, atomically.

All files go to a staging folder beside the output folder; the staging folder
then takes the output folder's place in one step (``renameat2`` with
``RENAME_EXCHANGE`` on Linux), so a reader — or a build killed at any moment —
sees either the complete old set or the complete new set. Files in the output
folder that dealdraft did not write are carried over; a file the user edited
since the last build is never overwritten unless forced.

Failure injection, for the reliability tests only: with the environment
variable ``DEALDRAFT_FAULT`` set to a point of the commit when the process
starts, the process kills itself (SIGKILL) on reaching that point, so a test
can prove where a kill lands. The points: ``staged`` (the new set complete in
the staging folder, the output folder untouched) and ``swapped`` (the staging
folder has taken the output folder's place, the old set not yet removed).
Unset, it costs one comparison per build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import secrets
import shutil
import signal
from pathlib import Path

from .errors import OutputError, Problem

MANIFEST = ".dealdraft-manifest.json"
_STAGING_PREFIX = ".dealdraft-staging-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_FAULT = os.environ.get("DEALDRAFT_FAULT", "")


def _reached(point: str) -> None:
    """A failure-injection point (see the module docstring)."""
    if _FAULT == point:
        os.kill(os.getpid(), signal.SIGKILL)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the platform cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result: int = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    """File name → SHA-256 of the files the last build wrote into ``folder``."""
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def edited_files(folder: Path) -> list[str]:
    """Files of the last build that were changed since it was written."""
    edited = []
    for name, digest in sorted(read_manifest(folder).items()):
        path = folder / name
        if path.is_file() and _sha256(path) != digest:
            edited.append(name)
    return edited


def _check_name(name: str) -> None:
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith(".") or "\0" in name:
        raise OutputError([Problem(f"refusing to write output file {name!r}: outside the output folder")])


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_output_set(folder: Path, files: dict[str, bytes], *, force: bool = False) -> list[Path]:
    """Replace the previous build's files in ``folder`` with ``files``."""
    for name in files:
        _check_name(name)
    # a symlinked output folder means its target: write there, keep the link
    folder = Path(os.path.realpath(folder))
    if folder.exists() and not folder.is_dir():
        raise OutputError([Problem("output path exists and is not a folder", str(folder), field="--output")])
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([Problem(f"cannot create the output folder ({exc.strerror})", str(folder), field="--output")]) from None
    _remove_stale_staging(parent, folder.name)
    old = read_manifest(folder) if folder.is_dir() else {}
    if folder.is_dir() and not force:
        edited = [name for name in edited_files(folder) if name in files or name in old]
        if edited:
            raise OutputError(
                [Problem("was edited since the last build; use --force to overwrite it", str(folder / name)) for name in edited]
            )
    staging = parent / f"{_STAGING_PREFIX}{folder.name}-{secrets.token_hex(4)}"
    try:
        staging.mkdir()
        for name, data in sorted(files.items()):
            _write_file(staging / name, data)
        manifest = {"files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}}
        _write_file(staging / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
        if folder.is_dir():
            _carry_over(folder, staging, set(files) | set(old) | {MANIFEST})
        _fsync_dir(staging)
        _reached("staged")
        if not folder.exists():
            os.rename(staging, folder)
        elif _exchange(staging, folder):
            _reached("swapped")
            shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old set
        else:
            _replace_files(staging, folder, files, old)
        _fsync_dir(parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError([Problem(f"cannot write the output ({exc.strerror or exc})", str(folder), field="--output")]) from None
    return [folder / name for name in sorted(files)]


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _carry_over(folder: Path, staging: Path, ours: set[str]) -> None:
    """Bring files dealdraft did not write into the new set."""
    for entry in folder.iterdir():
        if entry.name in ours:
            continue
        target = staging / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry), target)
        elif entry.is_dir():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(entry), str(target))


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _replace_files(staging: Path, folder: Path, files: dict[str, bytes], old: dict[str, str]) -> None:
    """Fallback without an atomic exchange: replace file by file."""
    for name in sorted(files):
        os.replace(staging / name, folder / name)
    for name in old:
        if name not in files and (folder / name).is_file():
            (folder / name).unlink()
    os.replace(staging / MANIFEST, folder / MANIFEST)
    shutil.rmtree(staging, ignore_errors=True)


def _remove_stale_staging(parent: Path, name: str) -> None:
    """Staging folders left by a build that was killed."""
    for entry in parent.glob(f"{_STAGING_PREFIX}{name}-*"):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write one file atomically (temporary file beside it, then rename)."""
    path = Path(os.path.abspath(path))
    temp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_file(temp, data)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError([Problem(f"cannot write ({exc.strerror or exc})", str(path))]) from None
