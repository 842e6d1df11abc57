"""The lock: which clause versions, positions and texts a build was made of.

``deal.lock.json`` is serialised one way only (sorted keys, two-space indent,
UTF-8, final newline) so that its bytes and hash are stable across builds.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

LOCK_FILENAME = "deal.lock.json"
LOCK_FORMAT = 1


def lock_bytes(lock: dict[str, Any]) -> bytes:
    """The exact bytes of ``deal.lock.json`` for ``lock``."""
    return (json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def lock_sha256(lock: dict[str, Any]) -> str:
    """Hex SHA-256 of :func:`lock_bytes`; what DOCX/PDF properties carry."""
    return hashlib.sha256(lock_bytes(lock)).hexdigest()


def parse_lock(data: bytes | str) -> dict[str, Any]:
    """Parse lock bytes read back from a file, a DOCX property or a PDF attachment."""
    value = json.loads(data)
    if not isinstance(value, dict) or "clauses" not in value:
        raise ValueError("not a dealdraft lock")
    return value
