"""templates/reference.docx and --reference-docx house templates."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from docx_fixtures import build
from docx_xml import NS, Docx, text, w
from lxml import etree

from assembler.base.errors import OutputError
from assembler.writers.docx import write_docx

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "templates" / "reference.docx"
REQUIRED_STYLES = (
    "Normal", "Title", "Subtitle", "heading 1", "heading 2", "Body Text", "List (a)", "List (i)",
    "Definition", "Schedule Title", "Schedule Heading", "Deal Table", "Cover Title", "Cover Parties",
    "Cover Marking", "TOC Heading", "toc 1", "toc 2", "header", "footer", "Signature Party",
    "Signature Text", "annotation text", "annotation reference",
)


def python_docx_default_template() -> Path:
    """python-docx's own default template: a foreign house style (Letter, theme fonts,
    other style ids, its own lists), found without importing python-docx."""
    spec = importlib.util.find_spec("docx")
    assert spec and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / "default.docx"


def rewrite(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """A copy of a zip with some entries replaced (or dropped when None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name in changes:
                replacement = changes[name]
                if replacement is not None:
                    target.writestr(name, replacement)
            else:
                target.writestr(name, source.read(name))
    return out.getvalue()


def house_template() -> bytes:
    """Our reference with Heading 1 in Georgia, no Definition style and no numbering part."""
    data = REFERENCE.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        rels = archive.read("word/_rels/document.xml.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
    heading = styles.find("w:style[@w:styleId='Heading1']", NS)
    rpr = heading.find("w:rPr", NS)
    fonts = etree.Element(w("rFonts"))
    for attr in ("ascii", "hAnsi", "cs"):
        fonts.set(w(attr), "Georgia")
    rpr.insert(0, fonts)
    num_pr = heading.find("w:pPr/w:numPr", NS)
    num_pr.getparent().remove(num_pr)  # a house heading without numbering: ours is bound to it
    definition = styles.find("w:style[@w:styleId='Definition']", NS)
    styles.remove(definition)
    for style in styles.iterfind("w:style", NS):  # no numbering part: no numPr may point into one
        for num in style.findall("w:pPr/w:numPr", NS):
            num.getparent().remove(num)
    rels = rels.replace('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/numbering" Target="numbering.xml"/>', "")
    types = types.replace('<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
                          'officedocument.wordprocessingml.numbering+xml"/>', "")
    return rewrite(data, {
        "word/styles.xml": etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True),
        "word/numbering.xml": None,
        "word/_rels/document.xml.rels": rels.encode(),
        "[Content_Types].xml": types.encode(),
    })


def test_reference_docx_is_what_the_script_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_reference_docx", ROOT / "templates" / "make_reference_docx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.reference_docx() == REFERENCE.read_bytes(), "run templates/make_reference_docx.py"


def test_reference_docx_defines_the_styles_and_lists() -> None:
    ref = Docx(REFERENCE.read_bytes())
    for name in REQUIRED_STYLES:
        ref.style_id(name)
    names = [n.get(w("val")) for n in ref.numbering.iterfind("w:abstractNum/w:name", NS)]
    assert names == ["dealdraft outline", "dealdraft schedules", "dealdraft preamble lists", "dealdraft bullets"]
    for data in ref.parts.values():
        assert b"Macintosh" not in data and b"2013" not in data
    assert ref.core("dc:creator") == "dealdraft"


def test_house_template_styles_win_and_missing_ones_fall_back(tmp_path: Path) -> None:
    house = tmp_path / "house.docx"
    house.write_bytes(house_template())
    docx = Docx(write_docx(build(), reference_docx=house)["agreement.docx"])
    heading = docx.style("heading 1")
    assert heading.find("w:rPr/w:rFonts", NS).get(w("ascii")) == "Georgia"
    # Missing style copied from ours, headings still numbered by our list.
    assert docx.paragraphs("Definition")
    assert heading.find("w:pPr/w:numPr/w:ilvl", NS).get(w("val")) == "0"
    outline = docx.numbering.xpath("w:abstractNum[w:name/@w:val='dealdraft outline']", namespaces=NS)
    assert outline and outline[0].find("w:lvl/w:pStyle", NS).get(w("val")) == docx.style_id("heading 1")
    assert "word/numbering.xml" in docx.parts


def test_foreign_house_template(tmp_path: Path) -> None:
    docx = Docx(write_docx(build(), reference_docx=python_docx_default_template())["agreement.docx"])
    for name in REQUIRED_STYLES:
        docx.style_id(name)
    # Every numbered style of ours is numbered in the output, TOC Heading is not.
    for name, ilvl in (("heading 1", "0"), ("heading 2", "1"), ("List (a)", "2"), ("List (i)", "3")):
        assert docx.style(name).find("w:pPr/w:numPr/w:ilvl", NS).get(w("val")) == ilvl
    assert docx.style("TOC Heading").find("w:pPr/w:numPr/w:numId", NS).get(w("val")) == "0"
    # Its sample text, thumbnail and Mac application stamp are gone.
    assert not any(name.endswith("thumbnail.jpeg") for name in docx.parts)
    assert b"Macintosh" not in docx.parts["docProps/app.xml"]
    assert [text(p) for p in docx.paragraphs() if text(p)][1] == "Research Collaboration Agreement"
    # Only one default paragraph style.
    defaults = docx.styles.xpath("w:style[@w:type='paragraph' and @w:default='1']", namespaces=NS)
    assert len(defaults) == 1


@pytest.mark.parametrize("content", [None, b"not a zip", "zip-without-word"])
def test_unreadable_reference_docx_is_an_output_error(tmp_path: Path, content: object) -> None:
    path = tmp_path / "house.docx"
    if content == "zip-without-word":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    elif content is not None:
        path.write_bytes(content)  # type: ignore[arg-type]
    with pytest.raises(OutputError, match="house.docx"):
        write_docx(build(), reference_docx=path)


def test_house_heading_numbering_is_kept(tmp_path: Path) -> None:
    """A firm whose headings carry their own list ("Article 1") keeps it; our
    outline list then makes no claim on those styles."""
    data = REFERENCE.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        numbering = archive.read("word/numbering.xml").decode()
    numbering = numbering.replace("dealdraft outline", "firm outline").replace('w:val="%1."', 'w:val="Article %1"')
    house = tmp_path / "firm.docx"
    house.write_bytes(rewrite(data, {"word/numbering.xml": numbering.encode()}))
    docx = Docx(write_docx(build(), reference_docx=house)["agreement.docx"])
    numbering_xml = docx.numbering
    num_id = docx.style("heading 1").find("w:pPr/w:numPr/w:numId", NS).get(w("val"))
    abstract_id = numbering_xml.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS).get(w("val"))
    firm = numbering_xml.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)
    assert firm.find("w:name", NS).get(w("val")) == "firm outline"
    ours = numbering_xml.xpath("w:abstractNum[w:name/@w:val='dealdraft outline']", namespaces=NS)[0]
    assert ours.find("w:lvl[@w:ilvl='0']/w:pStyle", NS) is None
