"""What a worker of a cluster runs for a batch: build one deal into bytes.

Nothing here reads the client's disk or writes anywhere: a task gets the
deal file's text, the library as a :class:`LibraryBundle` (every file's bytes)
and a house template's bytes, and returns the output files as bytes. So a
task may run twice (a worker lost mid-task) without harm; the client writes.

A worker process keeps each library it loaded, by fingerprint, for every
later deal, and loads a library only after checking that the bytes it got
make the library the client named.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.metadata
import pickle
import shutil
import tempfile
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from assembler.api import WriterOptions, render_deal
from assembler.assembly.options import BuildOptions
from assembler.base.errors import DealdraftError
from assembler.base.resources import templates_dir
from assembler.base.version import __version__
from assembler.deal.load import parse_deal
from assembler.library import load as library_module
from assembler.library.model import Library

from .model import Status, internal_error_line, problem_lines

_OUTPUT_PACKAGES = ("python-docx", "lxml", "weasyprint", "pydyf", "fonttools", "markdown-it-py", "Jinja2", "Babel", "num2words")
"""The packages whose versions shape an output file's bytes."""


@cache
def tool_stamp() -> str:
    """This installation as far as it decides an output's bytes: dealdraft's
    version, its templates' content and the versions of the writers' packages."""
    digest = hashlib.sha256()
    root = templates_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    parts = [f"dealdraft {__version__}", f"templates {digest.hexdigest()[:12]}"]
    for name in _OUTPUT_PACKAGES:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class LibraryBundle:
    """A clause library as it travels to workers: its files' bytes,
    compressed, and the fingerprint they must make."""

    fingerprint: str
    key: str
    """Names this library as the client loaded it: its fingerprint, the
    names its files go by in messages, and the client's installation."""
    packed: bytes
    """zlib-compressed pickle of :class:`~assembler.library.load.LibrarySources`."""
    tool: str
    """The client's :func:`tool_stamp`: a worker must match it to build."""

    @classmethod
    def pack(cls, sources: library_module.LibrarySources, fingerprint: str) -> LibraryBundle:
        # The fingerprint covers what the files say; the same files under
        # other folder names give other file names in messages.
        names = "\0".join([*sources.roots, *(s.display for s in sources.files), *map(str, sources.problems), tool_stamp()])
        key = f"{fingerprint.removeprefix('sha256:')}-{hashlib.sha256(names.encode()).hexdigest()[:16]}"
        return cls(fingerprint, key, zlib.compress(pickle.dumps(sources, protocol=pickle.HIGHEST_PROTOCOL), 6), tool_stamp())

    def unpack(self) -> library_module.LibrarySources:
        sources = pickle.loads(zlib.decompress(self.packed))  # noqa: S301 - our own bytes, from our client
        assert isinstance(sources, library_module.LibrarySources)
        return sources


@dataclass(frozen=True, slots=True)
class HouseTemplate:
    """A ``--reference-docx`` as it travels to workers."""

    name: str
    """The path given on the client."""
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class RemoteDeal:
    """One deal, as a worker gets it (no path of the client's disk is opened)."""

    deal: str
    """The deal file's path on the client: it names the deal in errors."""
    text: str
    formats: tuple[str, ...]
    options: BuildOptions
    writer: WriterOptions


@dataclass(frozen=True, slots=True)
class RemoteResult:
    """What a worker sends back for one deal."""

    status: Status
    seconds: float
    files: tuple[tuple[str, bytes], ...] = ()
    """(file name, content), ``deal.lock.json`` included; empty when failed."""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    blanks: tuple[str, ...] = ()


class WorkerMismatch(Exception):
    """This worker cannot build what the client asked for byte for byte."""


def keep(value: object) -> object:
    """A task that holds a value (the library bundle) for the tasks that need it."""
    return value


def build_remote(deal: RemoteDeal, bundle: LibraryBundle, house: HouseTemplate | None = None) -> RemoteResult:
    """Build one deal into bytes; every failure becomes a failed result."""
    started = time.perf_counter()
    try:
        library = worker_library(bundle)
        writer = deal.writer if house is None else replace(deal.writer, reference_docx=_house_path(house))
        rendered = render_deal(parse_deal(deal.text, library, deal.deal), formats=deal.formats, library=library,
                               options=deal.options, writer=writer)
    except DealdraftError as exc:
        return RemoteResult("failed", time.perf_counter() - started, errors=problem_lines(exc))
    except WorkerMismatch as exc:
        return RemoteResult("failed", time.perf_counter() - started, errors=(f"{deal.deal}: {exc}",))
    except Exception as exc:  # noqa: BLE001 - a bug in one deal must not stop the batch
        return RemoteResult("failed", time.perf_counter() - started, errors=(internal_error_line(deal.deal, exc),))
    return RemoteResult(
        "built",
        time.perf_counter() - started,
        files=tuple(sorted(rendered.files.items())),
        warnings=tuple(str(w) for w in rendered.warnings),
        blanks=tuple(rendered.build.blanks),
    )


_LIBRARIES: dict[str, Library] = {}
_LOADS: Counter[str] = Counter()
_LOCK = threading.Lock()
_KEEP_LIBRARIES = 4


def worker_library(bundle: LibraryBundle) -> Library:
    """The library ``bundle`` names, loaded once per process (and kept for
    later batches: a few libraries, the most recent).

    Raises :class:`WorkerMismatch` when this worker's installation differs
    from the client's, or when the bundle's files do not make the library
    with the fingerprint the client named.
    """
    with _LOCK:
        library = _LIBRARIES.get(bundle.key)
        if library is not None:
            return library
        if bundle.tool != tool_stamp():
            ours, theirs = tool_stamp().split("; "), bundle.tool.split("; ")
            differ = ", ".join(f"{mine} (client: {client})" for mine, client in zip(ours, theirs, strict=False) if mine != client)
            raise WorkerMismatch(f"this worker cannot build the same bytes as the client: {differ}; install the same versions on every machine")
        library = library_module.require_valid(library_module.parse_library(bundle.unpack()))
        if library.fingerprint != bundle.fingerprint:
            raise WorkerMismatch(
                f"the library this worker received loads as {library.fingerprint}, not {bundle.fingerprint} as the client named; nothing was built"
            )
        while len(_LIBRARIES) >= _KEEP_LIBRARIES:
            del _LIBRARIES[next(iter(_LIBRARIES))]
        _LIBRARIES[bundle.key] = library
        _LOADS[bundle.key] += 1
        return library


def library_loads() -> dict[str, int]:
    """Library (its bundle's key) → how often this process loaded it."""
    with _LOCK:
        return dict(_LOADS)


_HOUSE_DIR: list[Path] = []


def _house_path(house: HouseTemplate) -> Path:
    """The house template as a file of this worker (one per content)."""
    with _LOCK:
        if not _HOUSE_DIR:
            folder = Path(tempfile.mkdtemp(prefix="dealdraft-house-"))
            atexit.register(shutil.rmtree, folder, True)
            _HOUSE_DIR.append(folder)
        path = _HOUSE_DIR[0] / house.sha256 / Path(house.name).name
        if not path.is_file():
            path.parent.mkdir(exist_ok=True)
            temp = path.with_name(path.name + ".tmp")
            temp.write_bytes(house.data)
            temp.replace(path)
        return path
