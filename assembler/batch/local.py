"""Build a batch's deals on this machine: in this process, or in a pool of
worker processes.

The library is loaded once per worker process (a pool initializer), so
start-up and library loading are paid once per worker, not once per deal. A
deal that fails is reported in its result and never stops the others.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from assembler.api import build
from assembler.base.errors import DealdraftError
from assembler.base.parallel import cores
from assembler.library.model import Library

from .model import DealJob, DealResult, ProgressCallback, failed, internal_error_line, problem_lines

_WORKER_LIBRARY: Library | None = None
_BROKEN_POOL_HINT = (
    "a worker process died: out of memory, killed, or started from a script that calls run_batch"
    " outside `if __name__ == '__main__':`"
)


def load_valid_library(overlays: tuple[Path, ...], builtin: bool) -> Library:
    """The library of a batch; :class:`InputError` listing its errors."""
    from assembler.library import load as library_module

    return library_module.require_valid(library_module.load_library(overlays, builtin=builtin))


def default_jobs() -> int:
    """The cores this process may use (a container's CPU set, not the machine's)."""
    return cores()


def run_local(
    jobs: list[DealJob], workers: int, library: Library, overlays: tuple[Path, ...], builtin: bool,
    progress: ProgressCallback | None,
) -> list[DealResult]:
    """Every job's result, in the jobs' order: in this process when
    ``workers`` is 1, else in that many worker processes (which load the
    library from ``overlays`` and ``builtin`` themselves)."""
    if workers == 1:
        return _run_here(jobs, library, progress)
    return _run_pool(jobs, workers, overlays, builtin, progress)


def _init_worker(overlays: tuple[Path, ...], builtin: bool) -> None:
    """Pool initializer: load the library once for every deal this worker builds."""
    global _WORKER_LIBRARY
    _WORKER_LIBRARY = load_valid_library(overlays, builtin)


def _worker_build(job: DealJob) -> DealResult:
    assert _WORKER_LIBRARY is not None, "worker started without its library"
    return _build_one(job, _WORKER_LIBRARY)


def _build_one(job: DealJob, library: Library) -> DealResult:
    """Build one deal; every failure becomes a failed result."""
    started = time.perf_counter()
    name = Path(job.deal).stem
    try:
        result = build(job.deal, job.output_dir, formats=job.formats, library=library, options=job.options, writer=job.writer, force=job.force)
    except DealdraftError as exc:
        return failed(job.deal, job.output_dir, problem_lines(exc), time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - a bug in one deal must not stop the batch
        return failed(job.deal, job.output_dir, (internal_error_line(job.deal, exc),), time.perf_counter() - started)
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


def _run_here(jobs: list[DealJob], library: Library, progress: ProgressCallback | None) -> list[DealResult]:
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
    jobs: list[DealJob], workers: int, overlays: tuple[Path, ...], builtin: bool, progress: ProgressCallback | None
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
    futures: dict[Future[DealResult], int], jobs: list[DealJob], results: dict[int, DealResult], progress: ProgressCallback | None
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
            result = failed(job.deal, job.output_dir, (message,))
        results[index] = result
        if progress:
            progress(result, done, len(jobs))
