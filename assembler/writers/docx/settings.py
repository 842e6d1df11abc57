"""settings.xml: ask Word to update fields (TOC page numbers) on open when they are unknown; no rsids."""

from __future__ import annotations

from lxml import etree

from .xml import el, qn

# Elements that follow w:updateFields in CT_Settings.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)


def set_update_fields(settings: etree._Element, update_fields: bool = True) -> None:
    """Ask Word to update fields on open (or not), and drop revision ids."""
    for old in settings.findall(qn("updateFields")) + settings.findall(qn("rsids")):
        settings.remove(old)
    if not update_fields:
        return
    update = el("updateFields", val="true")
    for child in settings:
        if etree.QName(child).localname in _AFTER_UPDATE_FIELDS:
            child.addprevious(update)
            return
    settings.append(update)
