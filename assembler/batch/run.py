"""``run_batch``: check a batch's inputs once, then build every deal.

    from assembler.batch import run_batch
    result = run_batch(["deals/"], "out/", formats=("docx", "pdf"), jobs=2)
    for deal in result.failed:
        print(deal.deal, deal.error)
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from assembler.api import WriterOptions, parse_formats
from assembler.assembly.options import BuildOptions
from assembler.base.errors import InputError, Problem

from .local import default_jobs, load_valid_library, run_local
from .model import BatchResult, DealJob, ProgressCallback
from .paths import expand_deal_paths

if TYPE_CHECKING:
    from distributed import Client

_DEFAULT_OPTIONS = BuildOptions()
_DEFAULT_WRITER = WriterOptions()


def _check_house_template(writer: WriterOptions, formats: tuple[str, ...]) -> None:
    """A --reference-docx that cannot be read fails the batch once, not every deal."""
    if writer.reference_docx is not None and "docx" in formats:
        from assembler.writers.docx.template import load_template

        load_template(writer.reference_docx)


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
    dask: Client | str | None = None,
) -> BatchResult:
    """Build every deal into ``out_dir/<deal-stem>/``.

    ``deal_paths`` holds deal files and folders (see :func:`expand_deal_paths`).
    ``jobs`` worker processes (default: the number of cores; 1 builds in this
    process). Worker processes start from a fork server, so a script that
    calls this with ``jobs`` > 1 must do so under ``if __name__ == "__main__":``
    (as with any multiprocessing code).

    ``dask`` builds on a Dask cluster instead (``pip install 'dealdraft[dask]'``):
    a ``distributed.Client``, a scheduler's address (``"tcp://host:8786"``) or
    ``"local"`` (one worker process per core of this machine). Workers get the
    library and the deal files as bytes and send the output files back; they
    are written here, as a local batch writes them, and ``jobs`` must be None.

    Raises :class:`DealdraftError` before building anything when the deal
    list, the formats, the library, a house template or the cluster is
    unusable; problems of single deals are in their results.
    """
    started = time.perf_counter()
    if isinstance(dask, str):
        from .cluster import require_distributed

        require_distributed()
    paths = expand_deal_paths(deal_paths)
    format_list = parse_formats(formats)
    if jobs is not None and jobs < 1:
        raise InputError([Problem(f"must be at least 1 (got {jobs})", field="--jobs")])
    if dask is not None and jobs is not None:
        raise InputError([Problem("cannot be used with --dask: the cluster's workers decide how many deals are built at once", field="--jobs")])
    _check_house_template(writer, format_list)
    overlays = tuple(Path(p) for p in library_overlays)
    out = Path(out_dir)
    # One deal, one core: --jobs says how many deals are built side by side,
    # so a deal's PDFs are not laid out in processes of their own as well.
    one_core = replace(writer, pdf_workers=1)
    batch_jobs = [DealJob(str(p), os.path.abspath(out / p.stem), format_list, options, one_core, force) for p in paths]
    if dask is not None:
        from .cluster import run_on_cluster

        results, threads = run_on_cluster(dask, batch_jobs, overlays, builtin, progress_callback)
        return BatchResult(tuple(results), time.perf_counter() - started, threads, format_list)
    # loaded here too: library errors are reported once, and the cache is warm for the workers
    library = load_valid_library(overlays, builtin)
    workers = max(1, min(jobs or default_jobs(), len(batch_jobs)))
    results = run_local(batch_jobs, workers, library, overlays, builtin, progress_callback)
    return BatchResult(tuple(results), time.perf_counter() - started, workers, format_list)
