"""One document for the PDF layout: what the writer hands the layout process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True, slots=True)
class PdfJob:
    """One document to lay out: its HTML and everything its PDF carries."""

    name: str
    html: str
    folder: Path
    variant: str | None
    lock: bytes | None
    when: datetime
