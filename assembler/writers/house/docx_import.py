"""A house DOCX (``--reference-docx``) → the house style it implies.

The DOCX writer merges our styles into the house template (its styles win,
missing ones come from ours); this module makes the same merge and reads
the result the way Word does (document defaults, then each ``basedOn``
ancestor, then the style; theme fonts through ``theme1.xml``), so the PDF
and HTML take the house's fonts, sizes, colours, spacing and margins.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from assembler.base.errors import OutputError
from assembler.base.resources import templates_dir

from .metrics import line_height
from .model import HouseStyle, TextStyle, default_house_style

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_REFERENCE_BYTES = 50 * 1024 * 1024
MM_PER_TWIP = 25.4 / 1440

# Which of our styles (by id in templates/reference.docx) each house text style reads.
STYLE_OF_ROLE: dict[str, str] = {
    "body": "BodyText", "title": "Title", "article": "Heading1", "section": "Heading2",
    "preamble_heading": "PreambleHeading", "schedule": "ScheduleTitle", "contents_heading": "TOCHeading",
    "contents_1": "TOC1", "contents_2": "TOC2", "cover_marking": "CoverMarking", "cover_title": "CoverTitle",
    "cover_text": "CoverText", "cover_party": "CoverParties", "cover_date": "Subtitle", "running": "Header",
    "table": "TableText", "signature": "SignatureText",
}


def load_house_style(reference_docx: Path | None = None) -> HouseStyle:
    """Ours, or the house style of ``reference_docx``."""
    if reference_docx is None:
        return default_house_style()
    return house_style_from_docx(Path(reference_docx))


def house_style_from_docx(path: Path) -> HouseStyle:
    """The house style a house DOCX implies; :class:`OutputError` when it
    cannot be read as a Word document."""
    from assembler.library.yamlio import read_limited

    try:
        data = read_limited(path, str(path), MAX_REFERENCE_BYTES)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"))
            document = _optional(archive, "word/document.xml")
            theme = _optional(archive, _theme_name(archive))
        with zipfile.ZipFile(templates_dir() / "reference.docx") as ours_archive:
            ours = etree.fromstring(ours_archive.read("word/styles.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise OutputError(f"{path}: cannot read reference DOCX: {error}") from None
    except Exception as error:  # InputError from the size limit, and the like
        problems = getattr(error, "problems", None)
        message = problems[0].message if problems else str(error)
        raise OutputError(f"{path}: cannot read reference DOCX: {message}") from None
    from assembler.writers.docx.styles import merge_styles

    style_ids, _ = merge_styles(styles, ours)
    resolver = _Resolver(styles, theme)
    base = default_house_style()
    font = resolver.resolve(style_ids.get("Normal", "Normal")).get("font") or base.font
    roles = {
        role: _text_style(getattr(base.styles, role), resolver.resolve(style_ids.get(style_id, style_id)), font)
        for role, style_id in STYLE_OF_ROLE.items()
    }
    update: dict[str, Any] = {"font": font, "styles": base.styles.model_copy(update=roles)}
    page = _page(document, base)
    if page is not None:
        update["page"] = page
    running = roles["running"].colour
    if running:
        update["colours"] = base.colours.model_copy(update={"running": running})
    language = resolver.language()
    if language:
        update["language"] = language
    return base.model_copy(update=update)


def _optional(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        return etree.fromstring(archive.read(name)) if name else None
    except (KeyError, etree.XMLSyntaxError):
        return None


def _theme_name(archive: zipfile.ZipFile) -> str:
    try:
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    except (KeyError, etree.XMLSyntaxError):
        return ""
    for rel in rels.iter(f"{REL}Relationship"):
        if (rel.get("Type") or "").endswith("/theme"):
            return "word/" + (rel.get("Target") or "").lstrip("/").removeprefix("word/")
    return ""


def _on(node: etree._Element) -> bool:
    return (node.get(f"{W}val") or "true").lower() not in ("0", "false", "off")


class _Resolver:
    """Effective paragraph and run properties of a style, as Word works them out."""

    def __init__(self, styles: etree._Element, theme: etree._Element | None) -> None:
        self.styles = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
        self.defaults = styles.find(f"{W}docDefaults")
        self.theme_fonts: dict[str, str] = {}
        if theme is not None:
            for kind in ("major", "minor"):
                latin = theme.find(f".//{A}{kind}Font/{A}latin")
                if latin is not None and latin.get("typeface"):
                    self.theme_fonts[kind] = latin.get("typeface") or ""

    def language(self) -> str:
        lang = self.defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang") if self.defaults is not None else None
        return (lang.get(f"{W}val") or "") if lang is not None else ""

    def chain(self, style_id: str) -> list[etree._Element]:
        out: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            out.append(style)
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else ""
        return out[::-1]

    def resolve(self, style_id: str) -> dict[str, Any]:
        props: dict[str, Any] = {}
        layers: list[tuple[etree._Element | None, etree._Element | None]] = []
        if self.defaults is not None:
            layers.append((self.defaults.find(f"{W}pPrDefault/{W}pPr"), self.defaults.find(f"{W}rPrDefault/{W}rPr")))
        layers += [(style.find(f"{W}pPr"), style.find(f"{W}rPr")) for style in self.chain(style_id)]
        for ppr, rpr in layers:
            if ppr is not None:
                self._paragraph(ppr, props)
            if rpr is not None:
                self._run(rpr, props)
        return props

    def _paragraph(self, ppr: etree._Element, props: dict[str, Any]) -> None:
        spacing = ppr.find(f"{W}spacing")
        if spacing is not None:
            for key in ("before", "after", "line", "lineRule"):
                value = spacing.get(f"{W}{key}")
                if value is not None:
                    props[key] = value
        jc = ppr.find(f"{W}jc")
        if jc is not None:
            props["jc"] = jc.get(f"{W}val")

    def _run(self, rpr: etree._Element, props: dict[str, Any]) -> None:
        fonts = rpr.find(f"{W}rFonts")
        if fonts is not None:
            theme = fonts.get(f"{W}asciiTheme")
            if theme:
                font = self.theme_fonts.get("major" if theme.startswith("major") else "minor")
                if font:
                    props["font"] = font
            elif fonts.get(f"{W}ascii"):
                props["font"] = fonts.get(f"{W}ascii")
        for flag in ("b", "i", "caps"):
            node = rpr.find(f"{W}{flag}")
            if node is not None:
                props[flag] = _on(node)
        colour = rpr.find(f"{W}color")
        if colour is not None and (colour.get(f"{W}val") or "auto").lower() != "auto":
            props["color"] = (colour.get(f"{W}val") or "").upper()
        size = rpr.find(f"{W}sz")
        if size is not None and (size.get(f"{W}val") or "").isdigit():
            props["sz"] = int(size.get(f"{W}val") or 0)


def _points(twips: Any, default: float) -> float:
    try:
        return max(0.0, float(twips) / 20)
    except (TypeError, ValueError):
        return default


def _text_style(base: TextStyle, props: dict[str, Any], body_font: str) -> TextStyle:
    font = props.get("font") or body_font
    size = props["sz"] / 2 if props.get("sz") else base.size_pt
    natural = size * line_height(font)
    rule, line = props.get("lineRule", "auto"), props.get("line")
    if line is None:
        line_pt = natural
    elif rule == "exact":
        line_pt = _points(line, natural)
    elif rule == "atLeast":
        line_pt = max(natural, _points(line, natural))
    else:  # auto: 240ths of a single line
        try:
            line_pt = natural * float(line) / 240
        except ValueError:
            line_pt = natural
    align = {"both": "justify", "center": "center", "right": "right", "end": "right"}.get(props.get("jc") or "", "left")
    colour = props.get("color")
    return base.model_copy(update={
        "font": None if font == body_font else font,
        "size_pt": size,
        "line_pt": round(max(line_pt, 1.0), 3),
        "bold": props.get("b", False),
        "italic": props.get("i", False),
        "caps": props.get("caps", False),
        "colour": colour if colour and len(colour) == 6 else base.colour,
        "before_pt": _points(props.get("before"), 0.0),
        "after_pt": _points(props.get("after"), 0.0),
        "align": align,
    })


def _page(document: etree._Element | None, base: HouseStyle) -> Any:
    """The house template's margins and header/footer distances (its paper
    size is not used: ``--paper`` decides the size in both routes)."""
    if document is None:
        return None
    sections = list(document.iter(f"{W}sectPr"))
    margins = sections[-1].find(f"{W}pgMar") if sections else None
    if margins is None:
        return None

    def mm(name: str, default: float) -> float:
        try:
            return abs(float(margins.get(f"{W}{name}") or "")) * MM_PER_TWIP
        except ValueError:
            return default

    page = base.page
    edges = page.margins_mm.model_copy(update={
        side: mm(side, getattr(page.margins_mm, side)) for side in ("top", "right", "bottom", "left")
    })
    return page.model_copy(update={
        "margins_mm": edges, "header_mm": mm("header", page.header_mm), "footer_mm": mm("footer", page.footer_mm),
    })


__all__ = ["STYLE_OF_ROLE", "house_style_from_docx", "load_house_style"]
