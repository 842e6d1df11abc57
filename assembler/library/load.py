"""Stage 1: load the clause library (built-in folder plus overlays).

A library root holds clause files (``**/*.yaml``, each a list of clauses),
deal types (``deal-types/*.yaml``) and shared document outlines
(``documents/*.yaml``). Overlays given with ``--library`` come later and win
by id. Every problem of every file is collected before anything fails.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assembler.base.errors import InputError, Problem
from assembler.base.parallel import fork_map
from assembler.base.resources import clauses_dir
from assembler.library import cache

from .checks import check_defaults, check_outlines, index_variables
from .conventions import CONVENTIONS_FILE, ConventionsSpec, merge
from .deal_type_schema import DealTypeSpec, DocumentSpec
from .layout import layout_problem
from .model import Clause, Library, Sourced
from .schema import ClauseSpec
from .validation import validate
from .yamlio import MAX_YAML_BYTES, LineDict, LineList, loads, read_limited

MAX_LIBRARY_FILES = 20_000


def _display(root: Path, file: Path, builtin: bool) -> str:
    rel = file.relative_to(root).as_posix()
    return f"clauses/{rel}" if builtin else str(root / rel)


def _check_root(root: Path, problems: list[Problem]) -> bool:
    name = str(root)
    try:
        if root.is_symlink() and not root.exists():
            problems.append(Problem("library folder is a broken symlink or a symlink loop", name, field="--library"))
            return False
        if not root.exists():
            problems.append(Problem("library folder does not exist", name, field="--library"))
            return False
        if not root.is_dir():
            problems.append(Problem("library must be a folder, not a file", name, field="--library"))
            return False
        root.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        problems.append(Problem(f"cannot open library folder ({exc})", name, field="--library"))
        return False
    return True


def _library_files(root: Path, problems: list[Problem]) -> list[Path]:
    files: list[Path] = []
    seen_dirs: set[Path] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            real = folder.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.append(Problem("cannot resolve folder (symlink loop?)", str(folder)))
            continue
        if real in seen_dirs:
            problems.append(Problem("folder reached twice (symlink loop?)", str(folder)))
            continue
        seen_dirs.add(real)
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            problems.append(Problem(f"cannot list folder ({exc.strerror})", str(folder)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.suffix in (".yaml", ".yml"):
                files.append(entry)
        if len(files) > MAX_LIBRARY_FILES:
            problems.append(Problem(f"more than {MAX_LIBRARY_FILES:,} YAML files", str(root)))
            break
    return sorted(files)


@dataclass(frozen=True, slots=True)
class LibrarySource:
    """One library file, read."""

    root: str
    """The library folder it was found in, as given."""
    display: str
    """How problems name it (``clauses/ip/ownership.yaml`` for the built-in library)."""
    rel: str
    """Its path inside its library folder."""
    raw: bytes


@dataclass(frozen=True, slots=True)
class LibrarySources:
    """Every file of a library as bytes: what :func:`parse_library` turns
    into a :class:`Library`, and all that a machine without the library's
    folders needs to load the same library."""

    roots: tuple[str, ...]
    files: tuple[LibrarySource, ...]
    problems: tuple[Problem, ...] = ()
    """Files that could not be read."""


def read_library(overlays: list[Path] | tuple[Path, ...] = (), *, builtin: bool = True) -> LibrarySources:
    """Read the files of the built-in library and any overlays.

    Raises :class:`InputError` only when a library folder cannot be used at
    all; a file that cannot be read is one of the returned problems.
    """
    problems: list[Problem] = []
    roots: list[tuple[Path, bool]] = [(clauses_dir(), True)] if builtin else []
    roots += [(Path(p), False) for p in overlays]
    usable = [(root, b) for root, b in roots if _check_root(root, problems)]
    if not roots:
        problems.append(Problem("no clause library: give --library DIR when not using the built-in library", field="--library"))
    if problems:
        raise InputError(problems)
    files: list[LibrarySource] = []
    for root, is_builtin in usable:
        for file in _library_files(root, problems):
            display = _display(root, file, is_builtin)
            try:
                raw = read_limited(file, display, MAX_YAML_BYTES)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            except OSError as exc:
                problems.append(Problem(f"cannot read ({exc.strerror or exc})", display))
                continue
            files.append(LibrarySource(str(root), display, file.relative_to(root).as_posix(), raw))
    return LibrarySources(tuple(str(root) for root, _ in usable), tuple(files), tuple(problems))


def load_library(overlays: list[Path] | tuple[Path, ...] = (), *, builtin: bool = True) -> Library:
    """Load the built-in library and any overlays; problems are collected.

    Raises :class:`InputError` only when a library folder cannot be used at
    all; clause-level problems are in ``Library.problems`` (see
    :func:`require_valid`).
    """
    return parse_library(read_library(overlays, builtin=builtin))


def parse_library(sources: LibrarySources) -> Library:
    """The library made of files already read: the same library, fingerprint
    and problems as :func:`load_library` of the folders they were read from."""
    library = Library()
    problems = list(sources.problems)
    key = cache.content_key([(f"{s.display}|{s.rel}", s.raw) for s in sources.files], salt=repr(problems))
    cached = cache.read("library", key)
    if isinstance(cached, Library):
        return cached
    digest = hashlib.sha256()
    declared_in: dict[str, str] = {}
    own_ids: dict[str, str] = {}
    current_root: str | None = None
    # Reading and validating the files is independent work: on every core.
    read = fork_map(_read_source, [(s.display, s.rel, s.raw) for s in sources.files],
                    weight=lambda source: len(source[2]),
                    workers=None if sum(len(s.raw) for s in sources.files) > _PARALLEL_BYTES else 1)
    for source, (kind, data, found) in zip(sources.files, read, strict=True):
        if source.root != current_root:
            own_ids, current_root = {}, source.root
        digest.update(source.rel.encode() + b"\0" + hashlib.sha256(source.raw).digest())
        problems.extend(found)
        if kind == "clauses":
            _add_clauses(library, data, source.display, problems, own_ids, declared_in)
        elif kind == "deal-types":
            _load_deal_type(library, data, source.display, problems)
        elif kind == "documents":
            _load_document(library, data, source.display, problems)
        elif kind == "conventions":
            _load_conventions(library, data, source.display, problems)
    library.roots = sources.roots
    library.fingerprint = "sha256:" + digest.hexdigest()
    index_variables(library, problems)
    check_outlines(library, problems)
    library.problems = problems
    cache.write("library", key, library)
    return library


def _decode(raw: bytes, display: str) -> str:
    if len(raw) > MAX_YAML_BYTES:
        raise InputError([Problem(f"file is {len(raw):,} bytes; the limit is {MAX_YAML_BYTES:,} bytes", display)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(f"not UTF-8 text (byte {exc.start})", display)]) from None


def require_valid(library: Library) -> Library:
    """Raise :class:`InputError` listing every error of the library."""
    errors = library.errors()
    if errors:
        raise InputError(errors)
    return library


_Item = tuple[int, ClauseSpec | str | None, list[Problem], list[Problem]]
"""One clause of a file: line, spec (or, when it is invalid, its id), validation problems,
default-value problems."""

_PARALLEL_BYTES = 1_000_000
"""Libraries larger than this are read on every core (smaller ones are
read faster than worker processes start)."""


def _read_source(source: tuple[str, str, bytes]) -> tuple[str, Any, list[Problem]]:
    """Parse one library file; clause files are validated too.

    Returns (kind, data, problems). kind is "clauses" (data: the validated
    items), "deal-types" or "documents" (data: the parsed YAML, which the
    caller validates), or "unreadable".
    """
    display, rel, raw = source
    try:
        data = loads(_decode(raw, display), display)
    except InputError as exc:
        return "unreadable", None, list(exc.problems)
    top = rel.split("/", 1)[0]
    if top in ("deal-types", "documents") and "/" in rel:
        return top, data, []
    if rel == CONVENTIONS_FILE:
        return "conventions", data, []
    misplaced = layout_problem(rel, data, display)
    if misplaced is not None:
        # Reported once, and the file is read as what it is, so that nothing
        # that depends on it fails as well.
        kind, problem = misplaced
        return kind, data, [problem]
    problems: list[Problem] = []
    return "clauses", _validate_clauses(data, display, problems), problems


def _validate_clauses(data: Any, display: str, problems: list[Problem]) -> list[_Item]:
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem("a clause file must be a list of clauses", display, getattr(data, "line", 1)))
        return []
    items: list[_Item] = []
    for index, raw in enumerate(data):
        line = data.line_of(index) if isinstance(data, LineList) else 1
        clause_id = raw.get("id") if isinstance(raw, dict) else None
        label = clause_id if isinstance(clause_id, str) else f"#{index + 1}"
        if not isinstance(raw, dict):
            items.append((line, None, [Problem("a clause must be a mapping", display, line, label)], []))
            continue
        spec, found = validate(ClauseSpec, raw, path=display, clause=label)
        defaults: list[Problem] = []
        if spec is not None and isinstance(raw, LineDict):  # every mapping the loader reads is one
            check_defaults(spec, raw, display, defaults)
        items.append((line, spec if spec is not None else clause_id if isinstance(clause_id, str) else None, found, defaults))
    return items


def _add_clauses(
    library: Library,
    items: list[_Item],
    display: str,
    problems: list[Problem],
    own_ids: dict[str, str],
    declared_in: dict[str, str],
) -> None:
    for line, spec, found, defaults in items:
        problems.extend(found)
        if spec is None:
            continue
        if isinstance(spec, str):
            # An invalid clause with an id: what refers to it is not "unknown"
            library.invalid[spec] = f"{display}:{line}"
            continue
        if spec.id in own_ids:
            problems.append(
                Problem(f"duplicate clause id (also in {own_ids[spec.id]})", display, line, spec.id, "id")
            )
            continue
        own_ids[spec.id] = f"{display}:{line}"
        if spec.id in library.clauses:
            library.overridden.append(f"clause {spec.id}: {declared_in[spec.id]} replaced by {display}:{line}")
        declared_in[spec.id] = f"{display}:{line}"
        library.clauses[spec.id] = Clause(spec, display, line)
        problems.extend(defaults)


def _load_deal_type(library: Library, data: Any, display: str, problems: list[Problem]) -> None:
    if not isinstance(data, dict):
        problems.append(Problem("a deal type file must be a mapping", display))
        return
    spec, found = validate(DealTypeSpec, data, path=display)
    problems.extend(found)
    if spec is not None:
        library.deal_types[spec.id] = Sourced(spec, display, getattr(data, "line", 1))


def _load_document(library: Library, data: Any, display: str, problems: list[Problem]) -> None:
    if not isinstance(data, dict):
        problems.append(Problem("a document outline file must be a mapping", display))
        return
    spec, found = validate(DocumentSpec, data, path=display)
    problems.extend(found)
    if spec is not None:
        library.documents[spec.id] = Sourced(spec, display, getattr(data, "line", 1))


def _load_conventions(library: Library, data: Any, display: str, problems: list[Problem]) -> None:
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem("conventions.yaml must be a mapping (money, numbers, dates, definitions, laws)", display))
        return
    spec, found = validate(ConventionsSpec, data, path=display)
    problems.extend(found)
    if spec is not None:
        library.conventions = merge(library.conventions, spec)
