"""Edit the XML of a DOCX the way another word processor would save it:
text replaced, tracked changes added, bookmarks dropped."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path


def edit_docx(source: Path | bytes, target: Path, edit: Callable[[str], str]) -> Path:
    """Write ``target``: ``source`` with ``edit`` applied to word/document.xml."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = edit(parts["word/document.xml"].decode("utf-8")).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    target.write_bytes(buffer.getvalue())
    return target


def without_bookmarks(xml: str) -> str:
    return re.sub(r"<w:bookmark(?:Start|End)\b[^>]*/>", "", xml)


def tracked_insertion(xml: str, after: str, text: str) -> str:
    """A tracked insertion of ``text`` right after the run text ``after``."""
    return xml.replace(
        f"{after}</w:t></w:r>",
        f'{after}</w:t></w:r><w:ins w:id="901" w:author="Counterparty" w:date="2026-12-01T00:00:00Z"><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>',
        1,
    )
