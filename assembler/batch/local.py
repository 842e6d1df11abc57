"""``dealdraft batch``: build many deals in one run.

Each deal is built with :func:`assembler.api.build` into ``OUT/<deal-stem>/``.
The library is loaded once per worker process (a pool initializer), so
start-up and library loading are paid once per worker, not once per deal. A
deal that fails is reported in its result and never stops the others.

    from assembler.batch import run_batch
    result = run_batch(["deals/"], "out/", formats=("docx", "pdf"), jobs=2)
    for deal in result.failed:
        print(deal.deal, deal.error)
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from assembler.api import WriterOptions, build, parse_formats
from assembler.assembly.options import BuildOptions
from assembler.base.errors import DealdraftError, InputError, Problem
from assembler.base.parallel import cores
from assembler.library.model import Library

Status = Literal["built", "failed"]
DEAL_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class DealResult:
    """The outcome of one deal of a batch."""

    deal: str
    """The deal file, as given (or as found in a given folder)."""
    name: str
    """The deal file's stem: its output folder under the batch output folder."""
    status: Status
    seconds: float
    output_dir: str
    files: tuple[str, ...] = ()
    """The files written (empty when the deal failed)."""
    errors: tuple[str, ...] = ()
    """Every problem, one line each, as ``dealdraft build`` prints them."""
    warnings: tuple[str, ...] = ()
    blanks: tuple[str, ...] = ()
    """Variables left as ``[●]`` in the draft."""

    @property
    def error(self) -> str:
        """The first error line ("" when the deal was built)."""
        return self.errors[0] if self.errors else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "deal": self.deal,
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "output": self.output_dir,
            "files": list(self.files),
            "error": self.error or None,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "blanks": list(self.blanks),
        }


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Every deal's result, in the order the deals were given."""

    results: tuple[DealResult, ...]
    seconds: float
    jobs: int
    formats: tuple[str, ...] = field(default=())

    @property
    def built(self) -> tuple[DealResult, ...]:
        return tuple(r for r in self.results if r.status == "built")

    @property
    def failed(self) -> tuple[DealResult, ...]:
        return tuple(r for r in self.results if r.status == "failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": len(self.results),
            "built": len(self.built),
            "failed": len(self.failed),
            "seconds": round(self.seconds, 3),
            "jobs": self.jobs,
            "formats": list(self.formats),
            "deals": [r.as_dict() for r in self.results],
        }


ProgressCallback = Callable[[DealResult, int, int], None]
"""Called in the calling process as each deal finishes: (result, done, total)."""


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


@dataclass(frozen=True, slots=True)
class _Job:
    """What a worker needs to build one deal (picklable)."""

    deal: str
    output_dir: str
    formats: tuple[str, ...]
    options: BuildOptions
    writer: WriterOptions
    force: bool


_WORKER_LIBRARY: Library | None = None
_BROKEN_POOL_HINT = (
    "a worker process died: out of memory, killed, or started from a script that calls run_batch"
    " outside `if __name__ == '__main__':`"
)
_DEFAULT_OPTIONS = BuildOptions()
_DEFAULT_WRITER = WriterOptions()


def _load(overlays: tuple[Path, ...], builtin: bool) -> Library:
    from assembler.library import load as library_module

    return library_module.require_valid(library_module.load_library(overlays, builtin=builtin))


def _init_worker(overlays: tuple[Path, ...], builtin: bool) -> None:
    """Pool initializer: load the library once for every deal this worker builds."""
    global _WORKER_LIBRARY
    _WORKER_LIBRARY = _load(overlays, builtin)


def _worker_build(job: _Job) -> DealResult:
    assert _WORKER_LIBRARY is not None, "worker started without its library"
    return _build_one(job, _WORKER_LIBRARY)


def _build_one(job: _Job, library: Library) -> DealResult:
    """Build one deal; every failure becomes a failed result."""
    started = time.perf_counter()
    name = Path(job.deal).stem
    try:
        result = build(job.deal, job.output_dir, formats=job.formats, library=library, options=job.options, writer=job.writer, force=job.force)
    except DealdraftError as exc:
        lines = tuple(str(p) for p in exc.problems) or (str(exc),)
        return DealResult(job.deal, name, "failed", time.perf_counter() - started, job.output_dir, errors=lines)
    except Exception as exc:  # noqa: BLE001 - a bug in one deal must not stop the batch
        line = f"{job.deal}: internal error: {type(exc).__name__}: {exc}"
        return DealResult(job.deal, name, "failed", time.perf_counter() - started, job.output_dir, errors=(line,))
    return DealResult(
        job.deal,
        name,
        "built",
        time.perf_counter() - started,
        job.output_dir,
        files=tuple(str(p) for p in result.files),
        warnings=tuple(str(w) for w in result.warnings),
        blanks=tuple(result.blanks),
    )


def run_batch(
    deal_paths: Sequence[Path | str],
    out_dir: Path | str,
    *,
    formats: Iterable[str] | str = ("md",),
    jobs: int | None = None,
    library_overlays: Iterable[Path | str] = (),
    builtin: bool = True,
    options: BuildOptions = _DEFAULT_OPTIONS,
    writer: WriterOptions = _DEFAULT_WRITER,
    force: bool = False,
    progress_callback: ProgressCallback | None = None,
) -> BatchResult:
    """Build every deal into ``out_dir/<deal-stem>/``.

    ``deal_paths`` holds deal files and folders (see :func:`expand_deal_paths`).
    ``jobs`` worker processes (default: the number of cores; 1 builds in this
    process). Worker processes start from a fork server, so a script that
    calls this with ``jobs`` > 1 must do so under ``if __name__ == "__main__":``
    (as with any multiprocessing code). Raises
    :class:`InputError` before building anything when the deal list, the
    formats or the library is unusable; problems of single deals are in their
    results.
    """
    started = time.perf_counter()
    paths = expand_deal_paths(deal_paths)
    format_list = parse_formats(formats)
    if jobs is not None and jobs < 1:
        raise InputError([Problem(f"must be at least 1 (got {jobs})", field="--jobs")])
    overlays = tuple(Path(p) for p in library_overlays)
    # loaded here too: library errors are reported once, and the cache is warm for the workers
    library = _load(overlays, builtin)
    out = Path(out_dir)
    # One deal, one core: --jobs says how many deals are built side by side,
    # so a deal's PDFs are not laid out in processes of their own as well.
    one_core = replace(writer, pdf_workers=1)
    batch_jobs = [
        _Job(str(p), os.path.abspath(out / p.stem), format_list, options, one_core, force) for p in paths
    ]
    workers = max(1, min(jobs or default_jobs(), len(batch_jobs)))
    if workers == 1:
        results = _run_here(batch_jobs, library, progress_callback)
    else:
        results = _run_pool(batch_jobs, workers, overlays, builtin, progress_callback)
    return BatchResult(tuple(results), time.perf_counter() - started, workers, format_list)


def default_jobs() -> int:
    """The cores this process may use (a container's CPU set, not the machine's)."""
    return cores()


def _run_here(jobs: list[_Job], library: Library, progress: ProgressCallback | None) -> list[DealResult]:
    results = []
    for done, job in enumerate(jobs, 1):
        result = _build_one(job, library)
        results.append(result)
        if progress:
            progress(result, done, len(jobs))
    return results


def _mp_context() -> multiprocessing.context.BaseContext:
    """A fork server where there is one: workers fork from a process that has
    imported dealdraft once (cheap start), and not from this process, which
    may be running threads (a progress bar) that make a plain fork unsafe."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["assembler.batch"])
        return context
    return multiprocessing.get_context()


def _run_pool(
    jobs: list[_Job], workers: int, overlays: tuple[Path, ...], builtin: bool, progress: ProgressCallback | None
) -> list[DealResult]:
    results: dict[int, DealResult] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(), initializer=_init_worker, initargs=(overlays, builtin)) as pool:
        futures: dict[Future[DealResult], int] = {pool.submit(_worker_build, job): index for index, job in enumerate(jobs)}
        try:
            _collect(futures, jobs, results, progress)
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)  # deals not yet started are dropped; builds are atomic
            raise
    return [results[i] for i in range(len(jobs))]


def _collect(
    futures: dict[Future[DealResult], int], jobs: list[_Job], results: dict[int, DealResult], progress: ProgressCallback | None
) -> None:
    for done, future in enumerate(as_completed(futures), 1):
        index = futures[future]
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a worker that died (BrokenProcessPool) or failed to start
            job = jobs[index]
            message = f"{job.deal}: the worker building this deal failed: {type(exc).__name__}: {exc}".rstrip(": ")
            if isinstance(exc, BrokenProcessPool):
                message += f" ({_BROKEN_POOL_HINT})"
            result = DealResult(job.deal, Path(job.deal).stem, "failed", 0.0, job.output_dir, errors=(message,))
        results[index] = result
        if progress:
            progress(result, done, len(jobs))
