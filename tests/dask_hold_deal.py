"""Loaded into a test's Dask workers (``dask worker --preload tests/dask_hold_deal.py``).

When the folder ``$DEALDRAFT_TEST_HOLD_DIR`` holds a file ``deal`` naming a
deal's stem, the first worker to start building that deal writes
``pid name`` to ``held`` in that folder, then holds the task, in the middle
of the build, until the test kills the worker. Any later attempt (on another
worker) builds as usual.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

HOLD_SECONDS = 120


def dask_setup(worker: Any) -> None:
    folder = os.environ.get("DEALDRAFT_TEST_HOLD_DIR")
    if not folder:
        return
    from assembler.batch import remote

    real = remote.render_deal

    def holding(deal: Any, **kwargs: Any) -> Any:
        wanted = Path(folder, "deal")
        if wanted.is_file() and Path(deal.path).stem == wanted.read_text("utf-8").strip():
            note = Path(folder, f"held-by-{os.getpid()}")
            note.write_text(f"{os.getpid()} {worker.name}", "utf-8")
            try:
                os.link(note, Path(folder, "held"))  # atomic, and only the first worker wins
            except FileExistsError:
                pass
            else:
                time.sleep(HOLD_SECONDS)
        return real(deal, **kwargs)

    remote.render_deal = holding
