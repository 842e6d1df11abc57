"""One document of a build → the bytes of its .docx.

Order of the body: cover page, table of contents, title and preamble, the
articles, the signature blocks, then the schedules.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml.parser import parse_xml
from lxml import etree

from assembler.assembly.tree import Build, Document

from .bookmarks import Anchors, iter_anchored
from .clauses import emit_article, emit_preamble, emit_schedule
from .comments import Comments
from .context import Context
from .footnotes import Footnotes
from .front import emit_cover, emit_toc
from .headers import set_headers, text_width
from .numbering import Lists
from .package import save_docx
from .properties import deal_datetime, set_properties
from .settings import set_update_fields
from .signatures import emit_signatures
from .template import Template, numbering_element, open_document
from .xml import el, page_break_before, paragraph, run


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
                comments: bool) -> Context:
    lists = Lists(numbering_element(docx_document), docx_document.styles.element)
    ctx = Context(
        deal=build.deal, document=document, styles=style_ids, lists=lists,
        anchors=Anchors(document), text_width=text_width(docx_document),
        part=docx_document.part, footnotes=Footnotes(),
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


def ensure_section(docx_document: Any) -> etree._Element:
    body = docx_document.element.body
    sect = body.sectPr
    if sect is None:
        sect = el("sectPr")
        el("pgSz", sect, w="11906", h="16838")
        el("pgMar", sect, top="1440", right="1440", bottom="1440", left="1440",
           header="709", footer="709", gutter="0")
        body.append(sect)
    return sect


def start_document(
    build: Build, document: Document, template: Template, comments: bool = False
) -> tuple[Any, Context]:
    """An empty python-docx document on the template and the context to emit
    into it; the redline writer uses this with its own body."""
    docx_document, style_ids = open_document(template)
    ensure_section(docx_document)
    return docx_document, new_context(docx_document, style_ids, build, document, comments)


def append_body(docx_document: Any, nodes: list[etree._Element]) -> None:
    """Add paragraphs and tables at the end of the body (before its sectPr)."""
    sect = docx_document.element.body.sectPr
    for node in nodes:
        sect.addprevious(node)


def finish_document(docx_document: Any, ctx: Context, build: Build, document: Document) -> bytes:
    """Headers, settings, comments and properties; then the package's bytes."""
    set_headers(docx_document, ctx)
    set_update_fields(docx_document.settings.element)
    if ctx.comments is not None and len(ctx.comments):
        attach_comments(docx_document, ctx.comments)
    set_properties(docx_document, build, document)
    return save_docx(docx_document, build.deal.date)


def write_document(build: Build, document: Document, template: Template, comments: bool = False) -> bytes:
    """The .docx bytes of one document of ``build``."""
    docx_document, ctx = start_document(build, document, template, comments)
    append_body(docx_document, [*emit_cover(ctx), *emit_toc(ctx), *emit_body(ctx)])
    return finish_document(docx_document, ctx, build, document)
