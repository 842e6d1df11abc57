"""The starting document: our reference.docx, or a house template merged with it.

As with pandoc's ``--reference-doc``, only the template's styles, numbering,
page setup and other parts are used; its body text is discarded. Styles and
lists the house template lacks are copied from ``templates/reference.docx``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.parser import parse_xml
from docx.parts.numbering import NumberingPart
from lxml import etree

from assembler.base.errors import OutputError
from assembler.base.resources import templates_dir

from .numbering import merge_numbering
from .styles import merge_styles
from .xml import el

REFERENCE_NAME = "reference.docx"


@dataclass(frozen=True)
class Template:
    """The bytes of our reference document and, optionally, of a house template."""

    ours: bytes
    house: bytes | None = None
    house_name: str = ""


def load_template(reference_docx: Path | None = None) -> Template:
    """Read our reference.docx and the house template; :class:`OutputError`
    when either cannot be read as a Word document."""
    ours = _read(templates_dir() / REFERENCE_NAME)
    if reference_docx is None:
        return Template(ours)
    house = _read(Path(reference_docx))
    _open(house, str(reference_docx))  # fail now, with the file's name
    return Template(ours, house, str(reference_docx))


MAX_REFERENCE_BYTES = 50 * 1024 * 1024


def _read(path: Path) -> bytes:
    """A reference DOCX: a regular file of at most 50 MB (never /dev/zero)."""
    from assembler.base.errors import InputError
    from assembler.library.yamlio import read_limited

    try:
        return read_limited(path, str(path), MAX_REFERENCE_BYTES)
    except InputError as error:
        raise OutputError(f"{path}: cannot read reference DOCX: {error.problems[0].message}") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot read reference DOCX: {error.strerror or error}") from error


def _open(data: bytes, name: str) -> Any:
    try:
        document = docx.Document(io.BytesIO(data))
        document.styles  # noqa: B018 - a template without usable styles fails here
    except Exception as error:  # python-docx raises many kinds for a bad package
        raise OutputError(f"{name}: cannot read reference DOCX: {error}") from error
    return document


def _part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def open_document(template: Template) -> tuple[Any, dict[str, str]]:
    """A python-docx document to write into (empty body, template's page setup)
    and the map from our style ids to its style ids."""
    document = _open(template.house or template.ours, template.house_name or "reference.docx")
    ours_styles = _part_xml(template.ours, "word/styles.xml")
    ours_numbering = _part_xml(template.ours, "word/numbering.xml")
    styles_root = document.styles.element
    style_ids, copied = merge_styles(styles_root, ours_styles)
    numbering_root = numbering_element(document)
    merge_numbering(numbering_root, ours_numbering, styles_root, ours_styles, style_ids, copied)
    document._body.clear_content()
    return document, style_ids


def numbering_element(document: Any) -> etree._Element:
    """The ``w:numbering`` root of the document, created when missing."""
    part = document.part
    try:
        return part.part_related_by(RT.NUMBERING).element
    except KeyError:
        numbering = NumberingPart(
            PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
            parse_xml(etree.tostring(el("numbering"))), part.package,
        )
        part.relate_to(numbering, RT.NUMBERING)
        return numbering.element
