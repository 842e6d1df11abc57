"""The folder layout of a library, and what to say when a file is in the
wrong place.

A library folder holds clause files anywhere (``**/*.yaml``, each a list of
clauses), deal types in ``deal-types/`` and shared document outlines in
``documents/``, both directly under the folder given to ``--library``, and
an optional ``conventions.yaml`` beside them. A file in a folder whose name
is close to one of these (``deal_types/``, ``DealTypes/``), or one level too
deep (``house/clauses/deal-types/``), is reported once, naming the expected
place, and read as what it is, so that nothing that depends on it fails too.
"""

from __future__ import annotations

import re
from typing import Any

from assembler.base.errors import Problem

FOLDERS = {"deal-types": "deal types", "documents": "shared document outlines"}
"""The special folders (directly under a library folder) and what they hold."""


def _normal(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


_NEAR = {
    "dealtypes": "deal-types",
    "dealtype": "deal-types",
    "types": "deal-types",
    "playbooks": "deal-types",
    "documents": "documents",
    "document": "documents",
    "docs": "documents",
    "outlines": "documents",
}


def layout_problem(rel: str, data: Any, display: str) -> tuple[str, Problem] | None:
    """(the kind the file is read as, the problem) when a file sits in the
    wrong folder, or None. ``rel`` is its path inside the library folder."""
    parts = rel.split("/")
    if parts[-1] == "conventions.yaml" and isinstance(data, dict):
        return "conventions", Problem(
            "conventions.yaml lives directly in the folder given to --library, beside deal-types/", display, 1, field="layout"
        )
    for depth, folder in enumerate(parts[:-1]):
        kind = _NEAR.get(_normal(folder))
        if kind is None or (folder == kind and depth == 0):
            continue
        if kind == "deal-types" and not _looks_like(data, ("parties", "documents")):
            continue
        if kind == "documents" and not _looks_like(data, ("articles",)):
            continue
        what = FOLDERS[kind]
        if folder == kind:
            parent = "/".join(parts[:depth])
            where = f"{kind}/ directly under the folder given to --library (this one is under {parent}/: give --library …/{parent})"
        else:
            where = f"{kind}/ (this folder is named {folder}/: rename it)"
        return kind, Problem(f"{what} live in {where}", display, 1, field="layout")
    if isinstance(data, dict):
        if _looks_like(data, ("parties", "documents")):
            return "deal-types", Problem(
                f"this file is a deal type, not a list of clauses: deal types live in deal-types/{parts[-1]}", display, 1, field="layout"
            )
        if _looks_like(data, ("articles",)) and "id" in data:
            return "documents", Problem(
                f"this file is a document outline, not a list of clauses: shared outlines live in documents/{parts[-1]}", display, 1, field="layout"
            )
    return None


def _looks_like(data: Any, keys: tuple[str, ...]) -> bool:
    return isinstance(data, dict) and all(key in data for key in keys)
