"""The font table and theme parts every Word document is expected to have.

``templates/reference.docx`` carries both (written by
``templates/make_reference_docx.py`` with these functions); a house template
without them gets them at build time, so every DOCX we write validates
against the OOXML schemas' required relationships.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

FONT_TABLE_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
FONT_TABLE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
THEME_CT = "application/vnd.openxmlformats-officedocument.theme+xml"
THEME_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_FAMILIES = {"times new roman": "roman", "cambria": "roman", "georgia": "roman", "courier new": "modern"}


def font_table_xml(fonts: list[str]) -> bytes:
    """``word/fontTable.xml`` naming ``fonts``."""
    entries = "".join(
        f'<w:font w:name={quoteattr(name)}><w:charset w:val="00"/>'
        f'<w:family w:val="{_FAMILIES.get(name.lower(), "swiss")}"/><w:pitch w:val="variable"/></w:font>'
        for name in dict.fromkeys(fonts)
    )
    return f'{_DECLARATION}<w:fonts xmlns:w="{W_NS}">{entries}</w:fonts>'.encode()


_COLOURS = (
    ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "1F3864"), ("accent2", "C00000"), ("accent3", "808080"),
    ("accent4", "BF9000"), ("accent5", "2E75B6"), ("accent6", "548235"), ("hlink", "0563C1"), ("folHlink", "954F72"),
)


def theme_xml(font: str) -> bytes:
    """``word/theme/theme1.xml``: the house font as the theme's fonts, plain colours."""
    face = quoteattr(font)
    colours = "".join(f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>' for name, rgb in _COLOURS)
    fonts = f'<a:latin typeface={face}/><a:ea typeface=""/><a:cs typeface=""/>'
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    return (
        f'{_DECLARATION}<a:theme xmlns:a="{A_NS}" name="dealdraft"><a:themeElements>'
        '<a:clrScheme name="dealdraft">'
        '<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
        '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
        f"{colours}</a:clrScheme>"
        f'<a:fontScheme name="dealdraft"><a:majorFont>{fonts}</a:majorFont><a:minorFont>{fonts}</a:minorFont></a:fontScheme>'
        '<a:fmtScheme name="dealdraft">'
        f"<a:fillStyleLst>{fill * 3}</a:fillStyleLst>"
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst>"
        "</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    ).encode()


__all__ = ["FONT_TABLE_CT", "FONT_TABLE_RT", "THEME_CT", "THEME_RT", "font_table_xml", "theme_xml"]
