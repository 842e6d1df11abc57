"""Read the body of a DOCX as a reader of the accepted document sees it.

Every paragraph and table row of the body, in order, with: what it is (an
article or section heading, a schedule title, body text, a list item, a
definition, a table row, or something that belongs to no clause: cover,
contents, signature blocks), its text with tracked insertions kept and
deletions dropped, the REF fields in it (where their cached number sits and
which bookmark they name), the bookmarks that start in it, and whether it
holds tracked changes or tracked formatting changes. Word, LibreOffice and
our own writer all write the same WordprocessingML, so nothing here depends
on who saved the file last; styles are recognised by name and outline level,
not by id.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from assembler.base.errors import InputError, Problem

from .textnorm import Span

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REF = re.compile(r"^\s*REF\s+(\S+)")
_SKIP_NAMES = ("toc", "contents", "index", "title", "subtitle", "cover", "signature", "header", "footer", "table of")
_KIND_BY_NAME = {
    "heading 1": "article",
    "heading 2": "section",
    "schedule title": "schedule",
    "schedule heading": "schedule_section",
    "preamble heading": "preamble",
    "definition": "definition",
}
HEADINGS = ("article", "section", "schedule", "schedule_section", "preamble")
_TEXT_WRAPPERS = {f"{W}{name}" for name in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo")}
_DELETED = {f"{W}del", f"{W}moveFrom"}


@dataclass(slots=True)
class Para:
    """One paragraph (or table row) of a DOCX body."""

    kind: str
    """article, section, schedule, schedule_section, preamble (headings);
    body, list, definition, row; or skip (belongs to no clause)."""
    text: str
    fields: list[Span] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)
    depth: int = 0
    """List depth (1 for (a), 2 for (i)); 0 for other paragraphs."""
    bullet: bool = False
    cells: list[str] | None = None
    """A table row's cell texts (``text`` is them joined by " | ")."""
    header: bool = False
    """A table's header row."""
    table: int = -1
    """Which table of the body a row belongs to."""
    tracked: bool = False
    formatted: bool = False
    """Carries a tracked formatting change."""
    mark_deleted: bool = False

    @property
    def heading(self) -> bool:
        return self.kind in HEADINGS


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str
    outline: int | None
    numbered: bool


def _styles(archive: zipfile.ZipFile) -> dict[str, _Style]:
    try:
        root = etree.fromstring(archive.read("word/styles.xml"))
    except (KeyError, etree.XMLSyntaxError):
        return {}
    styles = {}
    for node in root.iter(f"{W}style"):
        name = node.find(f"{W}name")
        based = node.find(f"{W}basedOn")
        outline = node.find(f"{W}pPr/{W}outlineLvl")
        styles[node.get(f"{W}styleId", "")] = _Style(
            (name.get(f"{W}val", "") if name is not None else "").lower(),
            based.get(f"{W}val", "") if based is not None else "",
            int(outline.get(f"{W}val", "9")) if outline is not None else None,
            node.find(f"{W}pPr/{W}numPr/{W}numId") is not None and node.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") != "0",
        )
    return styles


def _kind(style_id: str, styles: dict[str, _Style], outline: int | None, numbered: bool) -> tuple[str, int, bool]:
    """(kind, list depth, bullet) of a paragraph from its style name."""
    style = styles.get(style_id)
    name = style.name if style else style_id.lower()
    if name in _KIND_BY_NAME:
        return _KIND_BY_NAME[name], 0, False
    if name.startswith(_SKIP_NAMES):
        return "skip", 0, False
    if name.startswith("list"):
        bullet = "bullet" in name
        depth = 2 if ("(i)" in name or name.endswith(" 2")) else 1
        return ("list" if "continue" not in name else "body"), depth, bullet
    level = outline if outline is not None else (style.outline if style else None)
    if level == 0:
        return "article", 0, False
    if level == 1:
        return "section", 0, False
    if numbered or (style is not None and style.numbered):
        return "list", 1, False
    return "body", 0, False


class _Text:
    """The accepted text of one paragraph, with its REF fields."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.fields: list[Span] = []
        self.stack: list[list[object]] = []  # [instruction, in result?, start]
        self.bookmarks: list[str] = []
        self.tracked = False
        self.formatted = False

    def add(self, text: str) -> None:
        if all(entry[1] for entry in self.stack):
            self.parts.append(text)
            self.length += len(text)

    def field_char(self, kind: str) -> None:
        if kind == "begin":
            self.stack.append(["", False, 0])
        elif kind == "separate" and self.stack:
            self.stack[-1][1] = True
            self.stack[-1][2] = self.length
        elif kind == "end" and self.stack:
            instruction, in_result, start = self.stack.pop()
            match = _REF.match(str(instruction))
            if match and in_result:
                self.fields.append(Span(int(start), self.length, match.group(1)))  # type: ignore[call-overload]

    def walk(self, node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if tag in _DELETED:
                self.tracked = True
                continue  # not in the accepted text
            if tag == f"{W}r":
                self.run(child)
            elif tag == f"{W}fldSimple":
                instruction = child.get(f"{W}instr", "")
                start = self.length
                self.walk(child)
                match = _REF.match(instruction)
                if match:
                    self.fields.append(Span(start, self.length, match.group(1)))
            elif tag in _TEXT_WRAPPERS:
                if tag in (f"{W}ins", f"{W}moveTo"):
                    self.tracked = True
                self.walk(child)
            elif tag == f"{W}bookmarkStart":
                name = child.get(f"{W}name", "")
                if name and not name.startswith("_"):
                    self.bookmarks.append(name)
            elif tag == f"{W}pPr":
                if child.find(f".//{W}pPrChange") is not None or child.find(f"{W}rPr/{W}rPrChange") is not None:
                    self.formatted = True

    def run(self, node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if tag == f"{W}t":
                self.add(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                self.add("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                if child.get(f"{W}type") not in ("page", "column"):
                    self.add(" ")
            elif tag == f"{W}noBreakHyphen":
                self.add("-")
            elif tag == f"{W}sym":
                code = child.get(f"{W}char", "")
                if re.fullmatch(r"[0-9A-Fa-f]{4}", code) and not code.upper().startswith("F0"):
                    self.add(chr(int(code, 16)))
            elif tag == f"{W}fldChar":
                self.field_char(child.get(f"{W}fldCharType", ""))
            elif tag == f"{W}instrText" and self.stack and not self.stack[-1][1]:
                self.stack[-1][0] = str(self.stack[-1][0]) + (child.text or "")
            elif tag == f"{W}rPr" and child.find(f"{W}rPrChange") is not None:
                self.formatted = True

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _paragraph(node: etree._Element, styles: dict[str, _Style], pending: list[str]) -> Para:
    reader = _Text()
    reader.walk(node)
    ppr = node.find(f"{W}pPr")
    style_id, outline, numbered, mark_deleted = "", None, False, False
    if ppr is not None:
        style = ppr.find(f"{W}pStyle")
        style_id = style.get(f"{W}val", "") if style is not None else ""
        level = ppr.find(f"{W}outlineLvl")
        outline = int(level.get(f"{W}val", "9")) if level is not None else None
        num_id = ppr.find(f"{W}numPr/{W}numId")
        numbered = num_id is not None and num_id.get(f"{W}val", "0") != "0"  # numId 0: no list
        mark = ppr.find(f"{W}rPr")
        if mark is not None:
            mark_deleted = mark.find(f"{W}del") is not None or mark.find(f"{W}moveFrom") is not None
            reader.tracked = reader.tracked or mark_deleted or mark.find(f"{W}ins") is not None
    kind, depth, bullet = _kind(style_id, styles, outline, numbered)
    para = Para(kind, reader.text, reader.fields, [*pending, *reader.bookmarks], depth, bullet,
                tracked=reader.tracked, formatted=reader.formatted, mark_deleted=mark_deleted)
    pending.clear()
    return para


def _rows(table: etree._Element, styles: dict[str, _Style], index: int, pending: list[str]) -> list[Para]:
    rows = []
    for tr in table.iter(f"{W}tr"):
        if _owner(tr) is not table:
            continue
        trpr = tr.find(f"{W}trPr")
        if trpr is not None and (trpr.find(f"{W}del") is not None):
            continue
        cells: list[str] = []
        fields: list[Span] = []
        texts: list[str] = []
        kinds: set[str] = set()
        tracked, formatted, bookmarks = False, False, list(pending)
        pending.clear()
        offset = 0
        for tc in tr.findall(f"{W}tc"):
            parts = [_paragraph(p, styles, []) for p in tc.iter(f"{W}p")]
            kinds.update(part.kind for part in parts if part.text)
            text = " ".join(p.text for p in parts if p.text)
            for part in parts:
                bookmarks.extend(part.bookmarks)
                tracked = tracked or part.tracked
                formatted = formatted or part.formatted
            cell_offset = offset
            for part in parts:
                fields.extend(Span(f.start + cell_offset, f.end + cell_offset, f.bookmark) for f in part.fields)
                cell_offset += len(part.text) + 1
            cells.append(text)
            texts.append(text)
            offset += len(text) + 3
        if trpr is not None and trpr.find(f"{W}ins") is not None:
            tracked = True
        header = trpr is not None and trpr.find(f"{W}tblHeader") is not None
        # A table of signature blocks (every paragraph in a skipped style) belongs to no clause.
        kind = "skip" if kinds and kinds <= {"skip"} else "row"
        rows.append(Para(kind, " | ".join(texts), fields, bookmarks, cells=cells, header=header, table=index, tracked=tracked, formatted=formatted))
    return rows


def _cover_table(table: etree._Element) -> bool:
    caption = table.find(f"{W}tblPr/{W}tblCaption")
    return caption is not None and (caption.get(f"{W}val") or "").lower().startswith("cover")


def _owner(tr: etree._Element) -> etree._Element | None:
    node = tr.getparent()
    while node is not None and node.tag != f"{W}tbl":
        node = node.getparent()
    return node


def read_paragraphs(archive: zipfile.ZipFile, name: str) -> list[Para]:
    """The paragraphs and table rows of a DOCX body, in reading order, as
    the accepted document reads."""
    try:
        root = etree.fromstring(archive.read("word/document.xml"))
    except (KeyError, etree.XMLSyntaxError):
        raise InputError([Problem("not a Word document (no readable word/document.xml)", name)]) from None
    body = root.find(f"{W}body")
    styles = _styles(archive)
    out: list[Para] = []
    pending: list[str] = []
    tables = 0

    def visit(parent: etree._Element) -> None:
        nonlocal tables
        for node in parent:
            if node.tag == f"{W}p":
                out.append(_paragraph(node, styles, pending))
            elif node.tag == f"{W}tbl" and _cover_table(node):
                continue  # the cover's key terms belong to no clause
            elif node.tag == f"{W}tbl":
                out.extend(_rows(node, styles, tables, pending))
                tables += 1
            elif node.tag == f"{W}bookmarkStart":
                name = node.get(f"{W}name", "")
                if name and not name.startswith("_"):
                    pending.append(name)
            elif node.tag in _TEXT_WRAPPERS:
                visit(node)

    if body is not None:
        visit(body)
    return _merge_deleted_marks(out)


def _merge_deleted_marks(paras: list[Para]) -> list[Para]:
    """A paragraph whose mark is a tracked deletion runs on into the next one
    in the accepted document; a paragraph deleted whole disappears (with its
    bookmarks: they lived in deleted text)."""
    out: list[Para] = []
    carry: Para | None = None
    for para in paras:
        if carry is not None and para.kind != "row":
            offset = len(carry.text)
            para.fields = [*carry.fields, *(Span(f.start + offset, f.end + offset, f.bookmark) for f in para.fields)]
            para.text = carry.text + para.text
            para.bookmarks = [*(carry.bookmarks if carry.text.strip() else []), *para.bookmarks]
            para.tracked = True
            carry = None
        if para.mark_deleted and para.kind != "row":
            carry = para
            continue
        out.append(para)
    if carry is not None and carry.text.strip():
        out.append(carry)
    return out


def custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    """The custom document properties of a DOCX (name → text)."""
    try:
        root = etree.fromstring(archive.read("docProps/custom.xml"))
    except (KeyError, etree.XMLSyntaxError):
        return {}
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
    return {prop.get("name", ""): "".join(prop.itertext()) for prop in root.iter(f"{ns}property")}
