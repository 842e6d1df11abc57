"""The lock: which clause versions, positions and texts a build was made of.

``deal.lock.json`` is serialised one way only (sorted keys, two-space indent,
UTF-8, final newline) so that its bytes and hash are stable across builds.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

from assembler.base.version import __version__
from assembler.library.values import to_json

from .tree import Article, Build, Document, Schedule, Section
from .tree_text import block_text

if TYPE_CHECKING:
    from assembler.library.model import Library

    from .plan import Plan

DEFINITIONS_ID = "definitions"
"""Clause id of the generated Definitions section (not a library clause)."""

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


PROVENANCE_FIELDS = ("id", "document", "version", "number", "title", "sha256", "masked_sha256")
"""What an external copy tells of each clause: which clause and version, and
the hash of its text; never the position, the stance, notes or values."""


def external_provenance(lock: dict[str, Any]) -> dict[str, Any]:
    """The part of a lock an external copy carries, so that ``verify`` can
    prove which clause versions it came from without telling the other side
    our stance or positions."""
    return {
        "lock_format": lock.get("lock_format", LOCK_FORMAT),
        "external": True,
        "tool": lock.get("tool", {}),
        "library": lock.get("library", {}),
        "documents": lock.get("documents", []),
        "clauses": [{key: clause[key] for key in PROVENANCE_FIELDS if key in clause} for clause in lock.get("clauses", []) if isinstance(clause, dict)],
    }


def clause_nodes(document: Document) -> list[Section | Article | Schedule]:
    """Every node of a document that carries a clause, in reading order."""
    nodes: list[Section | Article | Schedule] = [s for s in document.preamble]
    for article in document.articles:
        if article.clause_id:
            nodes.append(article)
        nodes.extend(s for s in article.sections if s.clause_id != DEFINITIONS_ID)
    for schedule in document.schedules:
        if schedule.clause_id:
            nodes.append(schedule)
        nodes.extend(schedule.sections)
    return nodes


def clause_text(node: Section | Article | Schedule, *, mask_refs: bool = False) -> str:
    """The canonical text of one clause: its title and body as plain text."""
    return f"{node.title}\n{block_text(node.blocks, mask_refs=mask_refs)}"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def display_number(node: Section | Article | Schedule, document: Document) -> str:
    if isinstance(node, Schedule):
        return f"Schedule {node.number}"
    if isinstance(node, Section) and any(node in s.sections for s in document.schedules):
        owner = next(s for s in document.schedules if node in s.sections)
        return f"Schedule {owner.number}, paragraph {node.number}"
    return node.number


def make_lock(build: Build, plan: Plan, library: Library) -> dict[str, Any]:
    """The provenance record of a build (``deal.lock.json``)."""
    clauses = []
    for document in build.documents:
        for node in clause_nodes(document):
            clause = library.clauses[node.clause_id]
            clauses.append(
                {
                    "id": node.clause_id,
                    "document": document.id,
                    "version": clause.spec.version,
                    "position": plan.decisions[node.clause_id].position,
                    "sha256": _sha(text := clause_text(node)),
                    "masked_sha256": _sha(clause_text(node, mask_refs=True)),
                    "number": display_number(node, document),
                    "title": node.title,
                    "text": text,
                }
            )
            override = plan.deal.spec.overrides.get(node.clause_id)
            if override is not None and override.text is not None:
                clauses[-1]["override"] = "text"
    lock: dict[str, Any] = {
        "lock_format": LOCK_FORMAT,
        "tool": {"name": "dealdraft", "version": __version__},
        "library": {"fingerprint": library.fingerprint},
        "deal": {
            "file": os.path.basename(plan.deal.path),
            "sha256": plan.deal.sha256,
            "deal_type": plan.deal.deal_type.id,
            "stance": plan.deal.spec.stance,
        },
        "documents": [{"id": d.id, "title": d.title} for d in build.documents],
        "clauses": clauses,
        "variables": {name: to_json(value) for name, value in sorted(plan.values.items())},
        "blanks": list(build.blanks),
        "terms": sorted({d.term for doc in build.documents for a in doc.articles for s in a.sections for d in s.definitions}),
    }
    if build.deal.external:
        lock["external"] = True
    return lock
