"""Resource limits that keep a hostile library or deal from hanging or
exhausting the machine: a time budget per clause render and a memory ceiling
for the whole command."""

from __future__ import annotations

import contextlib
import resource
import signal
import threading
from collections.abc import Iterator
from types import FrameType

RENDER_SECONDS = 10.0
MEMORY_BYTES = 1024**3


class RenderTimeout(Exception):
    """A clause took longer than its render budget."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise RenderTimeout


@contextlib.contextmanager
def time_limit(seconds: float = RENDER_SECONDS) -> Iterator[None]:
    """Raise :class:`RenderTimeout` inside the block after ``seconds``.

    Uses a real-time interval timer, so it works only in the main thread; in
    other threads the block runs unbounded (the process-wide memory ceiling
    still holds).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_memory(extra: int = MEMORY_BYTES) -> None:
    """Cap the data segment at what the process uses now plus ``extra``.

    Past the cap, allocations fail with MemoryError, which the CLI reports as
    a clear error naming the limit.
    """
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[5])  # data + stack pages
        used = pages * resource.getpagesize()
        cap = used + extra
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft == resource.RLIM_INFINITY or soft > cap:
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    except (OSError, ValueError, IndexError):
        return
