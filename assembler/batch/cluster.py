"""Build a batch's deals on a Dask cluster; write their files here.

Each deal is one task (:func:`~assembler.batch.remote.build_remote`). What
goes over the network: the library once per worker (every file's bytes,
compressed, as the data of one task named by the library's fingerprint), a
house template's bytes the same way, each deal file's text, and back each
deal's output files as bytes. Workers need no shared disk, and they write
nothing: this process writes each deal's files as one set, atomically, as
a local batch does, so a task that runs again after a worker was lost writes
nothing twice. Dask itself is imported only here.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assembler.base.errors import DealdraftError, InputError, Problem, UnavailableError
from assembler.base.output import write_output_set
from assembler.base.parallel import cores
from assembler.deal.load import MAX_DEAL_BYTES
from assembler.library import load as library_module
from assembler.library.yamlio import read_text

from .model import DealJob, DealResult, ProgressCallback, failed, problem_lines
from .remote import HouseTemplate, LibraryBundle, RemoteDeal, RemoteResult, build_remote, keep

if TYPE_CHECKING:
    from distributed import Client

INSTALL_HINT = "needs Dask's distributed scheduler, which is not installed: pip install 'dealdraft[dask]'"
WORKER_WAIT_SECONDS = 60.0
"""How long a batch waits for a scheduler's first worker."""


def require_distributed() -> Any:
    """The ``distributed`` package; :class:`UnavailableError` saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise UnavailableError([Problem(INSTALL_HINT, field="--dask")]) from None
    return distributed


@contextmanager
def connect(target: Client | str) -> Iterator[Client]:
    """A client of ``target``: a Dask client (used as it is), a scheduler's
    address (``tcp://host:8786``), or ``local`` for a cluster on this machine
    with one single-threaded worker process per core."""
    if not isinstance(target, str):
        yield target
        return
    distributed = require_distributed()
    if target == "local":
        import dask

        # Workers' statistical profiler samples the build every 10 ms for a
        # dashboard that nobody reads here: CPU taken from the deals.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = distributed.LocalCluster(n_workers=cores(), threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0")
        with cluster, distributed.Client(cluster, set_as_default=False) as client:
            yield client
        return
    try:
        client = distributed.Client(target, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise InputError([Problem(f"cannot reach a Dask scheduler at {target!r} ({exc})", field="--dask")]) from None
    with client:
        yield client


def run_on_cluster(
    target: Client | str, jobs: list[DealJob], overlays: tuple[Path, ...], builtin: bool, progress: ProgressCallback | None
) -> tuple[list[DealResult], int]:
    """Every job's result in the jobs' order, and the worker threads the
    cluster had at the start. Input errors (the library, a house template,
    no scheduler, no worker) are raised before any deal is built."""
    sources = library_module.read_library(overlays, builtin=builtin)
    library = library_module.require_valid(library_module.parse_library(sources))
    bundle = LibraryBundle.pack(sources, library.fingerprint)
    house = _house_template(jobs)
    total, done = len(jobs), 0
    results: dict[int, DealResult] = {}

    def report(index: int, result: DealResult) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress:
            progress(result, done, total)

    with connect(target) as client:
        threads = _wait_for_workers(client, target)
        remote: dict[int, RemoteDeal] = {}
        for index, job in enumerate(jobs):
            try:
                text = read_text(Path(job.deal), job.deal, limit=MAX_DEAL_BYTES)
            except DealdraftError as exc:
                report(index, failed(job.deal, job.output_dir, problem_lines(exc)))
                continue
            remote[index] = RemoteDeal(job.deal, text, job.formats, job.options, job.writer)
        if remote:
            _run(client, jobs, remote, bundle, house, report)
    return [results[i] for i in range(total)], threads


def _house_template(jobs: list[DealJob]) -> HouseTemplate | None:
    """The --reference-docx of a batch that writes DOCX, read once here
    (every deal of a batch has the same writer options)."""
    job = jobs[0]
    if job.writer.reference_docx is None or "docx" not in job.formats:
        return None
    from assembler.writers.docx.template import load_template

    template = load_template(job.writer.reference_docx)
    assert template.house is not None
    return HouseTemplate(template.house_name, template.house)


def _wait_for_workers(client: Any, target: Client | str) -> int:
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    except (TimeoutError, OSError):
        where = target if isinstance(target, str) else client.scheduler_info().get("address", "?")
        raise InputError(
            [Problem(f"the Dask scheduler at {where} has no workers (waited {WORKER_WAIT_SECONDS:.0f} s); start some with `dask worker {where}`",
                     field="--dask")]
        ) from None
    threads: dict[str, int] = client.nthreads()
    return sum(threads.values())


def _run(
    client: Any, jobs: list[DealJob], remote: dict[int, RemoteDeal], bundle: LibraryBundle,
    house: HouseTemplate | None, report: Any,
) -> None:
    distributed = require_distributed()
    import dask

    batch = uuid.uuid4().hex[:8]
    # A worker that lacks the library fetches it as the data of this one task
    # (once), from the client's scheduler or a peer; the scheduler recomputes
    # it from the bytes it holds should every copy be lost with its worker.
    with dask.config.set({"distributed.admin.large-graph-warning-threshold": "1 GiB"}):
        library = client.submit(keep, bundle, key=f"dealdraft-library-{bundle.key}", pure=False)
        template = client.submit(keep, house, key=f"dealdraft-house-{house.sha256}", pure=False) if house else None
    indices = list(remote)
    keys = [f"dealdraft-deal-{batch}-{index}-{Path(remote[index].deal).stem}" for index in indices]
    # one graph for the whole batch: one message to the scheduler, not one per deal
    submitted = client.map(build_remote, [remote[i] for i in indices], [library] * len(indices), [template] * len(indices),
                           key=keys, pure=False)
    futures: dict[Any, int] = dict(zip(submitted, indices, strict=True))
    del submitted
    try:
        for future in distributed.as_completed(list(futures), loop=client.loop):
            index = futures.pop(future)
            report(index, _collect(future, jobs[index]))
            future.release()
    except BaseException:
        client.cancel(list(futures))  # deals not yet built are dropped; every written set is complete
        raise
    finally:
        library.release()
        if template is not None:
            template.release()


def _collect(future: Any, job: DealJob) -> DealResult:
    """A finished task's result, its files written into the deal's output folder."""
    started = time.perf_counter()
    try:
        outcome: RemoteResult = future.result()
    except Exception as exc:  # noqa: BLE001 - the task could not run: every worker it ran on died, or it was cancelled
        if type(exc).__name__ == "KilledWorker":
            tries = getattr(exc, "allowed_failures", 0) + 1
            message = f"{job.deal}: every worker that built this deal died ({tries} of them): out of memory or killed"
        else:
            message = f"{job.deal}: the worker building this deal failed: {type(exc).__name__}: {exc}".rstrip(": ")
        return failed(job.deal, job.output_dir, (message,))
    if outcome.status == "failed":
        return failed(job.deal, job.output_dir, outcome.errors, outcome.seconds)
    try:
        written = write_output_set(Path(job.output_dir), dict(outcome.files), force=job.force)
    except DealdraftError as exc:
        return failed(job.deal, job.output_dir, problem_lines(exc), outcome.seconds + time.perf_counter() - started)
    return DealResult(
        job.deal,
        Path(job.deal).stem,
        "built",
        outcome.seconds + time.perf_counter() - started,
        job.output_dir,
        files=tuple(str(p) for p in written),
        warnings=outcome.warnings,
        blanks=outcome.blanks,
    )
