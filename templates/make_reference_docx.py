"""Generate ``templates/reference.docx``, the house style of dealdraft's DOCX output.

The values (page margins, font, sizes, line pitch, spacing, indent, colours,
heading case, the cover and the execution page) come from
``templates/house-style.yaml``, the same description the print stylesheet's
values are written from, so the DOCX and the PDF lay out alike; the
structure (numbering, keeping, indents, tabs) is here. Run by hand after
changing the YAML or a style, and commit the result::

    python templates/make_reference_docx.py

The file is written from scratch with lxml (no word-processor defaults, no
stray dates or application stamps), so the same script always writes the same
bytes. A firm that wants its own look opens ``reference.docx`` in Word,
changes the styles shown on its sample page and passes it as
``--reference-docx``; styles it lacks fall back to the ones defined here.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from lxml import etree

from assembler.writers.docx.parts import FONT_TABLE_CT, FONT_TABLE_RT, THEME_CT, THEME_RT, font_table_xml, theme_xml
from assembler.writers.house.model import TextStyle, default_house_style

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"
FIXED_DATE = "2026-01-01T00:00:00Z"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

HOUSE = default_house_style()
STYLE = HOUSE.styles
TWIPS_PER_MM = 1440 / 25.4


def twips(points: float) -> int:
    return round(points * 20)


def mm_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


# Page: A4 with the house margins (the writer sets the paper size per build).
MARGINS = HOUSE.page.margins_mm
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
TEXT_WIDTH = PAGE_WIDTH - mm_twips(MARGINS.left) - mm_twips(MARGINS.right)
INDENT = mm_twips(HOUSE.indent_mm)  # one step of clause indentation: the number column

# Numbering ids. The writer finds our lists by these abstractNum names.
OUTLINE_NUM, SCHEDULE_NUM, BULLET_NUM, PREAMBLE_NUM = 1, 2, 3, 4


def el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    """A w: element with w: attributes (``val="x"`` → ``w:val="x"``)."""
    name = W + tag
    node = etree.Element(name, nsmap={"w": W_NS}) if parent is None else etree.SubElement(parent, name)
    for key, value in attrs.items():
        node.set(W + key, value)
    return node


def look(style: TextStyle, **extra: object) -> tuple[dict[str, object], dict[str, object]]:
    """The paragraph and run specs of a house text style (plus ``extra`` pPr)."""
    pspec: dict[str, object] = {"before": twips(style.before_pt), "after": twips(style.after_pt),
                                "exact": twips(style.line_pt)}
    if style.align != "left":
        pspec["jc"] = {"justify": "both"}.get(style.align, style.align)
    pspec.update(extra)
    rspec: dict[str, object] = {"sz": round(style.size_pt * 2)}
    for flag, on in (("b", style.bold), ("i", style.italic), ("caps", style.caps)):
        if on:
            rspec[flag] = True
    if style.colour:
        rspec["color"] = style.colour
    if style.font and style.font != HOUSE.font:
        rspec["font"] = style.font
    return pspec, rspec


# --- styles -----------------------------------------------------------------
# Each style: (type, name, id, basedOn, next, pPr spec, rPr spec). The specs
# are small dicts turned into XML by ppr()/rpr() below, in schema order; the
# values come from the house style, the structure (numbering, keeping,
# indents, tabs) from here.

P, C, T = "paragraph", "character", "table"
KEEP = {"keepNext": True, "keepLines": True}
HANG = (INDENT, INDENT)
SIGN = look(STYLE.signature, **KEEP)
TABLE = look(STYLE.table)
TABLE[0].update(before=0, after=0)
RULE = {"color": HOUSE.colours.rule, "sz": max(2, round(HOUSE.tables.rule_pt * 8))}

STYLES: list[tuple[str, str, str, str, str, dict[str, object], dict[str, object]]] = [
    (P, "Normal", "Normal", "", "", *look(STYLE.body, jc=None)),
    (P, "Title", "Title", "Normal", "Preamble", *look(STYLE.title, pageBreakBefore=True, keepNext=True, ind=(0, 0))),
    (P, "Subtitle", "Subtitle", "Normal", "Preamble", *look(STYLE.cover_date)),
    (P, "heading 1", "Heading1", "Normal", "BodyText",
     *look(STYLE.article, **KEEP, num=(OUTLINE_NUM, 0), ind=HANG, outline=0)),
    (P, "heading 2", "Heading2", "Normal", "BodyText",
     *look(STYLE.section, **KEEP, num=(OUTLINE_NUM, 1), ind=HANG, outline=1)),
    (P, "Body Text", "BodyText", "Normal", "BodyText", {"ind": (INDENT, 0), "jc": "both" if STYLE.body.align == "justify" else STYLE.body.align}, {}),
    (P, "Preamble", "Preamble", "BodyText", "Preamble", {"ind": (0, 0)}, {}),
    (P, "Preamble Heading", "PreambleHeading", "Normal", "Preamble", *look(STYLE.preamble_heading, **KEEP)),
    (P, "List (a)", "Lista", "BodyText", "Lista", {"num": (OUTLINE_NUM, 2), "ind": (2 * INDENT, INDENT)}, {}),
    (P, "List (i)", "Listi", "BodyText", "Listi", {"num": (OUTLINE_NUM, 3), "ind": (3 * INDENT, INDENT)}, {}),
    (P, "List (a) Continue", "ListaContinue", "BodyText", "ListaContinue", {"ind": (2 * INDENT, 0)}, {}),
    (P, "List (i) Continue", "ListiContinue", "BodyText", "ListiContinue", {"ind": (3 * INDENT, 0)}, {}),
    (P, "List Bullet", "ListBullet", "BodyText", "ListBullet",
     {"num": (BULLET_NUM, 0), "ind": (INDENT + INDENT // 2, INDENT // 2)}, {}),
    (P, "List Bullet 2", "ListBullet2", "BodyText", "ListBullet2",
     {"num": (BULLET_NUM, 1), "ind": (2 * INDENT + INDENT // 2, INDENT // 2)}, {}),
    (P, "Definition", "Definition", "BodyText", "Definition", {"ind": (INDENT, 0)}, {}),
    (P, "Schedule Title", "ScheduleTitle", "Normal", "ScheduleHeading",
     *look(STYLE.schedule, pageBreakBefore=True, keepNext=True, num=(SCHEDULE_NUM, 0), ind=(0, 0), outline=0)),
    (P, "Schedule Heading", "ScheduleHeading", "Normal", "BodyText",
     *look(STYLE.section, **KEEP, num=(SCHEDULE_NUM, 1), ind=HANG, outline=1)),
    (P, "Cover Space", "CoverSpace", "Normal", "CoverMarking",
     {"before": 0, "after": 0, "exact": mm_twips(HOUSE.cover.top_mm)}, {"sz": 2}),
    (P, "Cover Title", "CoverTitle", "Normal", "CoverText", *look(STYLE.cover_title, keepNext=True)),
    (P, "Cover Parties", "CoverParties", "Normal", "CoverText", *look(STYLE.cover_party, keepNext=True)),
    (P, "Cover Text", "CoverText", "Normal", "CoverText", *look(STYLE.cover_text, keepNext=True)),
    (P, "Cover Marking", "CoverMarking", "Normal", "CoverTitle", *look(STYLE.cover_marking, keepNext=True)),
    (P, "TOC Heading", "TOCHeading", "Heading1", "Normal",
     *look(STYLE.contents_heading, pageBreakBefore=True, num=(0, -1), ind=(0, 0), outline=9)),
    (P, "toc 1", "TOC1", "Normal", "Normal",
     *look(STYLE.contents_1, tabs=[("left", INDENT), ("right", TEXT_WIDTH, "dot")], ind=HANG)),
    (P, "toc 2", "TOC2", "Normal", "Normal",
     *look(STYLE.contents_2, tabs=[("left", 2 * INDENT), ("right", TEXT_WIDTH, "dot")], ind=(2 * INDENT, INDENT))),
    (P, "header", "Header", "Normal", "Header",
     *look(STYLE.running, tabs=[("center", TEXT_WIDTH // 2), ("right", TEXT_WIDTH)], jc="right", before=0, after=0)),
    (P, "footer", "Footer", "Normal", "Footer",
     *look(STYLE.running, tabs=[("center", TEXT_WIDTH // 2), ("right", TEXT_WIDTH)], jc="center", before=0, after=0)),
    (P, "Signature Lead-in", "SignatureLeadIn", "Normal", "SignatureIntro",
     *look(STYLE.body, keepNext=True, keepLines=True, before=twips(HOUSE.execution.before_pt))),
    (P, "Signature Text", "SignatureText", "Normal", "SignatureText", *SIGN),
    (P, "Signature Intro", "SignatureIntro", "SignatureText", "SignatureParty", {}, {}),
    (P, "Signature Party", "SignatureParty", "SignatureText", "SignatureText", {}, {"b": True, "caps": True}),
    (P, "Signature Line", "SignatureLine", "SignatureText", "SignatureText",
     {"before": mm_twips(HOUSE.execution.signing_space_mm), "border": RULE}, {}),
    (P, "Table Heading", "TableHeading", "Normal", "TableText", {**TABLE[0], "keepNext": True}, {**TABLE[1], "b": True}),
    (P, "Table Text", "TableText", "Normal", "TableText", *TABLE),
    (P, "Table Total", "TableTotal", "TableText", "TableText", {}, {"b": True}),
    (P, "Table Space After", "TableSpaceAfter", "Normal", "BodyText",
     {"before": 0, "after": 0, "exact": max(twips(HOUSE.tables.after_pt), 20)}, {"sz": 2}),
    (P, "annotation text", "CommentText", "Normal", "CommentText", {"after": 0, "exact": 240, "jc": None}, {}),
    (C, "annotation reference", "CommentReference", "", "", {}, {"sz": 16}),
    (C, "Emphasis", "Emphasis", "", "", {}, {"i": True}),
    (C, "Strong", "Strong", "", "", {}, {"b": True}),
    (C, "Defined Term", "DefinedTerm", "", "", {}, {"b": True}),
    (C, "Blank", "Blank", "", "", {}, {"shd": HOUSE.colours.blank}),
    (C, "Hyperlink", "Hyperlink", "", "", {}, {}),
]


def ppr(parent: etree._Element, spec: dict[str, object]) -> None:
    """Paragraph properties in schema order."""
    p = el("pPr", parent)
    for flag in ("keepNext", "keepLines", "pageBreakBefore", "widowControl"):
        if spec.get(flag):
            el(flag, p)
    if "num" in spec:
        num_id, lvl = spec["num"]  # type: ignore[misc]
        num = el("numPr", p)
        if lvl >= 0:
            el("ilvl", num, val=str(lvl))
        el("numId", num, val=str(num_id))
    if "border" in spec:
        rule = spec["border"]
        el("bottom", el("pBdr", p), val="single", sz=str(rule["sz"]), space="1", color=rule["color"])  # type: ignore[index]
    if "tabs" in spec:
        tabs = el("tabs", p)
        for tab in spec["tabs"]:  # type: ignore[attr-defined]
            node = el("tab", tabs, val=tab[0], pos=str(tab[1]))
            if len(tab) > 2:
                node.set(W + "leader", tab[2])
    if any(key in spec for key in ("before", "after", "exact")):
        spacing = el("spacing", p)
        for key in ("before", "after"):
            if key in spec:
                spacing.set(W + key, str(spec[key]))
        if "exact" in spec:
            spacing.set(W + "line", str(spec["exact"]))
            spacing.set(W + "lineRule", "exact")
    if "ind" in spec:
        left, hanging = spec["ind"]  # type: ignore[misc]
        ind = el("ind", p, left=str(left))
        ind.set(W + ("hanging" if hanging else "firstLine"), str(hanging))
    if spec.get("jc"):
        el("jc", p, val=str(spec["jc"]))
    if "outline" in spec:
        el("outlineLvl", p, val=str(spec["outline"]))
    if not len(p):
        parent.remove(p)


def rpr(parent: etree._Element, spec: dict[str, object]) -> None:
    """Run properties in schema order."""
    r = el("rPr", parent)
    if "font" in spec:
        fonts = el("rFonts", r)
        for attr in ("ascii", "hAnsi", "cs"):
            fonts.set(W + attr, str(spec["font"]))
    for flag in ("b", "i", "caps"):
        if spec.get(flag):
            el(flag, r)
    if "color" in spec:
        el("color", r, val=str(spec["color"]))
    if "sz" in spec:
        el("sz", r, val=str(spec["sz"]))
        el("szCs", r, val=str(spec["sz"]))
    if "shd" in spec:
        el("shd", r, val="clear", color="auto", fill=str(spec["shd"]))
    if not len(r):
        parent.remove(r)


def styles_xml() -> etree._Element:
    root = el("styles")
    defaults = el("docDefaults", root)
    rdef = el("rPr", el("rPrDefault", defaults))
    fonts = el("rFonts", rdef)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(W + attr, HOUSE.font)
    body = STYLE.body
    el("color", rdef, val=body.colour or HOUSE.colours.text)
    el("sz", rdef, val=str(round(body.size_pt * 2)))
    el("szCs", rdef, val=str(round(body.size_pt * 2)))
    el("lang", rdef, val=HOUSE.language, eastAsia="en-US", bidi="ar-SA")
    pdef = el("pPr", el("pPrDefault", defaults))
    el("widowControl", pdef)
    el("spacing", pdef, after=str(twips(body.after_pt)), line=str(twips(body.line_pt)), lineRule="exact")
    for kind, name, style_id, based, nxt, pspec, rspec in STYLES:
        style = el("style", root, type=kind, styleId=style_id)
        if style_id == "Normal":
            style.set(W + "default", "1")
        el("name", style, val=name)
        if based:
            el("basedOn", style, val=based)
        if nxt:
            el("next", style, val=nxt)
        if style_id in {"Normal", "Heading1", "Heading2", "Title", "Subtitle", "BodyText"}:
            el("qFormat", style)
        if pspec:
            ppr(style, pspec)
        if rspec:
            rpr(style, rspec)
    # Default table and list styles, as Word writes them.
    table = el("style", root, type="table", default="1", styleId="TableNormal")
    el("name", table, val="Normal Table")
    el("uiPriority", table, val="99")
    el("semiHidden", table)
    tpr = el("tblPr", table)
    el("tblInd", tpr, w="0", type="dxa")
    mar = el("tblCellMar", tpr)
    for side, width in (("top", 0), ("left", 108), ("bottom", 0), ("right", 108)):
        el(side, mar, w=str(width), type="dxa")
    nolist = el("style", root, type="numbering", default="1", styleId="NoList")
    el("name", nolist, val="No List")
    el("semiHidden", nolist)
    root.append(deal_table_style())
    root.append(signature_grid_style())
    return root


def deal_table_style() -> etree._Element:
    """"Deal Table": ruled grid, shaded bold header row, bold total row."""
    style = el("style", type="table", styleId="DealTable")
    el("name", style, val="Deal Table")
    el("basedOn", style, val="TableNormal")
    p = el("pPr", style)
    el("spacing", p, before="0", after="0", line=str(twips(STYLE.table.line_pt)), lineRule="exact")
    tpr = el("tblPr", style)
    el("tblInd", tpr, w=str(INDENT), type="dxa")
    borders = el("tblBorders", tpr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el(side, borders, val="single", sz=str(RULE["sz"]), space="0", color=str(RULE["color"]))
    mar = el("tblCellMar", tpr)
    padding = HOUSE.tables.padding_pt
    for side, width in (("top", padding.vertical), ("left", padding.horizontal),
                        ("bottom", padding.vertical), ("right", padding.horizontal)):
        el(side, mar, w=str(twips(width)), type="dxa")
    first = el("tblStylePr", style, type="firstRow")
    el("b", el("rPr", first))
    el("tblHeader", el("trPr", first))
    el("shd", el("tcPr", first), val="clear", color="auto", fill=HOUSE.colours.table_header)
    last = el("tblStylePr", style, type="lastRow")
    el("b", el("rPr", last))
    el("top", el("tcBorders", el("tcPr", last)), val="double", sz=str(RULE["sz"]), space="0", color=str(RULE["color"]))
    return style


def signature_grid_style() -> etree._Element:
    """"Signature Grid": the execution blocks side by side, no rules."""
    style = el("style", type="table", styleId="SignatureGrid")
    el("name", style, val="Signature Grid")
    el("basedOn", style, val="TableNormal")
    tpr = el("tblPr", style)
    el("tblInd", tpr, w="0", type="dxa")
    mar = el("tblCellMar", tpr)
    for side, width in (("top", 0), ("left", 0), ("bottom", 0), ("right", 360)):
        el(side, mar, w=str(width), type="dxa")
    return style


# --- numbering --------------------------------------------------------------

LEVELS: dict[int, tuple[str, list[tuple[str, str, str, int, int]]]] = {
    # abstractNum id: (name, [(numFmt, lvlText, pStyle, left, hanging), ...])
    OUTLINE_NUM: ("dealdraft outline", [
        ("decimal", "%1.", "Heading1", INDENT, INDENT),
        ("decimal", "%1.%2", "Heading2", INDENT, INDENT),
        ("lowerLetter", "(%3)", "Lista", 2 * INDENT, INDENT),
        ("lowerRoman", "(%4)", "Listi", 3 * INDENT, INDENT),
        ("upperLetter", "(%5)", "", 4 * INDENT, INDENT),
        ("decimal", "(%6)", "", 5 * INDENT, INDENT),
        ("lowerLetter", "%7.", "", 6 * INDENT, INDENT),
        ("lowerRoman", "%8.", "", 7 * INDENT, INDENT),
        ("decimal", "%9.", "", 8 * INDENT, INDENT),
    ]),
    SCHEDULE_NUM: ("dealdraft schedules", [
        # A no-break space, as the typographic pass ties "Schedule 2" in the
        # text: a REF field to a schedule shows the same characters cached
        # and updated.
        ("decimal", "Schedule\u00a0%1", "ScheduleTitle", 0, 0),
        ("decimal", "%2.", "ScheduleHeading", INDENT, INDENT),
    ]),
    # Lists before Article 1 (parties, recitals) must not touch the outline's
    # counters, or LibreOffice numbers the first article "2.".
    PREAMBLE_NUM: ("dealdraft preamble lists", [
        ("lowerLetter", "(%1)", "", INDENT, INDENT),
        ("lowerRoman", "(%2)", "", 2 * INDENT, INDENT),
    ]),
    BULLET_NUM: ("dealdraft bullets", [
        ("bullet", "\u2022", "ListBullet", INDENT + INDENT // 2, INDENT // 2),
        ("bullet", "\u2013", "ListBullet2", 2 * INDENT + INDENT // 2, INDENT // 2),
    ]),
}


def numbering_xml() -> etree._Element:
    root = el("numbering")
    for abstract_id, (name, levels) in LEVELS.items():
        abstract = el("abstractNum", root, abstractNumId=str(abstract_id))
        el("nsid", abstract, val=f"D0C{abstract_id:05X}")
        el("multiLevelType", abstract, val="multilevel" if len(levels) > 2 else "hybridMultilevel")
        el("name", abstract, val=name)
        for index, (fmt, text, pstyle, left, hanging) in enumerate(levels):
            lvl = el("lvl", abstract, ilvl=str(index))
            el("start", lvl, val="1")
            el("numFmt", lvl, val=fmt)
            if pstyle:
                el("pStyle", lvl, val=pstyle)
            if pstyle == "ScheduleTitle":
                el("suff", lvl, val="nothing")
            el("lvlText", lvl, val=text)
            el("lvlJc", lvl, val="left")
            pp = el("pPr", lvl)
            ind = el("ind", pp, left=str(left))
            ind.set(W + ("hanging" if hanging else "firstLine"), str(hanging))
            if fmt == "bullet":
                fonts = el("rFonts", el("rPr", lvl))
                fonts.set(W + "ascii", HOUSE.font)
                fonts.set(W + "hAnsi", HOUSE.font)
    for abstract_id in LEVELS:
        num = el("num", root, numId=str(abstract_id))
        el("abstractNumId", num, val=str(abstract_id))
    return root


# --- the sample page ----------------------------------------------------------

SAMPLES = [
    ("CoverSpace", "Cover Space"), ("CoverTitle", "Cover Title"), ("CoverParties", "Cover Parties"), ("CoverText", "Cover Text"),
    ("CoverMarking", "Cover Marking"), ("TOCHeading", "TOC Heading"), ("TOC1", "toc 1"),
    ("TOC2", "toc 2"), ("Title", "Title"), ("Subtitle", "Subtitle"), ("PreambleHeading", "Preamble Heading"),
    ("Preamble", "Preamble"),
    ("Heading1", "Heading 1"), ("Heading2", "Heading 2"), ("BodyText", "Body Text"),
    ("Lista", "List (a)"), ("ListaContinue", "List (a) Continue"), ("Listi", "List (i)"),
    ("ListiContinue", "List (i) Continue"), ("ListBullet", "List Bullet"),
    ("ListBullet2", "List Bullet 2"), ("Definition", "Definition"),
    ("SignatureLeadIn", "Signature Lead-in"), ("SignatureIntro", "Signature Intro"), ("SignatureParty", "Signature Party"),
    ("SignatureLine", "Signature Line"), ("SignatureText", "Signature Text"),
    ("ScheduleTitle", "Schedule Title"), ("ScheduleHeading", "Schedule Heading"),
    ("TableHeading", "Table Heading"), ("TableText", "Table Text"), ("TableTotal", "Table Total"),
    ("TableSpaceAfter", "Table Space After"),
]


def document_xml() -> etree._Element:
    root = etree.Element(W + "document", nsmap={"w": W_NS, "r": R_NS})
    body = el("body", root)
    for style_id, label in SAMPLES:
        para = el("p", body)
        el("pStyle", el("pPr", para), val=style_id)
        el("t", el("r", para)).text = f"{label} (sample of the style; dealdraft replaces this text)"
    sect = el("sectPr", body)
    el("pgSz", sect, w=str(PAGE_WIDTH), h=str(PAGE_HEIGHT))
    el("pgMar", sect, top=str(mm_twips(MARGINS.top)), right=str(mm_twips(MARGINS.right)),
       bottom=str(mm_twips(MARGINS.bottom)), left=str(mm_twips(MARGINS.left)),
       header=str(mm_twips(HOUSE.page.header_mm)), footer=str(mm_twips(HOUSE.page.footer_mm)), gutter="0")
    el("cols", sect, space="708")
    el("docGrid", sect, linePitch="360")
    return root


def settings_xml() -> etree._Element:
    root = el("settings")
    el("zoom", root, percent="100")
    el("defaultTabStop", root, val="720")
    el("characterSpacingControl", root, val="doNotCompress")
    compat = el("compat", root)
    el("compatSetting", compat, name="compatibilityMode",
       uri="http://schemas.microsoft.com/office/word", val="15")
    el("decimalSymbol", root, val=".")
    el("listSeparator", root, val=",")
    return root


CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>\
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
<Override PartName="/word/fontTable.xml" ContentType="{FONT_TABLE_CT}"/>\
<Override PartName="/word/theme/theme1.xml" ContentType="{THEME_CT}"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
</Types>"""

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{RELS_NS}">\
<Relationship Id="rId1" Type="{DOC_RT}/officeDocument" Target="word/document.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
<Relationship Id="rId3" Type="{DOC_RT}/extended-properties" Target="docProps/app.xml"/>\
</Relationships>"""

DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{RELS_NS}">\
<Relationship Id="rId1" Type="{DOC_RT}/styles" Target="styles.xml"/>\
<Relationship Id="rId2" Type="{DOC_RT}/numbering" Target="numbering.xml"/>\
<Relationship Id="rId3" Type="{DOC_RT}/settings" Target="settings.xml"/>\
<Relationship Id="rId4" Type="{FONT_TABLE_RT}" Target="fontTable.xml"/>\
<Relationship Id="rId5" Type="{THEME_RT}" Target="theme/theme1.xml"/>\
</Relationships>"""

CORE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dc:title>dealdraft reference styles</dc:title><dc:creator>dealdraft</dc:creator>\
<cp:lastModifiedBy>dealdraft</cp:lastModifiedBy><cp:revision>1</cp:revision>\
<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>\
<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified>\
</cp:coreProperties>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>dealdraft</Application><DocSecurity>0</DocSecurity></Properties>"""


def used_fonts() -> list[str]:
    """The house font and every font a style of the house style names."""
    styles = [getattr(STYLE, name) for name in type(STYLE).model_fields]
    return [HOUSE.font, *(style.font for style in styles if style.font)]


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def reference_docx() -> bytes:
    """The bytes of reference.docx; the same on every run."""
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES.encode()),
        ("_rels/.rels", PACKAGE_RELS.encode()),
        ("docProps/core.xml", CORE.encode()),
        ("docProps/app.xml", APP.encode()),
        ("word/document.xml", xml_bytes(document_xml())),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.encode()),
        ("word/styles.xml", xml_bytes(styles_xml())),
        ("word/numbering.xml", xml_bytes(numbering_xml())),
        ("word/settings.xml", xml_bytes(settings_xml())),
        ("word/fontTable.xml", font_table_xml(used_fonts())),
        ("word/theme/theme1.xml", theme_xml(HOUSE.font)),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("reference.docx")
    target.write_bytes(reference_docx())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
