"""Styles: merge dealdraft's styles into a house template, resolve ids by name.

Styles are matched by name (Word's built-in names are lower case in the XML:
"heading 1"), never by id, because a localised Word writes other ids
("berschrift1"). A style the house template lacks is copied from ours, with a
fresh id if ours is taken; references between copied styles follow.
"""

from __future__ import annotations

from lxml import etree

from .xml import STYLE_ORDER, qn


def style_name(style: etree._Element) -> str:
    name = style.find(qn("name"))
    return (name.get(qn("val")) or "").lower() if name is not None else ""


def styles_by_name(root: etree._Element) -> dict[tuple[str, str], etree._Element]:
    """``(type, lower-case name)`` → style element."""
    return {(s.get(qn("type")) or "", style_name(s)): s for s in root.iterfind(qn("style"))}


def merge_styles(target: etree._Element, ours: etree._Element) -> tuple[dict[str, str], set[str]]:
    """Copy into ``target`` every style of ``ours`` it lacks (by type and name).

    Returns our style id → the id that style has in ``target``, and the ids of
    the styles copied.
    """
    existing = styles_by_name(target)
    used_ids = {s.get(qn("styleId")) for s in target.iterfind(qn("style"))}
    id_map: dict[str, str] = {}
    copies: list[etree._Element] = []
    for style in ours.iterfind(qn("style")):
        our_id = style.get(qn("styleId")) or ""
        key = (style.get(qn("type")) or "", style_name(style))
        if key in existing:
            id_map[our_id] = existing[key].get(qn("styleId")) or our_id
            continue
        new_id = our_id
        while new_id in used_ids:
            new_id += "0"
        used_ids.add(new_id)
        id_map[our_id] = new_id
        copy = etree.fromstring(etree.tostring(style))
        copy.set(qn("styleId"), new_id)
        # Only one default style of each type: the house template's.
        if copy.get(qn("default")) and any(
            s.get(qn("default")) and s.get(qn("type")) == key[0] for s in existing.values()
        ):
            del copy.attrib[qn("default")]
        copies.append(copy)
    for copy in copies:
        for ref in ("basedOn", "next", "link"):
            node = copy.find(qn(ref))
            if node is not None:
                node.set(qn("val"), id_map.get(node.get(qn("val")) or "", node.get(qn("val")) or ""))
        target.append(copy)
    return id_map, {c.get(qn("styleId")) or "" for c in copies}


def style_by_id(root: etree._Element, style_id: str) -> etree._Element | None:
    for style in root.iterfind(qn("style")):
        if style.get(qn("styleId")) == style_id:
            return style
    return None


def style_numpr(root: etree._Element, style_id: str) -> etree._Element | None:
    """The ``w:numPr`` a paragraph style has, itself or through ``basedOn``."""
    seen: set[str] = set()
    current = style_by_id(root, style_id)
    while current is not None and style_id not in seen:
        seen.add(style_id)
        num = current.find(f"{qn('pPr')}/{qn('numPr')}")
        if num is not None:
            return num
        based = current.find(qn("basedOn"))
        if based is None:
            return None
        style_id = based.get(qn("val")) or ""
        current = style_by_id(root, style_id)
    return None


def ensure_ppr(style: etree._Element) -> etree._Element:
    ppr = style.find(qn("pPr"))
    if ppr is None:
        ppr = etree.Element(qn("pPr"))
        later = set(STYLE_ORDER[STYLE_ORDER.index("pPr") + 1 :])
        for index, child in enumerate(style):
            if etree.QName(child).localname in later:
                style.insert(index, ppr)
                break
        else:
            style.append(ppr)
    return ppr
