"""A batch as data: what to build for each deal (:class:`DealJob`) and what
came of it (:class:`DealResult`, all of them in a :class:`BatchResult`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assembler.api import WriterOptions
from assembler.assembly.options import BuildOptions
from assembler.base.errors import DealdraftError

Status = Literal["built", "failed"]


@dataclass(frozen=True, slots=True)
class DealJob:
    """One deal to build (picklable: it travels to worker processes)."""

    deal: str
    output_dir: str
    formats: tuple[str, ...]
    options: BuildOptions
    writer: WriterOptions
    force: bool


@dataclass(frozen=True, slots=True)
class DealResult:
    """The outcome of one deal of a batch."""

    deal: str
    """The deal file, as given (or as found in a given folder)."""
    name: str
    """The deal file's stem: its output folder under the batch output folder."""
    status: Status
    seconds: float
    output_dir: str
    files: tuple[str, ...] = ()
    """The files written (empty when the deal failed)."""
    errors: tuple[str, ...] = ()
    """Every problem, one line each, as ``dealdraft build`` prints them."""
    warnings: tuple[str, ...] = ()
    blanks: tuple[str, ...] = ()
    """Variables left as ``[●]`` in the draft."""

    @property
    def error(self) -> str:
        """The first error line ("" when the deal was built)."""
        return self.errors[0] if self.errors else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "deal": self.deal,
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "output": self.output_dir,
            "files": list(self.files),
            "error": self.error or None,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "blanks": list(self.blanks),
        }


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Every deal's result, in the order the deals were given."""

    results: tuple[DealResult, ...]
    seconds: float
    jobs: int
    formats: tuple[str, ...] = field(default=())

    @property
    def built(self) -> tuple[DealResult, ...]:
        return tuple(r for r in self.results if r.status == "built")

    @property
    def failed(self) -> tuple[DealResult, ...]:
        return tuple(r for r in self.results if r.status == "failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": len(self.results),
            "built": len(self.built),
            "failed": len(self.failed),
            "seconds": round(self.seconds, 3),
            "jobs": self.jobs,
            "formats": list(self.formats),
            "deals": [r.as_dict() for r in self.results],
        }


ProgressCallback = Callable[[DealResult, int, int], None]
"""Called in the calling process as each deal finishes: (result, done, total)."""


def problem_lines(error: DealdraftError) -> tuple[str, ...]:
    """A dealdraft error as the lines ``dealdraft build`` prints for it."""
    return tuple(str(p) for p in error.problems) or (str(error),)


def internal_error_line(deal: str, error: BaseException) -> str:
    """The line for a bug met while building one deal."""
    return f"{deal}: internal error: {type(error).__name__}: {error}"


def failed(deal: str, output_dir: str, lines: tuple[str, ...], seconds: float = 0.0) -> DealResult:
    """A deal that was not built, with why."""
    return DealResult(deal, Path(deal).stem, "failed", seconds, output_dir, errors=lines)
