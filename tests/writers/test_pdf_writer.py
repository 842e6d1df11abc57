"""The PDF writer, read back: numbers, contents, outline, links, metadata, lock."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from needs import require
from pdf_fixtures import (
    SAMPLE_LOCK,
    collapse,
    pdf_page_texts,
    pdf_raw_page_texts,
    sample_agreement,
    sample_build,
    sample_plan,
)
from pypdf import PdfReader
from pypdf.generic import Destination

from assembler.assembly.lockfile import LOCK_FILENAME, external_provenance, lock_bytes
from assembler.assembly.tree import Document
from assembler.base.errors import InputError
from assembler.writers.html import heading_number
from assembler.writers.pdf.writer import write_pdf

ROOT = Path(__file__).resolve().parents[2]
# A contents line: the label, then its page number (the leader is drawn, not text).
TOC_LINE = re.compile(r"^(?!Page \d+ of )(?P<label>.+?)(?: ?\.{4,} ?| )(?P<page>\d+)$")


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return write_pdf(sample_build())


def headings(document: Document) -> list[str]:
    """Every heading of ``document`` as it reads, in order."""
    found: list[str] = [section.title for section in document.preamble]
    for article in document.articles:
        found.append(f"{heading_number(article.number)} {article.title}")
        found.extend(f"{heading_number(s.number)} {s.title}" for s in article.sections)
    for schedule in document.schedules:
        found.append(f"Schedule {schedule.number} {schedule.title}")
        found.extend(f"{heading_number(s.number)} {s.title}" for s in schedule.sections)
    return found


def toc_entries(raw_pages: list[str]) -> tuple[list[tuple[str, int]], int]:
    """(label, page) of every contents line, and the index of the last TOC
    page, from page texts with their lines kept."""
    entries: list[tuple[str, int]] = []
    last = 0
    for index, text in enumerate(raw_pages[1:], start=1):
        lines = [TOC_LINE.match(re.sub(r"\s+", " ", line).strip()) for line in text.splitlines() if line.strip()]
        found = [(m["label"], int(m["page"])) for m in lines if m]
        if len(found) * 2 < len(lines):  # a page of the body, not of the contents
            break
        entries.extend(found)
        last = index
    return entries, last


def outline_pages(data: bytes) -> list[tuple[int, str, int]]:
    reader = PdfReader(io.BytesIO(data))
    result: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                assert isinstance(item, Destination)
                result.append((level, str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return result


def test_one_pdf_per_document(pdfs: dict[str, bytes]) -> None:
    assert sorted(pdfs) == ["agreement.pdf", "jsc-charter.pdf"]
    assert all(data.startswith(b"%PDF-") for data in pdfs.values())


@pytest.mark.parametrize("document", [sample_agreement(), sample_plan()], ids=lambda d: d.id)
def test_every_heading_appears_in_order(pdfs: dict[str, bytes], document: Document) -> None:
    raw = pdf_raw_page_texts(pdfs[f"{document.id}.pdf"])
    pages = [text.casefold() for text in collapse(raw)]
    _, last_toc = toc_entries(raw)
    body = " ".join(pages[last_toc + 1:])
    position = 0
    for heading in headings(document):
        found = body.find(heading.casefold(), position)  # headings may print in capitals
        assert found >= 0, f"{heading!r} missing or out of order"
        position = found + len(heading)


def test_reference_text(pdfs: dict[str, bytes]) -> None:
    agreement = " ".join(pdf_page_texts(pdfs["agreement.pdf"]))
    assert "the joint steering committee established under Section 3.1;" in agreement
    charter = " ".join(pdf_page_texts(pdfs["jsc-charter.pdf"]))
    assert "oversees the research under Section 2.1 of the Agreement." in charter
    assert "Members are listed in Section 1.2." in charter


def test_toc_page_numbers_point_at_headings(pdfs: dict[str, bytes]) -> None:
    data = pdfs["agreement.pdf"]
    raw = pdf_raw_page_texts(data)
    pages = [text.casefold() for text in collapse(raw)]
    entries, last_toc = toc_entries(raw)
    document = sample_agreement()
    assert [label.casefold() for label, _ in entries] == [
        f"{heading_number(e.number)} {e.title}".casefold() for e in document.toc]
    assert len({page for _, page in entries}) > 3  # the document spans several pages
    for (label, page), entry in zip(entries, document.toc, strict=True):
        first = next(i for i, text in enumerate(pages) if i > last_toc and label.casefold() in text) + 1
        assert page == first, f"{entry.number}: contents says page {page}, heading on {first}"
    # The outline agrees with the contents.
    outline = {title.casefold(): page for _, title, page in outline_pages(data)}
    for label, page in entries:
        assert outline[label.casefold()] == page


def test_outline_has_articles_and_sections(pdfs: dict[str, bytes]) -> None:
    outline = outline_pages(pdfs["agreement.pdf"])
    level1 = [title for level, title, _ in outline if level == 1]
    document = sample_agreement()
    assert level1 == ["Parties", "Background"] + [
        f"{heading_number(a.number)} {a.title}" for a in document.articles] + [
        f"Schedule {s.number} {s.title}" for s in document.schedules]
    assert ("2.3 Heading 2.3" in [title for level, title, _ in outline if level == 2])


def test_internal_links_go_to_named_destinations(pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs["agreement.pdf"]))
    names = set(reader.named_destinations)
    targets: list[str] = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            assert annotation["/Subtype"] == "/Link"
            assert "/URI" not in str(annotation.get("/A", ""))
            destination = annotation.get("/Dest") or annotation["/A"]["/D"]
            targets.append(str(destination))
    assert "sec-governance-jsc" in targets  # the cross-reference "Section 3.1"
    assert "art-definitions" in targets  # a contents line
    assert set(targets) <= names


def test_header_and_footer_on_every_page(pdfs: dict[str, bytes]) -> None:
    pages = pdf_page_texts(pdfs["agreement.pdf"])
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        # Every page counts from the cover, which shows no number (as the DOCX's first page).
        assert (f"Page {number} of {total}" in text) == (number > 1), number
        assert "DRAFT — Confidential" in text


def test_final_build_has_no_marking() -> None:
    build = sample_build(final=True, documents=(sample_plan(),))
    text = " ".join(pdf_page_texts(write_pdf(build)["jsc-charter.pdf"]))
    assert "DRAFT" not in text and "Confidential" not in text
    assert "Page 2 of" in text


def test_cover_page(pdfs: dict[str, bytes]) -> None:
    cover = pdf_page_texts(pdfs["agreement.pdf"])[0]
    for words in ("RESEARCH COLLABORATION AGREEMENT", "Nordhaven Pharmaceuticals AG (“Nordhaven”)",
                  "Helixa Bio Ltd (“Helixa”)", "23 November 2026", "Draft 0.3"):
        assert words in cover
    assert not re.search(r"\((Pharma|Partner)\)", cover)


def test_metadata(pdfs: dict[str, bytes]) -> None:
    info = PdfReader(io.BytesIO(pdfs["agreement.pdf"])).metadata
    assert info is not None
    assert info["/Title"] == "Research Collaboration Agreement"
    assert info["/Author"] == "Nordhaven Pharmaceuticals AG, Helixa Bio Ltd"
    assert info["/Subject"] == "Research Collaboration between Nordhaven and Helixa"
    assert "research_collaboration" in info["/Keywords"]
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261123"
    charter = PdfReader(io.BytesIO(pdfs["jsc-charter.pdf"])).metadata
    assert charter is not None and charter["/Title"] == "Joint Steering Committee Charter"


def test_lock_is_the_only_attachment(pdfs: dict[str, bytes]) -> None:
    for data in pdfs.values():
        reader = PdfReader(io.BytesIO(data))
        assert dict(reader.attachments) == {LOCK_FILENAME: [lock_bytes(SAMPLE_LOCK)]}


def test_external_build_attaches_only_the_provenance() -> None:
    build = sample_build(external=True, documents=(sample_plan(),))
    reader = PdfReader(io.BytesIO(write_pdf(build)["jsc-charter.pdf"]))
    assert dict(reader.attachments) == {LOCK_FILENAME: [lock_bytes(external_provenance(SAMPLE_LOCK))]}
    attached = reader.attachments[LOCK_FILENAME][0]
    assert b"position" not in attached and b"stance" not in attached and b'"text"' not in attached


def test_deterministic_bytes() -> None:
    build = sample_build()
    assert write_pdf(build) == write_pdf(sample_build())


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.28, 841.89)), ("letter", (612, 792))])
def test_paper_size(paper: str, size: tuple[float, float]) -> None:
    data = write_pdf(sample_build(documents=(sample_plan(),)), paper=paper)["jsc-charter.pdf"]
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == size


def test_long_table_repeats_its_header_row() -> None:
    agreement = sample_agreement(articles=3, sections_per_article=4, table_rows=90)
    pages = pdf_page_texts(write_pdf(sample_build(documents=(agreement,)))["agreement.pdf"])
    # Rows 5 to 90 belong to the long table only (the schedule's table has four).
    table_pages = [text for text in pages
                   if any(int(n) > 4 for n in re.findall(r"Milestone event number (\d+)", text))]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert "Milestone event Amount (USD)" in text
    total = f"Total {sum((i + 1) * 250_000 for i in range(90)):,}"
    assert sum(text.count(total) for text in pages) == 1  # the total row prints once, last
    assert total in table_pages[-1]


def test_pdfa_3b_variant() -> None:
    build = sample_build(documents=(sample_plan(),))
    data = write_pdf(build, variant="pdf/a-3b")["jsc-charter.pdf"]
    assert data == write_pdf(build, variant="PDF/A-3b")["jsc-charter.pdf"]
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert catalog["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    (filespec,) = [item.get_object() for item in catalog["/AF"]]
    assert filespec["/AFRelationship"] == "/Data"
    assert dict(reader.attachments) == {LOCK_FILENAME: [lock_bytes(SAMPLE_LOCK)]}


def test_unknown_options_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown PDF variant 'pdf/x-4'"):
        write_pdf(sample_build(), variant="pdf/x-4")
    with pytest.raises(InputError, match="unknown paper size"):
        write_pdf(sample_build(), paper="legal")


def test_no_fonts_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    code = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from pdf_fixtures import sample_build\n"
        "from assembler.base.errors import UnavailableError\n"
        "from assembler.writers.pdf.writer import write_pdf\n"
        "try:\n"
        "    write_pdf(sample_build())\n"
        "except UnavailableError as error:\n"
        "    print('UnavailableError:', error)\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "UnavailableError: PDF output needs at least one installed font" in result.stdout


def test_only_the_pdf_writer_imports_weasyprint() -> None:
    importers = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "assembler").rglob("*.py")
        if re.search(r"^\s*(import|from)\s+weasyprint", path.read_text(encoding="utf-8"), re.M)
    ]
    assert importers == ["assembler/writers/pdf/layout.py"]
    code = (
        "import sys, importlib\n"
        "import assembler, assembler.writers, assembler.writers.html\n"
        "for name in ('assembler.api', 'assembler.cli.main'):\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ModuleNotFoundError:\n"
        "        pass\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported at start-up'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_forked_workers_give_the_same_bytes() -> None:
    require("fork")
    build = sample_build()
    assert write_pdf(build, workers=2) == write_pdf(build, workers=1)
