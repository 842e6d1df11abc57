"""Numbering: our multilevel lists in the target's numbering part, and restarts.

Headings, sub-clauses and schedules are numbered by ``numbering.xml`` lists
bound to their paragraph styles (``w:pStyle`` in the level, ``w:numPr`` in the
style), never by typed text. Each ordered sub-list gets its own ``w:num`` with
a ``w:startOverride``, which is how Word itself restarts a list at (a).
"""

from __future__ import annotations

from lxml import etree

from .styles import ensure_ppr, style_by_id, style_numpr
from .xml import PPR_ORDER, el, insert_in_order, qn

OUTLINE_LIST = "dealdraft outline"
PREAMBLE_LISTS = "dealdraft preamble lists"


def _ids(root: etree._Element, tag: str, attr: str) -> list[int]:
    return [int(n.get(qn(attr)) or 0) for n in root.iterfind(qn(tag))]


def _list_names(root: etree._Element) -> set[str]:
    names = set()
    for abstract in root.iterfind(qn("abstractNum")):
        name = abstract.find(qn("name"))
        if name is not None:
            names.add(name.get(qn("val")) or "")
    return names


def merge_numbering(
    target: etree._Element,
    ours: etree._Element,
    target_styles: etree._Element,
    ours_styles: etree._Element,
    style_ids: dict[str, str],
    copied_styles: set[str],
) -> None:
    """Copy our lists into ``target`` (unless they are there already) and bind
    every numbered style of ours to them.

    A house style that already has numbering of its own keeps it: the firm's
    scheme wins, and our level drops its claim on the style.
    """
    if OUTLINE_LIST in _list_names(target):
        return
    abstract_base = max(_ids(target, "abstractNum", "abstractNumId"), default=-1) + 1
    num_base = max(_ids(target, "num", "numId"), default=0) + 1
    abstract_map: dict[str, str] = {}
    num_map: dict[str, str] = {}
    for offset, abstract in enumerate(ours.iterfind(qn("abstractNum"))):
        abstract_map[abstract.get(qn("abstractNumId")) or ""] = str(abstract_base + offset)
    for offset, num in enumerate(ours.iterfind(qn("num"))):
        num_map[num.get(qn("numId")) or ""] = str(num_base + offset)

    # Which of our styles the target will number with our lists.
    ours_bound: set[str] = set()
    for style in ours_styles.iterfind(qn("style")):
        our_id = style.get(qn("styleId")) or ""
        num = style.find(f"{qn('pPr')}/{qn('numPr')}")
        if num is None:
            continue
        target_id = style_ids.get(our_id, our_id)
        target_style = style_by_id(target_styles, target_id)
        if target_style is None:
            continue
        num_id = num.find(qn("numId"))
        our_num = num_id.get(qn("val")) if num_id is not None else "0"
        if target_id in copied_styles:
            own = target_style.find(f"{qn('pPr')}/{qn('numPr')}/{qn('numId')}")
            if own is not None:
                own.set(qn("val"), num_map.get(our_num or "", "0"))
            ours_bound.add(target_id)
        elif our_num == "0":
            # "TOC Heading": keep it unnumbered even if based on a numbered heading.
            if target_style.find(f"{qn('pPr')}/{qn('numPr')}") is None and style_numpr(
                target_styles, target_id
            ) is not None:
                insert_in_order(ensure_ppr(target_style), etree.fromstring(etree.tostring(num)), PPR_ORDER)
        elif style_numpr(target_styles, target_id) is None:
            bound = etree.fromstring(etree.tostring(num))
            bound_id = bound.find(qn("numId"))
            assert bound_id is not None
            bound_id.set(qn("val"), num_map.get(our_num or "", "0"))
            insert_in_order(ensure_ppr(target_style), bound, PPR_ORDER)
            ours_bound.add(target_id)

    first_num = target.find(qn("num"))
    for abstract in ours.iterfind(qn("abstractNum")):
        copy = etree.fromstring(etree.tostring(abstract))
        copy.set(qn("abstractNumId"), abstract_map[abstract.get(qn("abstractNumId")) or ""])
        for pstyle in copy.iter(qn("pStyle")):
            mapped = style_ids.get(pstyle.get(qn("val")) or "", "")
            if mapped in ours_bound:
                pstyle.set(qn("val"), mapped)
            else:
                pstyle.getparent().remove(pstyle)
        if first_num is not None:
            first_num.addprevious(copy)
        else:
            _append_num(target, copy)
    for num in ours.iterfind(qn("num")):
        copy = etree.fromstring(etree.tostring(num))
        copy.set(qn("numId"), num_map[num.get(qn("numId")) or ""])
        ref = copy.find(qn("abstractNumId"))
        assert ref is not None
        ref.set(qn("val"), abstract_map.get(ref.get(qn("val")) or "", "0"))
        _append_num(target, copy)


def _append_num(root: etree._Element, node: etree._Element) -> None:
    cleanup = root.find(qn("numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(node)
    else:
        root.append(node)


class Lists:
    """Allocates list instances in a numbering part, one per ordered sub-list."""

    def __init__(self, numbering: etree._Element, styles: etree._Element) -> None:
        self._numbering = numbering
        self._styles = styles
        self._next = max(_ids(numbering, "num", "numId"), default=0) + 1

    def style_level(self, style_id: str) -> tuple[str, int] | None:
        """The (numId, ilvl) a paragraph style is numbered with, if any."""
        num = style_numpr(self._styles, style_id)
        if num is None:
            return None
        num_id = num.find(qn("numId"))
        ilvl = num.find(qn("ilvl"))
        value = num_id.get(qn("val")) if num_id is not None else None
        if not value or value == "0":
            return None
        return value, int(ilvl.get(qn("val")) or 0) if ilvl is not None else 0

    def abstract_named(self, name: str) -> str | None:
        for abstract in self._numbering.iterfind(qn("abstractNum")):
            node = abstract.find(qn("name"))
            if node is not None and node.get(qn("val")) == name:
                value = abstract.get(qn("abstractNumId"))
                return None if value is None else str(value)
        return None

    def restart(self, style_id: str, depth: int = 1, family: str = "") -> tuple[int, int] | None:
        """A new list instance for a list in ``style_id``, starting afresh:
        (numId, ilvl) to put on its paragraphs, or None when the style is not
        numbered. ``family`` names another abstract list to use instead of
        the style's own (``depth`` then picks its level)."""
        abstract_id = self.abstract_named(family) if family else None
        if abstract_id is not None:
            ilvl = depth - 1
        else:
            level = self.style_level(style_id)
            if level is None:
                return None
            num_id, ilvl = level
            for num in self._numbering.iterfind(qn("num")):
                if num.get(qn("numId")) == num_id:
                    ref = num.find(qn("abstractNumId"))
                    abstract_id = ref.get(qn("val")) if ref is not None else None
            if abstract_id is None:
                return None
        start = "1"
        for abstract in self._numbering.iterfind(qn("abstractNum")):
            if abstract.get(qn("abstractNumId")) == abstract_id:
                for lvl in abstract.iterfind(qn("lvl")):
                    node = lvl.find(qn("start"))
                    if lvl.get(qn("ilvl")) == str(ilvl) and node is not None:
                        start = node.get(qn("val")) or "1"
        new_id = self._next
        self._next += 1
        num = el("num", numId=str(new_id))
        el("abstractNumId", num, val=abstract_id)
        override = el("lvlOverride", num, ilvl=str(ilvl))
        el("startOverride", override, val=start)
        _append_num(self._numbering, num)
        return new_id, ilvl
