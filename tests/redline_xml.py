"""Accept or reject every tracked change of a DOCX, computed from its XML,
and read paragraph texts the way a reader sees them."""

from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    result = root.find(q("body"))
    assert result is not None
    return result


def _mark_removed(par: etree._Element, kinds: tuple[str, ...]) -> bool:
    rpr = par.find(f"{q('pPr')}/{q('rPr')}")
    return rpr is not None and any(rpr.find(q(k)) is not None for k in kinds)


def resolve(data: bytes, accept: bool) -> etree._Element:
    """The body after accepting (or rejecting) every revision."""
    root = copy.deepcopy(body(data))
    drop, keep = (("del", "moveFrom"), ("ins", "moveTo")) if accept else (("ins", "moveTo"), ("del", "moveFrom"))
    for kind in drop:
        for node in list(root.iter(q(kind))):
            parent = node.getparent()
            if parent is not None and parent.tag != q("rPr") and parent.tag != q("trPr"):
                parent.remove(node)
    for row in list(root.iter(q("tr"))):
        trpr = row.find(q("trPr"))
        if trpr is not None and any(trpr.find(q(k)) is not None for k in drop):
            row.getparent().remove(row)
    for kind in keep:
        for node in list(root.iter(q(kind))):
            parent = node.getparent()
            if parent is None or parent.tag in (q("rPr"), q("trPr")):
                continue
            index = parent.index(node)
            for offset, child in enumerate(list(node)):
                parent.insert(index + offset, child)
            parent.remove(node)
    for text in root.iter(q("delText")):
        text.tag = q("t")
    for par in list(root.iter(q("p"))):
        if _mark_removed(par, drop) and par.getparent() is not None:
            par.getparent().remove(par)
    for table in list(root.iter(q("tbl"))):
        if table.find(q("tr")) is None:
            table.getparent().remove(table)
    return root


def paragraph_texts(root: etree._Element) -> list[str]:
    """Text of every paragraph in order (field instructions left out)."""
    texts = []
    for par in root.iter(q("p")):
        parts = []
        for node in par.iter(q("t"), q("delText"), q("tab")):
            parts.append("\t" if node.tag == q("tab") else node.text or "")
        texts.append("".join(parts))
    return texts


def plain_texts(data: bytes) -> list[str]:
    return paragraph_texts(body(data))


def without_trailing_empty(texts: list[str]) -> list[str]:
    """A redline whose last paragraph changed ends with one untracked empty
    paragraph (a document's final paragraph mark cannot be removed)."""
    while texts and not texts[-1]:
        texts = texts[:-1]
    return texts
