"""Builds off the request thread: a small pool of worker processes.

DOCX, PDF and redline builds run in worker processes that load the library
once, so a PDF's layout never holds the server's interpreter and the server
answers other requests (the live preview) meanwhile. Workers are started with
``spawn``: the server has threads, and forking a threaded process is unsafe.
A worker ends when the server process does, however the server ended
(``kill``, a crash): it never lingers holding a loaded library.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_LIBRARY: Any = None


@dataclass(frozen=True, slots=True)
class LibraryRecipe:
    """How a worker loads the same library as the server."""

    overlays: tuple[Path, ...]
    builtin: bool


def _end_with(server_pid: int) -> None:
    """Worker initializer: exit as soon as the server process is gone (the
    worker is then re-parented, so its parent id changes)."""

    def watch() -> None:
        while os.getppid() == server_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="dealdraft-watch-server", daemon=True).start()


def _load(recipe: LibraryRecipe) -> Any:
    global _LIBRARY
    if _LIBRARY is None:
        from assembler.library import load as library_module

        _LIBRARY = library_module.require_valid(library_module.load_library(recipe.overlays, builtin=recipe.builtin))
    return _LIBRARY


def warm_up(recipe: LibraryRecipe) -> str:
    """Load the library and the writers before the first download needs them."""
    library = _load(recipe)
    import assembler.writers.docx  # noqa: F401

    return str(library.fingerprint)


def build_files(recipe: LibraryRecipe, deal_path: str, formats: tuple[str, ...], final: bool, external: bool) -> dict[str, bytes]:
    """The files ``dealdraft build DEAL --format … [--final] [--external]`` writes, in memory."""
    from assembler.api import WriterOptions, load_deal, render_files
    from assembler.assembly.options import BuildOptions
    from assembler.assembly.pipeline import build_deal

    library = _load(recipe)
    deal = load_deal(deal_path, library)
    tree = build_deal(deal, library, options=BuildOptions(final=final, external=external))
    return render_files(tree, formats, WriterOptions())


def build_redline(recipe: LibraryRecipe, old_text: str, new_text: str, name: str, document: str, author: str) -> bytes:
    """The DOCX redline of one document between two versions of a deal."""
    from assembler.assembly.pipeline import build_deal
    from assembler.deal.load import parse_deal
    from assembler.review.redline_docx import write_redline

    library = _load(recipe)
    old = build_deal(parse_deal(old_text, library, name), library)
    new = build_deal(parse_deal(new_text, library, name), library)
    return write_redline(old, new, document, author=author)


class BuildPool:
    """A few worker processes for builds; ``await pool.run(fn, …)``."""

    def __init__(self, recipe: LibraryRecipe, workers: int = 1) -> None:
        self.recipe = recipe
        self._executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_end_with, initargs=(os.getpid(),),
        )
        self._executor.submit(warm_up, recipe)

    async def run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.wrap_future(self._executor.submit(fn, self.recipe, *args))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
