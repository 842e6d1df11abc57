"""Bookmarks: one per clause heading, with names Word accepts.

The tree computes ``bookmark`` on every article, section and schedule; this
module checks each name against Word's rules (a letter first, then letters,
digits and underscores, at most 40 characters, unique in the document),
repairs one that breaks them, and maps every clause, article and schedule id
to its bookmark so that ``REF`` fields can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from assembler.assembly.tree import Article, Document, Schedule, Section

from .xml import el, qn

MAX_LENGTH = 40
_VALID = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
_BAD = re.compile(r"[^A-Za-z0-9_]+")

Anchored = Article | Section | Schedule


class Ids:
    """One counter for bookmark, comment and (later) revision ids, which Word
    wants unique across all of them."""

    def __init__(self) -> None:
        self._next = 0

    def next(self) -> int:
        value = self._next
        self._next += 1
        return value


def valid_bookmark(name: str) -> bool:
    return bool(_VALID.fullmatch(name))


def repair_bookmark(name: str, used: set[str]) -> str:
    """A valid, unused bookmark name as close to ``name`` as possible."""
    base = _BAD.sub("_", name).strip("_") or "clause"
    if not base[0].isalpha():
        base = "c_" + base
    base = base[:MAX_LENGTH]
    candidate, counter = base, 1
    while candidate in used:
        suffix = f"_{counter}"
        candidate = base[: MAX_LENGTH - len(suffix)] + suffix
        counter += 1
    return candidate


def iter_anchored(document: Document) -> Iterator[Anchored]:
    """Every node of ``document`` that gets a bookmark, in document order."""
    yield from document.preamble
    for article in document.articles:
        yield article
        yield from article.sections
    for schedule in document.schedules:
        yield schedule
        yield from schedule.sections


class Anchors:
    """The bookmark of every heading of one document, and of every ref target."""

    def __init__(self, document: Document) -> None:
        unnumbered = {id(section) for section in document.preamble}
        self._by_node: dict[int, str] = {}
        self._by_target: dict[str, str] = {}
        self._renamed: dict[str, str] = {}
        used: set[str] = set()
        for node in iter_anchored(document):
            wanted = node.bookmark or (
                node.clause_id if isinstance(node, Section) else node.clause_id or node.id
            )
            name = wanted if valid_bookmark(wanted) and wanted not in used else repair_bookmark(wanted, used)
            used.add(name)
            self._by_node[id(node)] = name
            self._renamed.setdefault(node.bookmark, name)
            # A preamble clause has no number for a REF field to show.
            if id(node) in unnumbered:
                continue
            keys = [node.clause_id] if isinstance(node, Section) else [node.id, node.clause_id]
            for key in keys:
                if key:
                    self._by_target.setdefault(key, name)

    def of(self, node: Anchored) -> str:
        return self._by_node[id(node)]

    def target(self, target: str) -> str | None:
        """The bookmark of a ref's target (a clause, article or schedule id)."""
        return self._by_target.get(target)

    def renamed(self, bookmark: str) -> str:
        """The name written for a bookmark the tree computed (a TOC entry's)."""
        return self._renamed.get(bookmark, bookmark)

    def names(self) -> list[str]:
        return list(self._by_node.values())


def wrap_bookmark(par: etree._Element, name: str, ident: int) -> None:
    """Put bookmark ``name`` around the content of paragraph ``par``."""
    start = el("bookmarkStart", id=str(ident), name=name)
    ppr = par.find(qn("pPr"))
    par.insert(0 if ppr is None else 1, start)
    el("bookmarkEnd", par, id=str(ident))
