"""Footnotes (a real ``footnotes.xml`` part, numbered by Word) and external
hyperlinks (``w:hyperlink`` with a relationship to the address).

Word and LibreOffice number footnotes themselves, so a footnote added in
Word renumbers the rest, as a lawyer expects. The styles these need
(Footnote Text, Footnote Reference, Hyperlink) come from the template; a
template without them gets plain ones.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from lxml import etree

from .styles import styles_by_name
from .xml import W_NS, el, paragraph, qn, run

if TYPE_CHECKING:
    from .context import Context

FOOTNOTES_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

# Style id, type, name, and the properties of a plain one for templates without it.
_STYLES = (
    ("FootnoteText", "paragraph", "footnote text", '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr>'),
    ("FootnoteReference", "character", "footnote reference", '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'),
    ("Hyperlink", "character", "hyperlink", '<w:rPr><w:color w:val="1F4E79"/><w:u w:val="single"/></w:rPr>'),
)


class Footnotes:
    """Collects the footnotes of one document while its body is written."""

    def __init__(self) -> None:
        self.root = el("footnotes")
        for ident, kind, mark in (("-1", "separator", "separator"), ("0", "continuationSeparator", "continuationSeparator")):
            note = el("footnote", self.root, type=kind, id=ident)
            par = el("p", note)
            spacing = el("pPr", par)
            el("spacing", spacing, after="0", line="240", lineRule="auto")
            el(mark, el("r", par))
        self.count = 0
        self.part: Any = None

    def __len__(self) -> int:
        return self.count

    def context(self, ctx: Context) -> Context:
        """The context footnote text is written in: links in a footnote are
        relationships of the footnotes part, not of the document."""
        if self.part is None:
            document_part = ctx.part
            for rel in list(document_part.rels.values()):
                if rel.reltype == RT.FOOTNOTES:  # a template's own footnotes part
                    document_part.drop_rel(rel.rId)
            self.part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_CONTENT_TYPE, self.root, document_part.package)
            document_part.relate_to(self.part, RT.FOOTNOTES)
        return replace(ctx, part=self.part, styles_part=ctx.part)

    def add(self, ctx: Context, runs: list[etree._Element], props: tuple[str, ...]) -> etree._Element:
        """The reference mark in the body; the footnote's text (``runs``) goes to the part."""
        self.count += 1
        ident = str(self.count)
        note = el("footnote", self.root, id=ident)
        par = paragraph(_note_style(ctx, "FootnoteText"))
        mark = run(style=_note_style(ctx, "FootnoteReference"))
        el("footnoteRef", mark)
        par.append(mark)
        par.append(run(" "))
        par.extend(runs)
        note.append(par)
        reference = run(style=_note_style(ctx, "FootnoteReference"), props=props)
        el("footnoteReference", reference, id=ident)
        return reference


def link_style(ctx: Context, style: str) -> str:
    """The character style of a hyperlink's text (the enclosing emphasis wins)."""
    return style or _note_style(ctx, "Hyperlink")


def emit_link(ctx: Context, url: str, runs: list[etree._Element]) -> list[etree._Element]:
    """A hyperlink to an external address around ``runs``."""
    if ctx.part is None:  # a writer without a package (never for a build): the text only
        return runs
    link = el("hyperlink")
    link.set(qn("r:id"), ctx.part.relate_to(url, RT.HYPERLINK, is_external=True))
    link.extend(runs)
    return [link]


def ensure_note_styles(styles_root: etree._Element, style_ids: dict[str, str]) -> None:
    """Plain footnote and hyperlink styles where the template has none."""
    existing = styles_by_name(styles_root)
    for style_id, kind, name, props in _STYLES:
        found = existing.get((kind, name))
        if found is not None:
            style_ids.setdefault(style_id, found.get(qn("styleId")) or style_id)
            continue
        xml = (
            f'<w:style xmlns:w="{W_NS}" w:type="{kind}" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/>'
            f"<w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>{props}</w:style>"
        )
        styles_root.append(etree.fromstring(xml))
        style_ids[style_id] = style_id


def _note_style(ctx: Context, style_id: str) -> str:
    """The id of a footnote or hyperlink style, added to the document's
    styles the first time one is used."""
    owner = ctx.styles_part or ctx.part
    if style_id not in ctx.styles and owner is not None:
        ensure_note_styles(owner.styles.element, ctx.styles)
    return ctx.style(style_id)
