"""The list labels Word would show, computed from a DOCX's own XML.

An independent truth for reference checks: the label of every numbered
paragraph is worked out from ``numbering.xml`` and ``styles.xml`` alone
(the paragraph's ``w:numPr``, else its style's along ``w:basedOn``; the
abstract list's levels, start values and ``w:startOverride``s; counters kept
per abstract list and reset below the level that counts), never from the
tree the writer was given.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx_xml import NS, Docx, w
from lxml import etree


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str
    text: str
    style: str
    legal: bool


def _val(node: etree._Element | None, default: str = "") -> str:
    return default if node is None else str(node.get(w("val"), default))


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(number: int) -> str:
    # Word repeats the letter: a … z, aa … zz, aaa …
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(number: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(number)
    if fmt == "lowerLetter":
        return _letters(number)
    if fmt == "upperLetter":
        return _letters(number).upper()
    if fmt == "lowerRoman":
        return _roman(number)
    if fmt == "upperRoman":
        return _roman(number).upper()
    if fmt in ("none", "bullet"):
        return ""
    raise AssertionError(f"number format {fmt!r} not handled by the test reader")


class Numbering:
    """Labels of the numbered paragraphs of one DOCX, in document order."""

    def __init__(self, docx: Docx) -> None:
        self.styles: dict[str, etree._Element] = {
            str(s.get(w("styleId"))): s for s in docx.styles.iterfind("w:style", NS)
        }
        self.abstracts: dict[str, dict[int, Level]] = {}
        for abstract in docx.numbering.iterfind("w:abstractNum", NS):
            levels = {}
            for lvl in abstract.iterfind("w:lvl", NS):
                levels[int(lvl.get(w("ilvl")))] = Level(
                    int(_val(lvl.find("w:start", NS), "0")), _val(lvl.find("w:numFmt", NS), "decimal"),
                    _val(lvl.find("w:lvlText", NS)), _val(lvl.find("w:pStyle", NS)), lvl.find("w:isLgl", NS) is not None,
                )
            self.abstracts[str(abstract.get(w("abstractNumId")))] = levels
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        for num in docx.numbering.iterfind("w:num", NS):
            overrides = {
                int(o.get(w("ilvl"))): int(_val(o.find("w:startOverride", NS)))
                for o in num.iterfind("w:lvlOverride", NS) if o.find("w:startOverride", NS) is not None
            }
            self.nums[str(num.get(w("numId")))] = (_val(num.find("w:abstractNumId", NS)), overrides)
        self.labels: dict[etree._Element, str] = {}
        self.level_of: dict[etree._Element, tuple[str, int]] = {}
        self._count(docx.document)

    def _style_numpr(self, style_id: str) -> tuple[str | None, str | None]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.styles.get(style_id)
            if style is None:
                break
            num_pr = style.find("w:pPr/w:numPr", NS)
            if num_pr is not None:
                ilvl = num_pr.find("w:ilvl", NS)
                return _val(num_pr.find("w:numId", NS)) or None, None if ilvl is None else _val(ilvl)
            style_id = _val(style.find("w:basedOn", NS))
        return None, None

    def _numbering_of(self, par: etree._Element) -> tuple[str, int] | None:
        style_id = _val(par.find("w:pPr/w:pStyle", NS))
        num_id, ilvl = self._style_numpr(style_id)
        direct = par.find("w:pPr/w:numPr", NS)
        if direct is not None:
            if direct.find("w:numId", NS) is not None:
                num_id = _val(direct.find("w:numId", NS))
            if direct.find("w:ilvl", NS) is not None:
                ilvl = _val(direct.find("w:ilvl", NS))
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        if ilvl is None:
            abstract = self.abstracts[self.nums[num_id][0]]
            ilvl = next((str(i) for i, level in abstract.items() if level.style == style_id), "0")
        return num_id, int(ilvl)

    def _count(self, root: etree._Element) -> None:
        counters: dict[str, dict[int, int]] = {}
        started: set[str] = set()
        for par in root.iter(w("p")):
            found = self._numbering_of(par)
            if found is None:
                continue
            num_id, ilvl = found
            abstract_id, overrides = self.nums[num_id]
            levels = self.abstracts[abstract_id]
            counts = counters.setdefault(abstract_id, {})
            if num_id not in started:
                started.add(num_id)
                for level, start in overrides.items():
                    counts[level] = start - 1
            counts[ilvl] = counts.get(ilvl, levels[ilvl].start - 1) + 1
            for deeper in [level for level in counts if level > ilvl]:
                del counts[deeper]
            label = levels[ilvl].text
            for level in range(ilvl + 1):
                value = counts.get(level, levels[level].start)
                fmt = "decimal" if levels[ilvl].legal and levels[level].fmt != "none" else levels[level].fmt
                label = label.replace(f"%{level + 1}", format_number(value, fmt))
            self.labels[par] = label
            self.level_of[par] = (abstract_id, ilvl)

    def ref_text(self, par: etree._Element) -> str:
        """What ``REF bookmark \\n`` shows for a bookmark in ``par``: its label
        without a trailing period."""
        assert par in self.labels, "the bookmarked paragraph is not numbered"
        return self.labels[par].rstrip(".")

    def enclosing(self, par: etree._Element, abstract_id: str, ilvl: int) -> etree._Element | None:
        """The last paragraph before ``par`` numbered at (abstract, level)."""
        last = None
        for candidate, level in self.level_of.items():
            if candidate is par:
                return last
            if level == (abstract_id, ilvl):
                last = candidate
        return last
