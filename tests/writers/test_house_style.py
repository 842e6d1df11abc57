"""One house style for both routes: the YAML, the DOCX styles it makes, the
stylesheet values it makes, a house DOCX carried into the PDF, table widths,
the execution page and the contents' page numbers."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from docx_fixtures import build
from docx_xml import NS, Docx, text, w
from lxml import etree
from pypdf import PdfReader

from assembler.api import render_files
from assembler.assembly.tree import Cell, Paragraph, Table, Text
from assembler.base.errors import OutputError
from assembler.writers.docx import write_docx
from assembler.writers.house.columns import column_twips, column_widths
from assembler.writers.house.docx_import import house_style_from_docx
from assembler.writers.house.metrics import text_width
from assembler.writers.house.model import (
    STYLE_NAME,
    default_house_style,
    house_style_schema,
    parse_house_style,
)
from assembler.writers.html import render_document_html
from assembler.writers.markdown import write_markdown
from assembler.writers.pdf.writer import layout_pdfs, write_pdf

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
REFERENCE = TEMPLATES / "reference.docx"
PDFFONTS = shutil.which("pdffonts")
SOFFICE = shutil.which("soffice")
HOUSE_BLUE = "1F3864"


# --- the description ------------------------------------------------------------


def test_the_shipped_house_style_validates_and_its_schema_is_current() -> None:
    data = yaml.safe_load((TEMPLATES / STYLE_NAME).read_text("utf-8"))
    assert parse_house_style(data, STYLE_NAME) == default_house_style()
    assert (TEMPLATES / "house-style.schema.json").read_text("utf-8") == house_style_schema(), (
        "regenerate templates/house-style.schema.json from assembler/writers/house/model.py"
    )


def test_a_bad_house_style_names_the_field() -> None:
    data = yaml.safe_load((TEMPLATES / STYLE_NAME).read_text("utf-8"))
    data["styles"]["article"]["colour"] = "navy"
    data["page"]["margins_mm"]["top"] = -4
    with pytest.raises(OutputError) as caught:
        parse_house_style(data, "house.yaml")
    message = str(caught.value)
    assert "house.yaml" in message and "styles.article.colour" in message and "page.margins_mm.top" in message


def test_reference_docx_styles_carry_the_house_values() -> None:
    house = default_house_style()
    ref = Docx(REFERENCE.read_bytes())
    heading = ref.style("heading 1")
    article = house.styles.article
    assert heading.find("w:rPr/w:sz", NS).get(w("val")) == str(round(article.size_pt * 2))
    spacing = heading.find("w:pPr/w:spacing", NS)
    assert spacing.get(w("line")) == str(round(article.line_pt * 20)) and spacing.get(w("lineRule")) == "exact"
    assert spacing.get(w("before")) == str(round(article.before_pt * 20))
    assert (heading.find("w:rPr/w:caps", NS) is not None) == article.caps
    marking = ref.style("Cover Marking").find("w:rPr/w:color", NS).get(w("val"))
    assert marking == house.styles.cover_marking.colour
    fonts = ref.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(w("ascii")) == house.font
    margins = ref.document.find("w:body/w:sectPr/w:pgMar", NS)
    assert int(margins.get(w("left"))) == round(house.page.margins_mm.left * 1440 / 25.4)


def test_the_stylesheet_carries_the_same_values() -> None:
    house = default_house_style()
    the_build = build()
    html = render_document_html(the_build, the_build.documents[0])
    article = house.styles.article
    assert re.search(
        rf"\.article-heading \{{ font-size: {article.size_pt:g}pt; line-height: {article.line_pt:g}pt; font-weight: bold;", html
    )
    assert '"Liberation Sans", "Arial", sans-serif' in html
    assert f"margin: {house.page.margins_mm.top:g}mm" in html
    # A different house style gives a different page.
    bigger = house.model_copy(update={"styles": house.styles.model_copy(
        update={"article": article.model_copy(update={"size_pt": 14.0, "colour": HOUSE_BLUE})})})
    html = render_document_html(the_build, the_build.documents[0], house=bigger)
    assert f".article-heading {{ font-size: 14pt; line-height: {article.line_pt:g}pt;" in html
    assert f"color: #{HOUSE_BLUE}" in html


# --- a house DOCX in Times New Roman ----------------------------------------------


def times_house(folder: Path) -> Path:
    """Our reference in Times New Roman, with blue article headings."""
    with zipfile.ZipFile(REFERENCE) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    styles = etree.fromstring(parts["word/styles.xml"])
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(w(attr), "Times New Roman")
    heading = styles.find("w:style[@w:styleId='Heading1']/w:rPr", NS)
    colour = etree.Element(w("color"))
    colour.set(w("val"), HOUSE_BLUE)
    heading.find("w:caps", NS).addnext(colour)
    parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    path = folder / "times.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def text_colours(data: bytes, needle: str) -> set[tuple[float, ...]]:
    """The fill colours (``rg``) of the text shows that contain ``needle``."""
    found: set[tuple[float, ...]] = set()
    colour: list[tuple[float, ...]] = [(0.0, 0.0, 0.0)]

    def before(operator: bytes, operands: list, *_: object) -> None:  # type: ignore[type-arg]
        if operator == b"rg":
            colour[0] = tuple(round(float(value), 2) for value in operands)

    def shown(string: str, *_: object) -> None:
        if needle.casefold() in string.casefold():
            found.add(colour[0])

    for page in PdfReader(io.BytesIO(data)).pages:
        colour[0] = (0.0, 0.0, 0.0)
        page.extract_text(visitor_operand_before=before, visitor_text=shown)
    return found


def pdf_fonts(data: bytes, folder: Path, name: str) -> str:
    assert PDFFONTS, "pdffonts (poppler) is required"
    path = folder / name
    path.write_bytes(data)
    return subprocess.run([PDFFONTS, str(path)], check=True, capture_output=True, text=True).stdout


def test_a_times_house_docx_gives_a_pdf_in_a_times_metric_font_and_its_heading_colour(tmp_path: Path) -> None:
    house = times_house(tmp_path)
    style = house_style_from_docx(house)
    assert style.font == "Times New Roman" and style.styles.article.colour == HOUSE_BLUE
    the_build = build()
    pdf = write_pdf(the_build, reference_docx=house)["agreement.pdf"]
    fonts = pdf_fonts(pdf, tmp_path, "agreement.pdf")
    assert "Liberation-Serif" in fonts or "LiberationSerif" in fonts, fonts
    assert "Sans" not in fonts, fonts
    blue = tuple(round(int(HOUSE_BLUE[i : i + 2], 16) / 255, 2) for i in (0, 2, 4))
    heading = the_build.documents[0].articles[0].title
    assert blue in text_colours(pdf, heading)  # the heading (its contents entry stays black)
    assert blue not in text_colours(pdf, "Research Plan")
    # The DOCX keeps the house's heading (LibreOffice shows it in the same colour and font).
    docx = write_docx(the_build, reference_docx=house)["agreement.docx"]
    assert Docx(docx).style("heading 1").find("w:rPr/w:color", NS).get(w("val")) == HOUSE_BLUE
    if SOFFICE:
        (tmp_path / "agreement.docx").write_bytes(docx)
        subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(tmp_path / "agreement.docx")],
                       check=True, capture_output=True, timeout=300)
        libreoffice = (tmp_path / "lo" / "agreement.pdf").read_bytes()
        assert "LiberationSerif" in pdf_fonts(libreoffice, tmp_path, "lo.pdf")
        assert blue in text_colours(libreoffice, heading)


def test_house_docx_margins_reach_the_pdf(tmp_path: Path) -> None:
    house = times_house(tmp_path)
    with zipfile.ZipFile(house) as archive:
        document = archive.read("word/document.xml").replace(b'w:left="1440"', b'w:left="2880"')
    rewritten = tmp_path / "wide.docx"
    with zipfile.ZipFile(house) as source, zipfile.ZipFile(rewritten, "w") as target:
        for name in source.namelist():
            target.writestr(name, document if name == "word/document.xml" else source.read(name))
    assert house_style_from_docx(rewritten).page.margins_mm.left == pytest.approx(50.8)


def test_an_unreadable_house_docx_is_an_output_error(tmp_path: Path) -> None:
    path = tmp_path / "house.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(OutputError, match="house.docx: cannot read reference DOCX"):
        write_pdf(build(), reference_docx=path)


# --- tables ----------------------------------------------------------------------------


def wide_table() -> Table:
    def row(*cells: str) -> tuple[Cell, ...]:
        return tuple(Cell((Text(value),)) for value in cells)

    return Table(
        header=(row("Lead", "Activity", "Patent", "No."),),
        rows=(row("Helixa", "Computational target identification and validation of the fibrosis panel", "US\u00a011,523,904\u00a0B2", "1"),
              row("Nordhaven", "Library screening, hit confirmation and counter-screens", "EP\u00a03,456,789\u00a0B1", "12")),
        footer=(),
    )


@pytest.mark.parametrize(("paper", "width"), [("a4", 9026), ("letter", 9360)])
def test_columns_fit_every_word_and_the_text_width(paper: str, width: int) -> None:
    house = default_house_style()
    available = width - 720
    twips = column_twips(wide_table(), available, house)
    assert sum(twips) == available
    padding = 2 * house.tables.padding_pt.horizontal + house.tables.rule_pt
    table = wide_table()
    for index, col in enumerate(twips):
        cells = [(row[index], True) for row in table.header] + [(row[index], False) for row in table.rows]
        longest = max(text_width(word, "Arial", house.styles.table.size_pt, bold=bold)
                      for cell, bold in cells for word in cell.inlines[0].text.split(" "))  # type: ignore[union-attr]
        assert col / 20 >= longest + padding, (index, col / 20, longest)
    widths = column_widths(table, available / 20, house)
    assert widths[3] < widths[1]  # a number column stays narrow, prose takes the room


def test_docx_tables_are_fixed_keep_their_last_rows_and_are_spaced(tmp_path: Path) -> None:
    docx = Docx(write_docx(build(), paper="letter")["agreement.docx"])
    size = docx.document.find("w:body/w:sectPr/w:pgSz", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("12240", "15840")
    deal_table = docx.style_id("Deal Table")
    tables = docx.document.xpath(f"//w:tbl[w:tblPr/w:tblStyle/@w:val='{deal_table}']", namespaces=NS)
    assert tables
    for table in tables:
        assert table.find("w:tblPr/w:tblLayout", NS).get(w("type")) == "fixed"
        grid = [int(col.get(w("w"))) for col in table.iterfind("w:tblGrid/w:gridCol", NS)]
        assert sum(grid) == 12240 - 2880 - 720
        rows = table.findall("w:tr", NS)
        kept = [all(p.find("w:pPr/w:keepNext", NS) is not None for p in row.iter(w("p"))) for row in rows[1:]]
        assert kept[-2] and not kept[-1], kept  # the row before the last keeps with it
        spacer = table.getnext()
        assert spacer.tag == w("p") and spacer.find("w:pPr/w:pStyle", NS).get(w("val")) == docx.style_id("Table Space After")


def test_html_tables_have_the_docx_grid_and_keep_their_last_rows() -> None:
    the_build = build()
    html = render_document_html(the_build, the_build.documents[0], paper="letter")
    start = html.index('<table class="data">')
    table = html[start:html.index("</table>", start)]
    widths = [float(value) for value in re.findall(r'<col style="width: ([\d.]+)pt" />', table)]
    assert math.isclose(sum(widths), (12240 - 2880 - 720) / 20)
    assert table.count('class="keep"') + table.count(' keep"') >= 1
    assert '</table>\n<div class="table-space"></div>' in html


def test_a_paragraph_that_introduces_a_table_keeps_whole_with_it() -> None:
    """LibreOffice never splits a paragraph that keeps with a table; Word and the
    PDF are told the same, so the lead-in starts on the same page in each."""
    the_build = build()
    document = the_build.documents[0]
    milestones = document.schedules[1]
    lead_in = "The milestone payments are as follows:"
    schedule = replace(milestones, blocks=(Paragraph((Text(lead_in),)), *milestones.blocks))
    the_build = replace(the_build, documents=(replace(document, schedules=(document.schedules[0], schedule)),))
    docx = Docx(write_docx(the_build)["agreement.docx"])
    (par,) = [p for p in docx.paragraphs() if text(p) == lead_in]
    assert par.find("w:pPr/w:keepNext", NS) is not None and par.find("w:pPr/w:keepLines", NS) is not None
    assert par.getnext().tag == w("tbl")
    html = render_document_html(the_build, the_build.documents[0])
    assert f'<p class="intro">{lead_in}</p>' in html
    assert re.search(r"p\.intro \{ break-after: avoid; break-inside: avoid; \}", html)


# --- the execution page -----------------------------------------------------------------


def test_execution_page_in_docx_pdf_and_markdown(tmp_path: Path) -> None:
    the_build = build()
    lead_in = "The Parties sign this Agreement on the dates below."
    the_build = replace(the_build, deal=replace(the_build.deal, signing_lead_in=lead_in))
    docx = Docx(write_docx(the_build)["agreement.docx"])
    assert [text(p) for p in docx.paragraphs("Signature Lead-in")] == [lead_in]
    grid = docx.document.xpath(f"//w:tbl[w:tblPr/w:tblStyle/@w:val='{docx.style_id('Signature Grid')}']", namespaces=NS)[0]
    rows = grid.findall("w:tr", NS)
    assert len(rows) == 2 and all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)  # three parties, two a row
    lines = [text(p) for p in grid.iter(w("p"))]
    for party in the_build.deal.parties:
        assert party.legal_name in lines
    assert "Name: Dr Anna Keller" in lines and "Title: Chief Business Officer" in lines
    assert lines.count("Date:") == 3
    assert len(docx.paragraphs("Signature Line")) == 3
    lead = docx.paragraphs("Signature Lead-in")[0]
    assert docx.style("Signature Lead-in").find("w:pPr/w:keepNext", NS) is not None and lead.getnext() is grid
    markdown = write_markdown(the_build)["agreement.md"].decode()
    assert lead_in in markdown and "Name: Dr Anna Keller" in markdown and markdown.count("Date:") == 3
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(write_pdf(the_build)["agreement.pdf"])).pages)
    assert lead_in in " ".join(pdf_text.split())
    assert "Name: Dr Anna Keller" in pdf_text and pdf_text.count("Date:") == 3


def test_rows_of_signature_blocks_stand_apart_in_docx_and_pdf() -> None:
    """Three parties, two a row: the second row's block starts the house's row gap
    below the row above in both routes, so one party's "Date:" never runs into
    the next party's "Signed for and on behalf of"."""
    the_build = build()
    gap = default_house_style().execution.row_gap_pt
    assert gap > 0
    docx = Docx(write_docx(the_build)["agreement.docx"])
    grid = docx.document.xpath(f"//w:tbl[w:tblPr/w:tblStyle/@w:val='{docx.style_id('Signature Grid')}']", namespaces=NS)[0]
    first, second = grid.findall("w:tr", NS)
    assert not first.xpath("w:tc/w:tcPr/w:tcMar", namespaces=NS)
    assert second.xpath("w:tc/w:tcPr/w:tcMar/w:top/@w:w", namespaces=NS) == [str(round(gap * 20))] * 2
    pdf = write_pdf(the_build)["agreement.pdf"]
    page = next(p for p in PdfReader(io.BytesIO(pdf)).pages if "Signed for and on behalf of" in p.extract_text())
    tops: dict[str, list[float]] = {}

    def visit(text_: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        # WeasyPrint sets text in CSS pixels (0.75 pt), y growing down the page
        if text_.strip():
            tops.setdefault(text_.strip().split(":")[0], []).append(tm[5] * 0.75)

    page.extract_text(visitor_text=visit)
    assert len(tops["Date"]) == 3 and len(tops["Signed for and on behalf of"]) == 3
    pitch = max(tops["Date"]) - max(tops["Title"])  # one line of a block
    first_row_date = min(tops["Date"])
    second_row_intro = max(tops["Signed for and on behalf of"])
    assert second_row_intro - first_row_date >= pitch + gap - 0.5


def test_the_deal_type_names_the_lead_in(tmp_path: Path) -> None:
    from conftest import FIXTURE_DEAL, FIXTURE_LIBRARY

    from assembler.api import build_deal
    from assembler.library import load as library_module

    overlay = tmp_path / "overlay" / "deal-types"
    overlay.mkdir(parents=True)
    source = (FIXTURE_LIBRARY / "deal-types" / "fixture_collab.yaml").read_text("utf-8")
    (overlay / "fixture_collab.yaml").write_text(
        source + "signing_lead_in: >-\n  Each Party's authorised representative signs below.\n", "utf-8")
    library = library_module.require_valid(
        library_module.load_library([FIXTURE_LIBRARY, tmp_path / "overlay"], builtin=False))
    assert build_deal(FIXTURE_DEAL, library).deal.signing_lead_in == (
        "Each Party\u2019s authorised representative signs below.")
    default = build_deal(FIXTURE_DEAL, library_module.require_valid(
        library_module.load_library([FIXTURE_LIBRARY], builtin=False)))
    assert default.deal.signing_lead_in == "Signed by the authorised representatives of the Parties on the dates set out below."


# --- the contents ------------------------------------------------------------------------


def test_docx_contents_take_the_page_numbers_of_the_pdf_built_with_it() -> None:
    the_build = build()
    files = render_files(the_build, ["docx", "pdf"])
    _, pages = layout_pdfs(the_build)
    docx = Docx(files["agreement.docx"])
    entries = [text(p) for p in docx.paragraphs() if p.find("w:pPr/w:pStyle", NS).get(w("val")) in ("TOC1", "TOC2")]
    document = the_build.documents[0]
    assert len(entries) == len(document.toc)
    for entry, line in zip(document.toc, entries, strict=True):
        assert line.endswith(f"\t{pages['agreement'][entry.bookmark]}"), (entry, line)
    assert docx.xml("word/settings.xml").find("w:updateFields", NS) is None  # right as delivered
    alone = Docx(render_files(the_build, ["docx"])["agreement.docx"])
    lines = [text(p) for p in alone.paragraphs() if p.find("w:pPr/w:pStyle", NS).get(w("val")) == "TOC1"]
    assert lines and not any(re.search(r"\t\d+$", line) for line in lines)
    assert alone.xml("word/settings.xml").find("w:updateFields", NS).get(w("val")) == "true"  # Word fills them in on open
