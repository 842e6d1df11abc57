"""Run independent CPU-bound work on every core, in forked processes.

``fork_map(work, items)`` is ``[work(item) for item in items]``, spread over
forked workers when that is safe: on Linux, with no other thread running
(a lock held by another thread would stay locked in the child forever) and
not inside a worker of some other pool (``dealdraft batch`` has already
given each worker its share of the cores). The workers inherit ``work``'s
state (a loaded library, compiled templates) instead of receiving it
pickled; only the items' indices go out and the results come back.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from .errors import OutputError

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking workers from this process is safe and worth it."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and multiprocessing.parent_process() is None
    )


_WORK: list[Any] = []
"""(work, items) for the forked workers, inherited, never pickled."""


def fork_map(
    work: Callable[[T], R], items: Sequence[T], *, weight: Callable[[T], float] | None = None,
    workers: int | None = None,
) -> list[R]:
    """``[work(item) for item in items]``, in parallel where safe.

    ``weight`` estimates an item's cost; the heaviest start first so that no
    core is left with one long item at the end. Results keep ``items``' order.
    """
    with fork_pool(work, items, weight=weight, workers=workers) as results:
        return results()


@contextmanager
def fork_pool(
    work: Callable[[T], R], items: Sequence[T], *, weight: Callable[[T], float] | None = None,
    workers: int | None = None,
) -> Iterator[Callable[[], list[R]]]:
    """:func:`fork_map` that starts on entry and lets this process work on.

    ``with fork_pool(work, items) as results: …other work…; done = results()``.
    The workers are forked on entry (so they see the state of this moment);
    where forking is not safe, ``results()`` does the work itself.
    """
    count = min(workers or cores(), len(items))
    if count < 2 or not can_fork():
        yield lambda: [work(item) for item in items]
        return
    order = sorted(range(len(items)), key=lambda i: -weight(items[i])) if weight else list(range(len(items)))
    _WORK[:] = [work, items]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            pending = [pool.submit(_run, index) for index in order]

            def results() -> list[R]:
                done = dict(zip(order, (future.result() for future in pending), strict=True))
                return [done[index] for index in range(len(items))]

            yield results
    except BrokenProcessPool as error:
        raise OutputError(f"a worker process died ({error})") from None
    finally:
        _WORK.clear()


def _run(index: int) -> Any:
    work, items = _WORK
    return work(items[index])


__all__ = ["can_fork", "cores", "fork_map", "fork_pool"]
