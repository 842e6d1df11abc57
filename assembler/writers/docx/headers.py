"""Running header (the confidentiality marking) and footer ("Page X of Y").

The cover page gets its own first-page header (the marking, so a draft is
marked on every page) and an empty footer; the house template's own headers
are replaced, never added to.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml
from docx.parts.hdrftr import FooterPart, HeaderPart
from lxml import etree

from .context import Context
from .fields import field
from .xml import el, paragraph, qn, run

_SECT_ORDER_AFTER_TITLEPG = ("textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def _story(tag: str, par: etree._Element) -> etree._Element:
    root = el(tag)
    root.append(par)
    return parse_xml(etree.tostring(root))


def page_x_of_y(ctx: Context) -> etree._Element:
    return paragraph(
        ctx.style("Footer"),
        [run("Page "), *field("PAGE", "1"), run(" of "), *field("NUMPAGES", "1")],
    )


def set_headers(docx_document: Any, ctx: Context) -> None:
    """Replace the section's headers and footers with ours."""
    part = docx_document.part
    package = part.package
    sect = docx_document.element.body.sectPr
    for ref in list(sect):
        if etree.QName(ref).localname in ("headerReference", "footerReference"):
            part.drop_rel(ref.get(qn("r:id")))
            sect.remove(ref)
    marking = "" if ctx.deal.final else ctx.deal.confidentiality_marking

    def header() -> etree._Element:
        return paragraph(ctx.style("Header"), [run(marking)] if marking else [])

    stories = [
        ("headerReference", "default", HeaderPart, CT.WML_HEADER, RT.HEADER, "hdr", header()),
        ("headerReference", "first", HeaderPart, CT.WML_HEADER, RT.HEADER, "hdr", header()),
        ("footerReference", "default", FooterPart, CT.WML_FOOTER, RT.FOOTER, "ftr", page_x_of_y(ctx)),
        ("footerReference", "first", FooterPart, CT.WML_FOOTER, RT.FOOTER, "ftr", paragraph(ctx.style("Footer"))),
    ]
    refs = []
    for ref_tag, kind, cls, content_type, reltype, root_tag, par in stories:
        template = "/word/header%d.xml" if root_tag == "hdr" else "/word/footer%d.xml"
        story = cls(package.next_partname(template), content_type, _story(root_tag, par), package)
        rid = part.relate_to(story, reltype)
        ref = el(ref_tag, type=kind)
        ref.set(qn("r:id"), rid)
        refs.append(ref)
    for index, ref in enumerate(refs):
        sect.insert(index, ref)
    if sect.find(qn("titlePg")) is None:
        title_pg = el("titlePg")
        for child in sect:
            if etree.QName(child).localname in _SECT_ORDER_AFTER_TITLEPG:
                child.addprevious(title_pg)
                break
        else:
            sect.append(title_pg)


def text_width(docx_document: Any) -> int:
    """Width between the margins, in twips, from the section's page setup."""
    sect = docx_document.element.body.sectPr
    size = sect.find(qn("pgSz")) if sect is not None else None
    margins = sect.find(qn("pgMar")) if sect is not None else None
    if size is None or margins is None:
        return 9026

    def twips(node: etree._Element, attr: str, default: int) -> int:
        try:
            return int(float(node.get(qn(attr)) or default))
        except ValueError:
            return default

    width = twips(size, "w", 11906) - twips(margins, "left", 1440) - twips(margins, "right", 1440)
    width -= twips(margins, "gutter", 0)
    return width if width > 1440 else 9026
