"""One document of a build → the bytes of its .docx.

Order of the body: cover page, table of contents, title and preamble, the
articles, the signature blocks, then the schedules.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml
from lxml import etree

from assembler.assembly.tree import Build, Document
from assembler.writers.house.model import PAPER_MM, HouseStyle, default_house_style

from .bookmarks import Anchors, iter_anchored
from .clauses import emit_article, emit_preamble, emit_schedule
from .comments import Comments
from .context import Context
from .footnotes import Footnotes
from .front import emit_cover, emit_toc
from .headers import set_headers, text_width
from .numbering import Lists
from .package import save_docx
from .parts import FONT_TABLE_CT, FONT_TABLE_RT, THEME_CT, THEME_RT, font_table_xml, theme_xml
from .properties import deal_datetime, set_properties
from .settings import set_update_fields
from .signatures import emit_signatures
from .template import Template, numbering_element, open_document
from .xml import el, page_break_before, paragraph, qn, run

TWIPS_PER_MM = 1440 / 25.4


def ensure_parts(docx_document: Any, house: HouseStyle) -> None:
    """A font table and a theme, which Word expects of every document
    (a house template may lack them; ours has both)."""
    part = docx_document.part
    kinds = {rel.reltype for rel in part.rels.values()}
    fonts = [house.font, *(s.font for s in (getattr(house.styles, n) for n in type(house.styles).model_fields) if s.font)]
    for reltype, name, content_type, blob in (
        (FONT_TABLE_RT, "/word/fontTable.xml", FONT_TABLE_CT, font_table_xml(fonts)),
        (THEME_RT, "/word/theme/theme1.xml", THEME_CT, theme_xml(house.font)),
    ):
        if reltype not in kinds:
            part.relate_to(Part(PackURI(name), content_type, blob, part.package), reltype)


def has_notes(document: Document) -> bool:
    return any(node.notes.strip() for node in iter_anchored(document))


def emit_body(ctx: Context) -> list[etree._Element]:
    document = ctx.document
    out = [page_break_before(paragraph(ctx.style("Title"), [run(document.title)]))]
    for section in document.preamble:
        out.extend(emit_preamble(ctx, section))
    for article in document.articles:
        out.extend(emit_article(ctx, article))
    if document.signature:
        out.extend(emit_signatures(ctx))
    for schedule in document.schedules:
        out.extend(emit_schedule(ctx, schedule))
    return out


def new_context(docx_document: Any, style_ids: dict[str, str], build: Build, document: Document,
                comments: bool, house: HouseStyle | None = None, toc_pages: dict[str, int] | None = None) -> Context:
    lists = Lists(numbering_element(docx_document), docx_document.styles.element)
    ctx = Context(
        deal=build.deal, document=document, styles=style_ids, lists=lists,
        anchors=Anchors(document), text_width=text_width(docx_document),
        part=docx_document.part, footnotes=Footnotes(),
        house=house or default_house_style(), toc_pages=toc_pages, style_root=docx_document.styles.element,
    )
    if comments and not build.deal.external and has_notes(document):
        date = deal_datetime(build.deal.date).strftime("%Y-%m-%dT%H:%M:%SZ")
        ctx.comments = Comments(date, ctx.style("CommentText"), ctx.style("CommentReference"))
    return ctx


def attach_comments(docx_document: Any, comments: Comments) -> None:
    part = docx_document.part
    for rel in list(part.rels.values()):
        if rel.reltype == RT.COMMENTS:
            part.drop_rel(rel.rId)
    # A plain XmlPart (python-docx's CommentsPart is only in 1.2+).
    comments_part = XmlPart(
        PackURI("/word/comments.xml"), CT.WML_COMMENTS,
        parse_xml(etree.tostring(comments.root)), part.package,
    )
    part.relate_to(comments_part, RT.COMMENTS)


def ensure_section(docx_document: Any, paper: str = "a4") -> etree._Element:
    """The body's section, on ``paper`` (the house template keeps its margins)."""
    body = docx_document.element.body
    sect = body.sectPr
    if sect is None:
        sect = el("sectPr")
        el("pgMar", sect, top="1440", right="1440", bottom="1440", left="1440",
           header="709", footer="709", gutter="0")
        body.append(sect)
    width, height = PAPER_MM[paper.lower()]
    size = el("pgSz", w=str(round(width * TWIPS_PER_MM)), h=str(round(height * TWIPS_PER_MM)))
    old = sect.find(qn("pgSz"))
    if old is not None:
        sect.replace(old, size)
    else:
        margins = sect.find(qn("pgMar"))
        (margins.addprevious if margins is not None else sect.append)(size)
    return sect


def start_document(
    build: Build, document: Document, template: Template, comments: bool = False, *, paper: str = "a4",
    house: HouseStyle | None = None, toc_pages: dict[str, int] | None = None,
) -> tuple[Any, Context]:
    """An empty python-docx document on the template and the context to emit
    into it; the redline writer uses this with its own body."""
    docx_document, style_ids = open_document(template)
    ensure_section(docx_document, paper)
    ensure_parts(docx_document, house or default_house_style())
    return docx_document, new_context(docx_document, style_ids, build, document, comments, house, toc_pages)


def append_body(docx_document: Any, nodes: list[etree._Element]) -> None:
    """Add paragraphs and tables at the end of the body (before its sectPr)."""
    sect = docx_document.element.body.sectPr
    for node in nodes:
        sect.addprevious(node)


def finish_document(docx_document: Any, ctx: Context, build: Build, document: Document) -> bytes:
    """Headers, settings, comments and properties; then the package's bytes.

    Word is asked to update fields on open only when the contents have no
    page numbers yet (no PDF was laid out in the same build)."""
    set_headers(docx_document, ctx)
    set_update_fields(docx_document.settings.element, ctx.toc_pages is None)
    if ctx.comments is not None and len(ctx.comments):
        attach_comments(docx_document, ctx.comments)
    set_properties(docx_document, build, document)
    return save_docx(docx_document, build.deal.date)


def write_document(
    build: Build, document: Document, template: Template, comments: bool = False, *, paper: str = "a4",
    house: HouseStyle | None = None, toc_pages: dict[str, int] | None = None,
) -> bytes:
    """The .docx bytes of one document of ``build``."""
    docx_document, ctx = start_document(
        build, document, template, comments, paper=paper, house=house, toc_pages=toc_pages,
    )
    append_body(docx_document, [*emit_cover(ctx), *emit_toc(ctx), *emit_body(ctx)])
    return finish_document(docx_document, ctx, build, document)
