"""The live preview: a draft's documents through the HTML writer, rendering
only the documents whose tree changed since the browser last got them.

The browser keeps one token per document it shows; a preview request sends
them back, and only documents whose token differs are rendered and sent.
Clauses whose text or position differ from the last saved version are marked
``changed``.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assembler.assembly.pipeline import build_deal
from assembler.assembly.tree import Build, Document
from assembler.base.errors import DealdraftError, Problem
from assembler.deal.load import Deal, parse_deal
from assembler.library.model import Library
from assembler.writers.html import render_document_html

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_ID = re.compile(r' id="')
_HREF = re.compile(r' href="#')
_CLAUSE = re.compile(r'<section class="([^"]*)" data-clause="([^"]+)"')


@dataclass(slots=True)
class Draft:
    """A deal file's text, checked and built (or the problems that stop it)."""

    text: str
    deal: Deal | None = None
    build: Build | None = None
    problems: list[Problem] = field(default_factory=list)


def evaluate(text: str, library: Library, name: str) -> Draft:
    """Check and build a deal text the way ``dealdraft build`` does."""
    draft = Draft(text)
    try:
        draft.deal = parse_deal(text, library, name)
        draft.build = build_deal(draft.deal, library)
    except DealdraftError as exc:
        draft.problems = list(exc.problems)
    return draft


def clause_states(build: Build | None) -> dict[str, tuple[str, str]]:
    """Clause id → (text hash, position): what "changed since the save" compares."""
    if build is None:
        return {}
    return {c["id"]: (c["sha256"], c["position"]) for c in build.lock["clauses"]}


def changed_clauses(build: Build, saved: Mapping[str, tuple[str, str]] | None) -> frozenset[str]:
    if saved is None:
        return frozenset()
    return frozenset(cid for cid, state in clause_states(build).items() if saved.get(cid) != state)


def changed_by_document(build: Build, changed: frozenset[str]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {d.id: set() for d in build.documents}
    for clause in build.lock["clauses"]:
        if clause["id"] in changed:
            found.setdefault(clause["document"], set()).add(clause["id"])
    return {doc: frozenset(ids) for doc, ids in found.items()}


def _fragment(html: str, document: Document, changed: frozenset[str]) -> str:
    match = _BODY.search(html)
    body = match.group(1) if match else ""
    # ids are per document: prefix them so several documents share one page
    body = _ID.sub(f' id="{document.id}--', body)
    body = _HREF.sub(f' href="#{document.id}--', body)

    def mark(m: re.Match[str]) -> str:
        classes = m.group(1) + (" changed" if m.group(2) in changed else "")
        return f'<section class="{classes}" data-clause="{m.group(2)}"'

    return _CLAUSE.sub(mark, body)


class PreviewCache:
    """Rendered documents by (document tree, deal facts, changed clauses)."""

    def __init__(self, size: int = 64) -> None:
        self._entries: OrderedDict[tuple[Any, ...], tuple[str, str]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def document(self, build: Build, document: Document, changed: frozenset[str]) -> tuple[str, str]:
        """(token, HTML fragment) of one document; rendered only on a cache miss.

        ``changed``: the changed clauses of this document only, so that a change
        elsewhere does not render it again.
        """
        key = (document, build.deal, changed)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        html = _fragment(render_document_html(build, document), document, changed)
        entry = (secrets.token_hex(8), html)
        with self._lock:
            self._entries[key] = entry
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return entry
