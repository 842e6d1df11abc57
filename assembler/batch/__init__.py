"""Stage 8: ``dealdraft batch``, many deals in one run.

``local.py`` builds them in a pool of processes on this machine.

    from assembler.batch import run_batch
    result = run_batch(["deals/"], "out/", formats=("docx", "pdf"), jobs=2)
"""

from .local import (
    DEAL_SUFFIXES,
    BatchResult,
    DealResult,
    ProgressCallback,
    Status,
    default_jobs,
    expand_deal_paths,
    read_path_list,
    run_batch,
)

__all__ = [
    "DEAL_SUFFIXES",
    "BatchResult",
    "DealResult",
    "ProgressCallback",
    "Status",
    "default_jobs",
    "expand_deal_paths",
    "read_path_list",
    "run_batch",
]
