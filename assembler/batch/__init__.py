"""Stage 8: ``dealdraft batch``, many deals in one run.

``run.py`` checks a batch's inputs once and hands the deals to ``local.py``,
which builds them in a pool of processes on this machine, or to
``cluster.py``, which builds them as tasks on a Dask cluster (``remote.py``
is what a worker runs) and writes their files here. ``model.py`` holds the
jobs and results, ``paths.py`` finds the deal files. Dask is imported only
for a batch on a cluster.

    from assembler.batch import run_batch
    result = run_batch(["deals/"], "out/", formats=("docx", "pdf"), jobs=2)
    result = run_batch(["deals/"], "out/", formats=("docx", "pdf"), dask="tcp://scheduler:8786")
"""

from .local import default_jobs
from .model import BatchResult, DealJob, DealResult, ProgressCallback, Status
from .paths import DEAL_SUFFIXES, expand_deal_paths, read_path_list
from .run import run_batch

__all__ = [
    "DEAL_SUFFIXES",
    "BatchResult",
    "DealJob",
    "DealResult",
    "ProgressCallback",
    "Status",
    "default_jobs",
    "expand_deal_paths",
    "read_path_list",
    "run_batch",
]
