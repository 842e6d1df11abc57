"""Names of anchors and Word bookmarks, made from clause ids."""

from __future__ import annotations

import hashlib
import re


def bookmark_name(identifier: str) -> str:
    """A Word-valid bookmark name: letter first, [A-Za-z0-9_], ≤ 40 chars."""
    name = re.sub(r"[^A-Za-z0-9]", "_", identifier)
    if not name or not name[0].isalpha():
        name = "c_" + name
    if len(name) > 40:
        digest = hashlib.sha256(identifier.encode()).hexdigest()[:8]
        name = name[:31] + "_" + digest
    return name
