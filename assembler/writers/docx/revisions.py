"""Tracked changes in WordprocessingML: ``w:ins``, ``w:del``, ``w:moveFrom``
and ``w:moveTo`` around runs, on paragraph marks and on table rows.

A paragraph is cut into *atoms*: a plain text run (which may be split at any
character), or a whole field (``fldChar`` begin … end, never split). Bookmark
and comment markers are not atoms; they stay on the new side only.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from .bookmarks import Ids
from .xml import PPR_ORDER, XML_NS, el, insert_in_order, qn

_MARKERS = {qn(t) for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "proofErr", "permStart", "permEnd")}


@dataclass
class Atom:
    """A piece of a paragraph: its runs and the text they show."""

    runs: list[etree._Element]
    text: str
    splittable: bool


@dataclass(frozen=True)
class Revision:
    """Who and when, shared by every revision of a redline."""

    author: str
    date: str
    ids: Ids

    def mark(self, tag: str) -> etree._Element:
        node = el(tag)
        node.set(qn("id"), str(self.ids.next()))
        node.set(qn("author"), self.author)
        node.set(qn("date"), self.date)
        return node


def run_text(node: etree._Element) -> str:
    """What a run shows: its text, tabs and breaks (not field instructions)."""
    parts = []
    for child in node:
        if child.tag in (qn("t"), qn("delText")):
            parts.append(child.text or "")
        elif child.tag == qn("tab"):
            parts.append("\t")
    return "".join(parts)


def atoms(par: etree._Element) -> list[Atom]:
    """The atoms of a paragraph, in order (markers left out).

    A field that opens and closes in the paragraph is one atom; a field that
    spans paragraphs (the TOC) leaves its control runs as empty atoms and its
    result runs as ordinary ones. A hyperlink is one atom.
    """
    found: list[Atom] = []
    field: list[etree._Element] | None = None
    separate_at = -1
    depth = 0
    result_text: list[str] = []
    for child in par:
        if child.tag == qn("hyperlink"):
            text = "".join(run_text(r) for r in child.iter(qn("r")))
            found.append(Atom([child], text, False))
            continue
        if child.tag != qn("r"):
            continue
        chars = child.findall(qn("fldChar"))
        kind = chars[0].get(qn("fldCharType")) if chars else None
        if kind == "begin":
            depth += 1
            if depth == 1:
                field, result_text, separate_at = [], [], -1
        if field is not None:
            field.append(child)
            if kind == "separate" and depth == 1:
                separate_at = len(field) - 1
            elif kind is None and separate_at >= 0 and depth == 1:
                result_text.append(run_text(child))
            if kind == "end":
                depth -= 1
                if depth == 0:
                    found.append(Atom(field, "".join(result_text), False))
                    field = None
            continue
        if kind is not None:  # the end of a field opened in an earlier paragraph
            found.append(Atom([child], "", False))
            continue
        found.append(Atom([child], run_text(child), _simple(child)))
    if field is not None:  # a field that closes in a later paragraph
        cut = separate_at + 1 if separate_at >= 0 else len(field)
        found.append(Atom(field[:cut], "", False))
        found.extend(Atom([r], run_text(r), _simple(r)) for r in field[cut:])
    return found


def _simple(node: etree._Element) -> bool:
    """A run that is only formatting plus one text element (safe to split)."""
    return node.find(qn("t")) is not None and all(c.tag in (qn("rPr"), qn("t")) for c in node)


def paragraph_text(par: etree._Element) -> str:
    return "".join(atom.text for atom in atoms(par))


def _split_run(node: etree._Element, start: int, end: int) -> etree._Element:
    """A copy of a single-text run holding only ``text[start:end]``."""
    piece = copy.deepcopy(node)
    t = piece.find(qn("t"))
    assert t is not None
    text = (t.text or "")[start:end]
    t.text = text
    t.set(f"{{{XML_NS}}}space", "preserve")
    return piece


def take(items: list[Atom], start: int, end: int) -> list[etree._Element] | None:
    """Copies of the runs that show characters ``start`` to ``end``; None when
    the range cuts through a field."""
    runs: list[etree._Element] = []
    pos = 0
    for atom in items:
        a_start, a_end = pos, pos + len(atom.text)
        pos = a_end
        if a_end <= start or a_start >= end:
            if not atom.text and start <= a_start < end:
                runs.extend(copy.deepcopy(r) for r in atom.runs)  # empty runs (breaks) ride along
            continue
        if a_start >= start and a_end <= end:
            runs.extend(copy.deepcopy(r) for r in atom.runs)
        elif atom.splittable:
            runs.append(_split_run(atom.runs[0], max(start, a_start) - a_start, min(end, a_end) - a_start))
        else:
            return None
    return runs


def as_deleted(runs: list[etree._Element]) -> list[etree._Element]:
    """Runs as deleted text: ``w:t`` → ``w:delText``, ``w:instrText`` → ``w:delInstrText``."""
    for node in runs:
        for child in node.iter(qn("t"), qn("instrText")):
            child.tag = qn("delText") if child.tag == qn("t") else qn("delInstrText")
    return runs


def wrap(tag: str, runs: list[etree._Element], revision: Revision) -> etree._Element | None:
    """One revision element around runs (use :func:`wrap_all` when hyperlinks may occur)."""
    if not runs:
        return None
    node = revision.mark(tag)
    node.extend(runs)
    return node


def wrap_all(tag: str, nodes: list[etree._Element], revision: Revision) -> list[etree._Element]:
    """Runs and hyperlinks as tracked content: consecutive runs share one
    revision element; inside a hyperlink the revision wraps its runs (the
    schema does not allow a hyperlink inside ``w:ins``/``w:del``)."""
    out: list[etree._Element] = []
    group: list[etree._Element] = []

    def flush() -> None:
        wrapper = wrap(tag, group[:], revision)
        if wrapper is not None:
            out.append(wrapper)
        group.clear()

    for node in nodes:
        if node.tag == qn("hyperlink"):
            flush()
            inner = [c for c in node if c.tag == qn("r")]
            for child in inner:
                node.remove(child)
            wrapper = wrap(tag, inner, revision)
            if wrapper is not None:
                node.append(wrapper)
            out.append(node)
        else:
            group.append(node)
    flush()
    return out


def mark_paragraph(par: etree._Element, tag: str, revision: Revision) -> None:
    """Track the paragraph mark itself (an inserted, deleted or moved paragraph)."""
    ppr = par.find(qn("pPr"))
    if ppr is None:
        ppr = el("pPr")
        par.insert(0, ppr)
    rpr = ppr.find(qn("rPr"))
    if rpr is None:
        rpr = el("rPr")
        insert_in_order(ppr, rpr, PPR_ORDER)
    rpr.append(revision.mark(tag))


def strip_markers(node: etree._Element) -> etree._Element:
    """Remove bookmarks and comment anchors (the old side must not duplicate them)."""
    for marker in [m for m in node.iter() if m.tag in _MARKERS]:
        marker.getparent().remove(marker)
    for ref in [r for r in node.iter(qn("r")) if r.find(qn("commentReference")) is not None]:
        ref.getparent().remove(ref)
    return node


def whole_paragraph(par: etree._Element, kind: str, revision: Revision) -> etree._Element:
    """A paragraph whose content and mark are all inserted, deleted or moved."""
    par = copy.deepcopy(par)
    ppr = par.find(qn("pPr"))
    content = [c for c in par if c is not ppr]
    for child in content:
        par.remove(child)
    deleting = kind in ("del", "moveFrom")
    pending: list[etree._Element] = []
    for child in content:
        if child.tag in _MARKERS:
            par.extend(wrap_all(kind, pending, revision))
            pending = []
            if not deleting:
                par.append(child)
        elif child.tag in (qn("r"), qn("hyperlink")):
            pending.append(as_deleted([child])[0] if deleting else child)
    par.extend(wrap_all(kind, pending, revision))
    mark_paragraph(par, kind, revision)
    return par


def whole_table(table: etree._Element, kind: str, revision: Revision) -> etree._Element:
    """A table whose every row (and all its text) is inserted or deleted."""
    table = copy.deepcopy(table)
    for row in table.iter(qn("tr")):
        trpr = row.find(qn("trPr"))
        if trpr is None:
            trpr = el("trPr")
            after = row.find(qn("tblPrEx"))
            row.insert(0 if after is None else 1, trpr)
        trpr.append(revision.mark(kind))
        for par in row.iter(qn("p")):
            par.getparent().replace(par, whole_paragraph(par, kind, revision))
    return table


def move_range(pars: list[etree._Element], kind: str, name: str, revision: Revision) -> None:
    """``moveFromRangeStart`` … ``moveFromRangeEnd`` (or ``moveTo…``) around the
    moved paragraphs: the start in the first, the end in the last, one id."""
    start = revision.mark(f"{kind}RangeStart")
    start.set(qn("name"), name)
    first = pars[0]
    ppr = first.find(qn("pPr"))
    if ppr is None:
        first.insert(0, start)
    else:
        ppr.addnext(start)
    end = el(f"{kind}RangeEnd")
    end.set(qn("id"), start.get(qn("id")) or "")
    pars[-1].append(end)
