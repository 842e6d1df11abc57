"""Reading a written DOCX back for assertions: parts, paragraphs, fields, bookmarks."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "cu": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


@dataclass
class Field:
    instruction: str
    result: str
    paragraph: etree._Element


@dataclass
class Docx:
    """A DOCX opened for inspection."""

    data: bytes
    parts: dict[str, bytes] = field(default_factory=dict)
    _parsed: dict[str, etree._Element] = field(default_factory=dict)

    def __post_init__(self) -> None:
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}

    def xml(self, name: str) -> etree._Element:
        """The parsed part, parsed once (so elements compare by identity)."""
        if name not in self._parsed:
            self._parsed[name] = etree.fromstring(self.parts[name])
        return self._parsed[name]

    @property
    def document(self) -> etree._Element:
        return self.xml("word/document.xml")

    @property
    def styles(self) -> etree._Element:
        return self.xml("word/styles.xml")

    @property
    def numbering(self) -> etree._Element:
        return self.xml("word/numbering.xml")

    def style_id(self, name: str) -> str:
        for style in self.styles.iterfind("w:style", NS):
            if style.find("w:name", NS).get(w("val")).lower() == name.lower():
                return str(style.get(w("styleId")))
        raise KeyError(name)

    def style(self, name: str) -> etree._Element:
        return self.styles.find(f"w:style[@w:styleId='{self.style_id(name)}']", NS)

    def paragraphs(self, style_name: str | None = None, root: etree._Element | None = None) -> list[etree._Element]:
        root = self.document if root is None else root
        pars = list(root.iter(w("p")))
        if style_name is None:
            return pars
        sid = self.style_id(style_name)
        return [p for p in pars if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(w("val")) == sid]

    def custom_properties(self) -> dict[str, str]:
        if "docProps/custom.xml" not in self.parts:
            return {}
        root = self.xml("docProps/custom.xml")
        return {p.get("name"): "".join(p.itertext()) for p in root.iterfind("cu:property", NS)}

    def core(self, tag: str) -> str | None:
        node = self.xml("docProps/core.xml").find(tag, NS)
        return None if node is None else node.text


def text(par: etree._Element) -> str:
    """The visible text of a paragraph (field results included, instructions not)."""
    parts = []
    for node in par.iter(w("t"), w("tab"), w("br")):
        parts.append(node.text or "" if node.tag == w("t") else ("\t" if node.tag == w("tab") else "\n"))
    return "".join(parts)


def fields(root: etree._Element) -> list[Field]:
    """Every complex field in document order, with its cached result text."""
    found: list[Field] = []
    stack: list[dict[str, Any]] = []
    for par in root.iter(w("p")):
        for node in par.iter(w("fldChar"), w("instrText"), w("t")):
            if node.tag == w("fldChar"):
                kind = node.get(w("fldCharType"))
                if kind == "begin":
                    stack.append({"instr": "", "result": "", "in_result": False, "p": par})
                elif kind == "separate" and stack:
                    stack[-1]["in_result"] = True
                elif kind == "end" and stack:
                    item = stack.pop()
                    found.append(Field(item["instr"].strip(), item["result"], item["p"]))
                    if stack:
                        stack[-1]["result"] += item["result"]
            elif node.tag == w("instrText") and stack:
                stack[-1]["instr"] += node.text or ""
            elif node.tag == w("t") and stack and stack[-1]["in_result"]:
                stack[-1]["result"] += node.text or ""
    assert not stack, "unterminated field"
    return found


def bookmarks(root: etree._Element) -> dict[str, etree._Element]:
    """Bookmark name → the paragraph it starts in."""
    out = {}
    for start in root.iter(w("bookmarkStart")):
        name = start.get(w("name"))
        assert name not in out, f"duplicate bookmark {name}"
        out[name] = start.getparent()
    return out
