"""One exception base for everything dealdraft reports to a user.

The CLI catches ``DealdraftError`` once and prints ``str(error)`` (one line per
problem) with exit code 2; anything else is a bug and may show a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input, with where it was found.

    Formats as ``path:line: clause <id>: <field>: <message>``; parts that are
    unknown are left out.
    """

    message: str
    path: str = ""
    line: int | None = None
    clause: str = ""
    field: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        return _printable(self._text())

    def _text(self) -> str:
        parts = []
        if self.path:
            parts.append(f"{self.path}:{self.line}" if self.line else self.path)
        if self.clause:
            parts.append(f"clause {self.clause}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "clause": self.clause,
            "field": self.field,
            "message": self.message,
        }


def _printable(text: str) -> str:
    """Control characters (from hostile input) shown as escapes, never sent
    raw to a terminal; very long messages shortened."""
    cleaned = "".join(
        char if char.isprintable() or char == " " else f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
        for char in text
    )
    return cleaned if len(cleaned) <= 500 else cleaned[:480] + f"… ({len(cleaned):,} characters)"


class DealdraftError(Exception):
    """Base of every error dealdraft reports to a user (exit code 2)."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class InputError(DealdraftError):
    """A deal file, clause library or option is invalid: raised after every
    problem of the input has been collected."""


class RenderError(DealdraftError):
    """A clause could not be rendered (template error, sandbox violation,
    resource limit, dangling reference or undefined term)."""


class OutputError(DealdraftError):
    """An output could not be written (target not writable, blanks left in a
    ``--final`` build, a writer's own resource missing)."""


class UnavailableError(DealdraftError):
    """A requested feature or output format is not available in this
    installation (for instance no usable font for PDF)."""
