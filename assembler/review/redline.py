"""``dealdraft diff --format docx``: one redline per document of the deal."""

from __future__ import annotations

from pathlib import Path

from assembler.base.errors import InputError, Problem
from assembler.base.output import write_output_set

from .diff import Diff


def write_redlines(diff: Diff, folder: Path, *, author: str = "dealdraft") -> list[Path]:
    """Write ``<document>.redline.docx`` for every document of either draft."""
    old, new = diff.old.build, diff.new.build
    if old is None or new is None:
        side = diff.old if old is None else diff.new
        raise InputError([Problem("a DOCX redline needs deal files on both sides (build folders and locks carry no layout)", side.label)])
    from .redline_docx import write_redline

    ids = [d.id for d in new.documents] + [d.id for d in old.documents if d.id not in {n.id for n in new.documents}]
    files = {f"{doc_id}.redline.docx": write_redline(old, new, doc_id, author=author) for doc_id in ids}
    return [p for p in write_output_set(folder, files, force=True) if p.name.endswith(".docx")]
