"""Deterministic save: the same document always gives the same bytes.

python-docx stamps every zip entry with the current time; we write the
package ourselves with the deal's date on every entry, in a fixed order.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from .properties import deal_datetime


def zip_bytes(parts: list[tuple[str, bytes]], date: str) -> bytes:
    """A zip of ``parts`` (name, data) in the given order, stamped with ``date``."""
    when = deal_datetime(date)
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def save_docx(docx_document: Any, date: str) -> bytes:
    """The bytes of ``docx_document``; "[Content_Types].xml" first, then the
    package relationships, then every part in python-docx's (stable) order."""
    raw = io.BytesIO()
    docx_document.save(raw)
    with zipfile.ZipFile(raw) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    first = {"[Content_Types].xml": 0, "_rels/.rels": 1}
    parts.sort(key=lambda item: (first.get(item[0], 2), item[0]))
    return zip_bytes(parts, date)
