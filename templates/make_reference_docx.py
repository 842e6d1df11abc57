"""Generate ``templates/reference.docx``, the house style of dealdraft's DOCX output.

Run by hand after changing a style, and commit the result::

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

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"
FIXED_DATE = "2026-01-01T00:00:00Z"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Page: A4, 2.54 cm margins; text width 9026 twips.
TEXT_WIDTH = 9026
INDENT = 720  # one step of clause indentation (1.27 cm)

# Numbering ids. The writer finds our lists by these abstractNum names.
OUTLINE_NUM, SCHEDULE_NUM, BULLET_NUM, PREAMBLE_NUM = 1, 2, 3, 4


def el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    """A w: element with w: attributes (``val="x"`` → ``w:val="x"``)."""
    name = W + tag
    node = etree.Element(name, nsmap={"w": W_NS}) if parent is None else etree.SubElement(parent, name)
    for key, value in attrs.items():
        node.set(W + key, value)
    return node


# --- styles -----------------------------------------------------------------
# Each style: (type, name, id, basedOn, next, pPr spec, rPr spec). The specs
# are small dicts turned into XML by ppr()/rpr() below, in schema order.

P, C, T = "paragraph", "character", "table"

STYLES: list[tuple[str, str, str, str, str, dict[str, object], dict[str, object]]] = [
    (P, "Normal", "Normal", "", "", {"after": 120, "line": 264}, {}),
    (P, "Title", "Title", "Normal", "Preamble",
     {"pageBreakBefore": True, "keepNext": True, "jc": "center", "before": 0, "after": 360},
     {"b": True, "caps": True, "sz": 28}),
    (P, "Subtitle", "Subtitle", "Normal", "Preamble", {"jc": "center", "after": 240}, {"sz": 24}),
    (P, "heading 1", "Heading1", "Normal", "BodyText",
     {"keepNext": True, "keepLines": True, "num": (OUTLINE_NUM, 0), "before": 360, "after": 120,
      "ind": (INDENT, INDENT), "outline": 0},
     {"b": True, "caps": True, "sz": 22}),
    (P, "heading 2", "Heading2", "Normal", "BodyText",
     {"keepNext": True, "keepLines": True, "num": (OUTLINE_NUM, 1), "before": 240, "after": 120,
      "ind": (INDENT, INDENT), "outline": 1},
     {"b": True, "sz": 20}),
    (P, "Body Text", "BodyText", "Normal", "BodyText", {"ind": (INDENT, 0), "jc": "both"}, {}),
    (P, "Preamble", "Preamble", "BodyText", "Preamble", {"ind": (0, 0)}, {}),
    (P, "Preamble Heading", "PreambleHeading", "Normal", "Preamble",
     {"keepNext": True, "keepLines": True, "before": 240, "after": 120}, {"b": True, "caps": True}),
    (P, "List (a)", "Lista", "BodyText", "Lista",
     {"num": (OUTLINE_NUM, 2), "ind": (2 * INDENT, INDENT)}, {}),
    (P, "List (i)", "Listi", "BodyText", "Listi",
     {"num": (OUTLINE_NUM, 3), "ind": (3 * INDENT, INDENT)}, {}),
    (P, "List (a) Continue", "ListaContinue", "BodyText", "ListaContinue",
     {"ind": (2 * INDENT, 0)}, {}),
    (P, "List (i) Continue", "ListiContinue", "BodyText", "ListiContinue",
     {"ind": (3 * INDENT, 0)}, {}),
    (P, "List Bullet", "ListBullet", "BodyText", "ListBullet",
     {"num": (BULLET_NUM, 0), "ind": (INDENT + 360, 360)}, {}),
    (P, "List Bullet 2", "ListBullet2", "BodyText", "ListBullet2",
     {"num": (BULLET_NUM, 1), "ind": (2 * INDENT + 360, 360)}, {}),
    (P, "Definition", "Definition", "BodyText", "Definition", {"ind": (INDENT, 0)}, {}),
    (P, "Schedule Title", "ScheduleTitle", "Normal", "ScheduleHeading",
     {"pageBreakBefore": True, "keepNext": True, "num": (SCHEDULE_NUM, 0), "jc": "center",
      "before": 0, "after": 360, "ind": (0, 0), "outline": 0},
     {"b": True, "caps": True, "sz": 24}),
    (P, "Schedule Heading", "ScheduleHeading", "Normal", "BodyText",
     {"keepNext": True, "keepLines": True, "num": (SCHEDULE_NUM, 1), "before": 240, "after": 120,
      "ind": (INDENT, INDENT), "outline": 1},
     {"b": True}),
    (P, "Cover Title", "CoverTitle", "Normal", "CoverText",
     {"jc": "center", "before": 2880, "after": 480}, {"b": True, "caps": True, "sz": 36}),
    (P, "Cover Parties", "CoverParties", "Normal", "CoverText",
     {"jc": "center", "before": 120, "after": 0}, {"b": True, "caps": True, "sz": 24}),
    (P, "Cover Text", "CoverText", "Normal", "CoverText", {"jc": "center", "after": 240}, {"sz": 22}),
    (P, "Cover Marking", "CoverMarking", "Normal", "CoverText",
     {"jc": "center", "before": 960, "after": 120}, {"b": True, "caps": True, "sz": 24, "color": "C00000"}),
    (P, "TOC Heading", "TOCHeading", "Heading1", "Normal",
     {"pageBreakBefore": True, "num": (0, -1), "ind": (0, 0), "outline": 9}, {}),
    (P, "toc 1", "TOC1", "Normal", "Normal",
     {"tabs": [("left", INDENT), ("right", TEXT_WIDTH, "dot")], "ind": (INDENT, INDENT),
      "before": 120, "after": 60},
     {"caps": True}),
    (P, "toc 2", "TOC2", "Normal", "Normal",
     {"tabs": [("left", 2 * INDENT), ("right", TEXT_WIDTH, "dot")], "ind": (2 * INDENT, INDENT),
      "after": 40},
     {}),
    (P, "header", "Header", "Normal", "Header",
     {"tabs": [("center", TEXT_WIDTH // 2), ("right", TEXT_WIDTH)], "after": 0, "jc": "right"},
     {"sz": 16, "color": "C00000"}),
    (P, "footer", "Footer", "Normal", "Footer",
     {"tabs": [("center", TEXT_WIDTH // 2), ("right", TEXT_WIDTH)], "after": 0, "jc": "center"},
     {"sz": 16}),
    (P, "Signature Party", "SignatureParty", "Normal", "SignatureText",
     {"keepNext": True, "keepLines": True, "after": 0}, {"b": True, "caps": True}),
    (P, "Signature Text", "SignatureText", "Normal", "SignatureText",
     {"keepNext": True, "keepLines": True, "before": 0, "after": 60}, {}),
    (P, "Signature Intro", "SignatureIntro", "SignatureText", "SignatureParty",
     {"before": 600}, {}),
    (P, "Signature Line", "SignatureLine", "SignatureText", "SignatureText",
     {"before": 840}, {}),
    (P, "Table Heading", "TableHeading", "Normal", "TableText",
     {"keepNext": True, "before": 40, "after": 40, "line": 240}, {"b": True}),
    (P, "Table Text", "TableText", "Normal", "TableText", {"before": 40, "after": 40, "line": 240}, {}),
    (P, "Table Total", "TableTotal", "TableText", "TableText", {}, {"b": True}),
    (P, "annotation text", "CommentText", "Normal", "CommentText", {"after": 0, "line": 240}, {}),
    (C, "annotation reference", "CommentReference", "", "", {}, {"sz": 16}),
    (C, "Emphasis", "Emphasis", "", "", {}, {"i": True}),
    (C, "Strong", "Strong", "", "", {}, {"b": True}),
    (C, "Defined Term", "DefinedTerm", "", "", {}, {"b": True}),
    (C, "Blank", "Blank", "", "", {}, {"highlight": "yellow"}),
    (C, "Hyperlink", "Hyperlink", "", "", {}, {}),
]


def ppr(parent: etree._Element, spec: dict[str, object]) -> None:
    """Paragraph properties in schema order."""
    p = el("pPr", parent)
    for flag in ("keepNext", "keepLines", "pageBreakBefore"):
        if spec.get(flag):
            el(flag, p)
    if "num" in spec:
        num_id, lvl = spec["num"]  # type: ignore[misc]
        num = el("numPr", p)
        if lvl >= 0:
            el("ilvl", num, val=str(lvl))
        el("numId", num, val=str(num_id))
    if "tabs" in spec:
        tabs = el("tabs", p)
        for tab in spec["tabs"]:  # type: ignore[attr-defined]
            node = el("tab", tabs, val=tab[0], pos=str(tab[1]))
            if len(tab) > 2:
                node.set(W + "leader", tab[2])
    if any(key in spec for key in ("before", "after", "line")):
        spacing = el("spacing", p)
        for key in ("before", "after", "line"):
            if key in spec:
                spacing.set(W + key, str(spec[key]))
        if "line" in spec:
            spacing.set(W + "lineRule", "auto")
    if "ind" in spec:
        left, hanging = spec["ind"]  # type: ignore[misc]
        ind = el("ind", p, left=str(left))
        ind.set(W + ("hanging" if hanging else "firstLine"), str(hanging))
    if "jc" in spec:
        el("jc", p, val=str(spec["jc"]))
    if "outline" in spec:
        el("outlineLvl", p, val=str(spec["outline"]))
    if not len(p):
        parent.remove(p)


def rpr(parent: etree._Element, spec: dict[str, object]) -> None:
    """Run properties in schema order."""
    r = el("rPr", parent)
    for flag in ("b", "i", "caps"):
        if spec.get(flag):
            el(flag, r)
    if "color" in spec:
        el("color", r, val=str(spec["color"]))
    if "sz" in spec:
        el("sz", r, val=str(spec["sz"]))
        el("szCs", r, val=str(spec["sz"]))
    if "highlight" in spec:
        el("highlight", r, val=str(spec["highlight"]))
    if not len(r):
        parent.remove(r)


def styles_xml() -> etree._Element:
    root = el("styles")
    defaults = el("docDefaults", root)
    rdef = el("rPr", el("rPrDefault", defaults))
    fonts = el("rFonts", rdef)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(W + attr, "Arial")
    el("sz", rdef, val="20")
    el("szCs", rdef, val="20")
    el("lang", rdef, val="en-GB", eastAsia="en-US", bidi="ar-SA")
    el("spacing", el("pPr", el("pPrDefault", defaults)), after="120", line="264", lineRule="auto")
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
    return root


def deal_table_style() -> etree._Element:
    """"Deal Table": ruled grid, shaded bold header row, bold total row."""
    style = el("style", type="table", styleId="DealTable")
    el("name", style, val="Deal Table")
    el("basedOn", style, val="TableNormal")
    p = el("pPr", style)
    el("spacing", p, before="40", after="40", line="240", lineRule="auto")
    tpr = el("tblPr", style)
    el("tblInd", tpr, w=str(INDENT), type="dxa")
    borders = el("tblBorders", tpr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el(side, borders, val="single", sz="4", space="0", color="808080")
    mar = el("tblCellMar", tpr)
    for side, width in (("top", 40), ("left", 108), ("bottom", 40), ("right", 108)):
        el(side, mar, w=str(width), type="dxa")
    first = el("tblStylePr", style, type="firstRow")
    el("b", el("rPr", first))
    el("tblHeader", el("trPr", first))
    el("shd", el("tcPr", first), val="clear", color="auto", fill="D9D9D9")
    last = el("tblStylePr", style, type="lastRow")
    el("b", el("rPr", last))
    el("top", el("tcBorders", el("tcPr", last)), val="double", sz="4", space="0", color="808080")
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
        ("decimal", "Schedule %1", "ScheduleTitle", 0, 0),
        ("decimal", "%2.", "ScheduleHeading", INDENT, INDENT),
    ]),
    # Lists before Article 1 (parties, recitals) must not touch the outline's
    # counters, or LibreOffice numbers the first article "2.".
    PREAMBLE_NUM: ("dealdraft preamble lists", [
        ("lowerLetter", "(%1)", "", 2 * INDENT, INDENT),
        ("lowerRoman", "(%2)", "", 3 * INDENT, INDENT),
    ]),
    BULLET_NUM: ("dealdraft bullets", [
        ("bullet", "\u2022", "ListBullet", INDENT + 360, 360),
        ("bullet", "\u2013", "ListBullet2", 2 * INDENT + 360, 360),
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
                fonts.set(W + "ascii", "Arial")
                fonts.set(W + "hAnsi", "Arial")
    for abstract_id in LEVELS:
        num = el("num", root, numId=str(abstract_id))
        el("abstractNumId", num, val=str(abstract_id))
    return root


# --- the sample page ----------------------------------------------------------

SAMPLES = [
    ("CoverTitle", "Cover Title"), ("CoverParties", "Cover Parties"), ("CoverText", "Cover Text"),
    ("CoverMarking", "Cover Marking"), ("TOCHeading", "TOC Heading"), ("TOC1", "toc 1"),
    ("TOC2", "toc 2"), ("Title", "Title"), ("Subtitle", "Subtitle"), ("PreambleHeading", "Preamble Heading"),
    ("Preamble", "Preamble"),
    ("Heading1", "Heading 1"), ("Heading2", "Heading 2"), ("BodyText", "Body Text"),
    ("Lista", "List (a)"), ("ListaContinue", "List (a) Continue"), ("Listi", "List (i)"),
    ("ListiContinue", "List (i) Continue"), ("ListBullet", "List Bullet"),
    ("ListBullet2", "List Bullet 2"), ("Definition", "Definition"),
    ("SignatureIntro", "Signature Intro"), ("SignatureParty", "Signature Party"),
    ("SignatureLine", "Signature Line"), ("SignatureText", "Signature Text"),
    ("ScheduleTitle", "Schedule Title"), ("ScheduleHeading", "Schedule Heading"),
    ("TableHeading", "Table Heading"), ("TableText", "Table Text"), ("TableTotal", "Table Total"),
]


def document_xml() -> etree._Element:
    root = etree.Element(W + "document", nsmap={"w": W_NS, "r": R_NS})
    body = el("body", root)
    for style_id, label in SAMPLES:
        para = el("p", body)
        el("pStyle", el("pPr", para), val=style_id)
        el("t", el("r", para)).text = f"{label} (sample of the style; dealdraft replaces this text)"
    sect = el("sectPr", body)
    el("pgSz", sect, w="11906", h="16838")
    el("pgMar", sect, top="1440", right="1440", bottom="1440", left="1440",
       header="709", footer="709", gutter="0")
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


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>\
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
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
