"""The XML layer: the only module that spells WordprocessingML element names.

Everything else builds paragraphs and runs through these helpers, so the
output is plain lxml elements that python-docx can carry and lxml can query.
"""

from __future__ import annotations

import re

from lxml import etree

from assembler.base.errors import OutputError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"w": W_NS, "r": R_NS}

# Characters XML 1.0 cannot hold; validation rejects them earlier, this is the
# last guard so a corrupt file is never written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def qn(tag: str) -> str:
    """Clark name of a ``w:`` tag (``"w:p"`` or ``"p"``) or an ``r:`` attribute."""
    prefix, _, local = tag.rpartition(":")
    return f"{{{R_NS if prefix == 'r' else W_NS}}}{local}"


def el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    """A ``w:`` element with ``w:`` attributes: ``el("jc", val="center")``."""
    node = etree.Element(qn(tag), nsmap=NSMAP) if parent is None else etree.SubElement(parent, qn(tag))
    for key, value in attrs.items():
        node.set(qn(key), value)
    return node


def checked(text: str) -> str:
    """``text`` if XML can hold it; otherwise an :class:`OutputError`."""
    match = _NOT_XML.search(text)
    if match:
        raise OutputError(
            f"text contains a character XML cannot hold (U+{ord(match.group()):04X}): {text[:60]!r}"
        )
    return text


def run(text: str = "", style: str = "", props: tuple[str, ...] = ()) -> etree._Element:
    """A run of text; ``style`` is a character style id, ``props`` extra flags ("b", "i")."""
    node = el("r")
    add_rpr(node, style, props)
    if text:
        t = el("t", node)
        t.text = checked(text)
        if text != text.strip() or "  " in text:
            t.set(f"{{{XML_NS}}}space", "preserve")
    return node


def add_rpr(node: etree._Element, style: str, props: tuple[str, ...] = ()) -> None:
    """Give run ``node`` a character style and flags, in schema order."""
    if not style and not props:
        return
    rpr = el("rPr")
    node.insert(0, rpr)
    if style:
        el("rStyle", rpr, val=style)
    for flag in ("b", "i"):
        if flag in props:
            el(flag, rpr)
        elif f"{flag}0" in props:  # switched off against the style: "(“Helixa”)" on the cover
            el(flag, rpr, val="0")


def tab_run() -> etree._Element:
    node = el("r")
    el("tab", node)
    return node


def break_run(kind: str = "") -> etree._Element:
    node = el("r")
    br = el("br", node)
    if kind:
        br.set(qn("type"), kind)
    return node


def paragraph(style: str, children: list[etree._Element] | tuple[etree._Element, ...] = ()) -> etree._Element:
    """A paragraph in paragraph style ``style`` holding ``children``."""
    node = el("p")
    ppr = el("pPr", node)
    el("pStyle", ppr, val=style)
    node.extend(children)
    return node


def set_numbering(par: etree._Element, num_id: int, ilvl: int) -> None:
    """Put ``par`` in list ``num_id`` at level ``ilvl`` (numPr follows pStyle)."""
    ppr = par.find(qn("pPr"))
    if ppr is None:
        ppr = el("pPr")
        par.insert(0, ppr)
    num = el("numPr")
    el("ilvl", num, val=str(ilvl))
    el("numId", num, val=str(num_id))
    style = ppr.find(qn("pStyle"))
    ppr.insert(0 if style is None else 1, num)


def page_break_before(par: etree._Element) -> etree._Element:
    """Start ``par`` on a new page whatever its style says (a house template's
    "Title" may not): cover, contents, body and each schedule begin a page."""
    ppr = par.find(qn("pPr"))
    assert ppr is not None
    insert_in_order(ppr, el("pageBreakBefore"), PPR_ORDER)
    return par


def _ppr(par: etree._Element) -> etree._Element:
    ppr = par.find(qn("pPr"))
    if ppr is None:
        ppr = el("pPr")
        par.insert(0, ppr)
    return ppr


def set_leader_tab(par: etree._Element, position: int, clear: tuple[int, ...] = ()) -> None:
    """A right tab with a dot leader at ``position`` (the page number of a
    contents entry at the right margin); ``clear`` drops the style's right
    tabs elsewhere."""
    tabs = el("tabs")
    for old in sorted(set(clear) - {position}):
        el("tab", tabs, val="clear", pos=str(old))
    el("tab", tabs, val="right", leader="dot", pos=str(position))
    insert_in_order(_ppr(par), tabs, PPR_ORDER)


def keep_with_next(par: etree._Element) -> None:
    """Keep ``par`` on the page of what follows it."""
    insert_in_order(_ppr(par), el("keepNext"), PPR_ORDER)


def keep_whole(par: etree._Element) -> None:
    """Keep the lines of ``par`` on one page."""
    insert_in_order(_ppr(par), el("keepLines"), PPR_ORDER)


def set_jc(par: etree._Element, value: str) -> None:
    """Alignment of a table cell's paragraph (the column's alignment)."""
    ppr = par.find(qn("pPr"))
    assert ppr is not None
    el("jc", ppr, val=value)


def insert_in_order(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> None:
    """Insert ``child`` into ``parent`` at its place in the schema sequence ``order``
    (local names), replacing an existing element of the same name."""
    name = etree.QName(child).localname
    for old in parent.findall(qn(name)):
        parent.remove(old)
    later = set(order[order.index(name) + 1 :])
    for index, node in enumerate(parent):
        if etree.QName(node).localname in later:
            parent.insert(index, child)
            return
    parent.append(child)


# Schema order of the children of w:pPr (enough of it to place numPr and friends).
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)

# Schema order of w:style children.
STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
    "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
    "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
)
