"""A PDF layout process started early, so WeasyPrint loads while the deal builds.

Importing WeasyPrint and warming up fontconfig and Pango takes about a
second, as long as loading the library and building the document tree.
``dealdraft build --format pdf`` therefore forks a layout process first
thing (:func:`early_layout`); it imports WeasyPrint while the CLI process
builds the deal, then receives the documents' HTML (:func:`run`) and lays
them out, forking its own workers, as ``layout.layout_jobs`` would have done here.

The process is a plain ``fork()`` of the CLI (single-threaded at that point)
talking over a pipe. It leaves when the pipe closes, so it never outlives
the command, whatever happens to the CLI process.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, Pipe
from typing import TYPE_CHECKING, Any

from assembler.base.errors import DealdraftError, OutputError, UnavailableError
from assembler.base.parallel import can_fork

if TYPE_CHECKING:
    from .job import PdfJob


class _Engine:
    def __init__(self, pid: int, connection: Connection) -> None:
        self.pid = pid
        self.connection = connection
        self.status = 0
        """The process's wait status once it has ended."""

    def close(self, *, stop: bool = False) -> None:
        """Close the pipe and reap the process; ``stop`` ends it first (an
        unused process may still be loading WeasyPrint, and an error
        message should not wait for that)."""
        if stop:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - already gone
                pass
        self.connection.close()
        try:
            self.status = os.waitpid(self.pid, 0)[1]
        except ChildProcessError:  # pragma: no cover - already reaped
            pass


_engine: _Engine | None = None


@contextmanager
def early_layout(wanted: bool = True) -> Iterator[None]:
    """Within the block, PDFs are laid out by a process started on entry.

    Does nothing when ``wanted`` is false or forking is not safe here; the
    PDF writer then lays documents out as usual.
    """
    global _engine
    if not wanted or _engine is not None or not can_fork():
        yield
        return
    ours, theirs = Pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the layout process; its exit code is what is seen
        ours.close()
        code = 0
        try:
            _serve(theirs)
        except BaseException:  # noqa: BLE001 - a layout process never unwinds into the CLI
            code = 1
        finally:
            os._exit(code)
    theirs.close()
    _engine = _Engine(pid, ours)
    try:
        yield
    finally:
        engine, _engine = _engine, None
        if engine is not None:
            engine.close(stop=True)


def run(jobs: list[PdfJob], workers: int | None) -> dict[str, tuple[bytes, dict[str, int]]] | None:
    """The PDFs (and their anchors' pages) from the layout process, or None when there is none.

    The layout process serves one request; a second build in the same block
    lays its documents out in its own process.
    """
    global _engine
    engine, _engine = _engine, None
    if engine is None:
        return None
    try:
        engine.connection.send((jobs, workers))
        status, payload = engine.connection.recv()
    except (EOFError, OSError) as error:
        raise OutputError(f"PDF layout: the layout process ended unexpectedly ({error or 'no answer'})") from None
    finally:
        engine.close()
    if status == "error":
        raise payload
    return payload  # type: ignore[no-any-return]


def _serve(connection: Connection) -> None:  # pragma: no cover - runs in the layout process
    warm_error = _warm_up()
    try:
        jobs, workers = connection.recv()
    except (EOFError, OSError):
        return  # the command ended without a PDF to lay out
    reply: tuple[str, Any]
    try:
        if warm_error is not None:
            raise warm_error
        from assembler.writers.pdf.layout import layout_jobs

        reply = ("ok", layout_jobs(jobs, workers))
    except DealdraftError as error:
        reply = ("error", error)
    except Exception as error:  # noqa: BLE001 - reported as the layout's failure
        reply = ("error", OutputError(f"PDF layout failed: {type(error).__name__}: {error}"))
    connection.send(reply)


def _warm_up() -> DealdraftError | None:  # pragma: no cover - runs in the layout process
    """Import WeasyPrint and lay out a line, so fonts are loaded before forking."""
    try:
        from assembler.writers.pdf import layout as pdf_layout

        pdf_layout.ensure_fonts()
        pdf_layout.warm_up()
    except DealdraftError as error:
        return error
    except ImportError as error:
        return UnavailableError(f"PDF output is not available in this installation ({error})")
    except Exception as error:  # noqa: BLE001 - reported when a PDF is asked for
        return OutputError(f"PDF layout could not start: {type(error).__name__}: {error}")
    return None


__all__ = ["early_layout", "run"]
