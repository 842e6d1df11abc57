"""The choices that change what a build says (its layout choices are the
writers' ``WriterOptions``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Choices that change the content of a build (not its layout)."""

    final: bool = False
    """Drop the DRAFT marking; refuse to build while a blank remains."""
    external: bool = False
    """A copy for the counterparty: no notes, positions or stance."""
