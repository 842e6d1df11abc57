"""A real client: LibreOffice lays out the DOCX; the PDF text shows the numbers.

LibreOffice recomputes list labels and REF fields itself (it ignores the
cached results), so these tests prove the numbering definitions and the
bookmark/REF wiring, not just the text we wrote. Needs soffice and pdftotext:
skipped on a developer's machine without them, a failure under DEALDRAFT_CI
(see tests/needs.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import ref_places
from docx_fixtures import build, example_build
from needs import soffice
from test_docx_reference import python_docx_default_template
from test_docx_structure import document_refs

from assembler.assembly.tree import Block, Build, Document, ListBlock, Paragraph
from assembler.assembly.tree_text import inline_text
from assembler.writers.docx import write_docx

pytestmark = pytest.mark.requires("soffice", "pdftotext")


def convert(files: dict[str, bytes], folder: Path) -> dict[str, str]:
    """PDF text of every DOCX in ``files``, converted in one LibreOffice run with
    its own profile (so parallel runs never share one)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [str(soffice()), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         *paths],
        check=True, capture_output=True, timeout=300,
    )
    texts = {}
    for name in files:
        pdf = folder / (Path(name).stem + ".pdf")
        result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True)
        texts[name] = result.stdout.decode("utf-8")
    return texts


def normal(value: str) -> str:
    return " ".join(value.split()).casefold()


def body_text(pdf_text: str, document: Document, marking: str) -> str:
    """Text after the cover and contents (from the second occurrence of the
    title on), without running headers and footers."""
    text = re.sub(r"Page \d+ of \d+", " ", pdf_text)
    if marking:
        text = text.replace(marking, " ")
    text = normal(text)
    title = normal(document.title)
    first = text.index(title)
    return text[text.index(title, first + len(title)):]


def list_labels(blocks: tuple[Block, ...]) -> list[str]:
    """"(a) first words of the item" for every numbered item, in order."""
    out = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                first = item.blocks[0] if item.blocks else None
                if item.label and isinstance(first, Paragraph):
                    words = inline_text(first.inlines).split()[:3]
                    out.append(f"{item.label} {' '.join(words)}")
                out.extend(list_labels(item.blocks))
    return out


def expected_in_order(document: Document) -> list[str]:
    """Every heading label and list label as LibreOffice must print them."""
    out = []
    for article in document.articles:
        out.append(f"{article.number}. {article.title}")
        out.extend(list_labels(article.blocks))
        for section in article.sections:
            out.append(f"{section.number} {section.title}")
            out.extend(list_labels(section.blocks))
    for schedule in document.schedules:
        out.append(f"Schedule {schedule.number} {schedule.title}")
        out.extend(list_labels(schedule.blocks))
        for section in schedule.sections:
            out.append(f"{section.number}. {section.title}")
            out.extend(list_labels(section.blocks))
    return out


def check_document(pdf_text: str, the_build: Build, document: Document) -> None:
    marking = "" if the_build.deal.final else the_build.deal.confidentiality_marking
    body = body_text(pdf_text, document, marking)
    position = 0
    for label in expected_in_order(document):
        found = body.find(normal(label), position)
        assert found >= 0, f"{document.id}: {label!r} not found after position {position}"
        position = found
    # Table cells wrap in columns, so only references in running text are read back.
    for ref in document_refs(document, tables=False):
        assert normal(ref.text) in body, f"{document.id}: reference {ref.text!r} not in the PDF"
    pages = re.findall(r"Page (\d+) of (\d+)", pdf_text)
    assert pages and len({total for _, total in pages}) == 1
    assert int(pages[-1][0]) == int(pages[-1][1])


@pytest.fixture(scope="module")
def fixture_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return convert(write_docx(build(), comments=True), tmp_path_factory.mktemp("lo-fixture"))


def test_numbers_and_references_as_in_the_tree(fixture_pdfs: dict[str, str]) -> None:
    the_build = build()
    for document in the_build.documents:
        check_document(fixture_pdfs[f"{document.id}.docx"], the_build, document)


def test_lists_restart_and_nest(fixture_pdfs: dict[str, str]) -> None:
    body = normal(fixture_pdfs["agreement.docx"])
    for label in ("(a) to oversee", "(b) to resolve", "(i) scientific disputes", "(ii) budget disputes",
                  "(c) to approve", "(a) first item of a second list", "(b) second item"):
        assert normal(label) in body
    assert "schedule 2 milestone payments" in body and "total 5,000,000" in body


def test_house_template_still_numbers(tmp_path: Path) -> None:
    the_build = build()
    files = write_docx(the_build, reference_docx=python_docx_default_template())
    texts = convert(files, tmp_path)
    for document in the_build.documents:
        check_document(texts[f"{document.id}.docx"], the_build, document)


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, dict[str, str]]:
    the_build = example_build()
    return the_build, convert(write_docx(the_build), tmp_path_factory.mktemp("lo-example"))


def test_example_deal_in_libreoffice(example_pdfs: tuple[Build, dict[str, str]]) -> None:
    the_build, texts = example_pdfs
    for document in the_build.documents:
        check_document(texts[f"{document.id}.docx"], the_build, document)


def check_references_in_place(the_build: Build, texts: dict[str, str]) -> int:
    """LibreOffice computes list labels and REF results itself: every
    reference must print, at its place in the sentence, the number that
    LibreOffice printed at the target's heading."""
    bodies: dict[str, str] = {}
    printed = {}
    for document in the_build.documents:
        marking = "" if the_build.deal.final else the_build.deal.confidentiality_marking
        bodies[document.id] = ref_places.normal(body_text(texts[f"{document.id}.docx"], document, marking))
        printed[document.id] = ref_places.printed_numbers(bodies[document.id], document)
    documents = {document.id: document for document in the_build.documents}
    total = 0
    for document in the_build.documents:
        checked = ref_places.check_references_in_place(bodies, documents, printed, document.id)
        assert checked.references + checked.in_tables == len(document_refs(document)), document.id
        total += checked.references
    return total


def test_references_print_their_targets_number_in_place(
    example_pdfs: tuple[Build, dict[str, str]], fixture_pdfs: dict[str, str]
) -> None:
    assert check_references_in_place(*example_pdfs) > 50
    assert check_references_in_place(build(), fixture_pdfs) > 3
