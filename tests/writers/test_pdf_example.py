"""The PDF of the reference deal, read back and held against its Markdown build."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
import ref_places
from pdf_fixtures import collapse, pdf_raw_page_texts
from pypdf import PdfReader
from test_pdf_writer import outline_pages, toc_entries

from assembler.api import build_deal
from assembler.assembly.lockfile import LOCK_FILENAME, lock_bytes, parse_lock
from assembler.assembly.options import BuildOptions
from assembler.assembly.tree import Article, Block, Build, Document, ListBlock, Paragraph, Ref, Schedule, Table
from assembler.writers.markdown import write_markdown
from assembler.writers.pdf.writer import write_pdf

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "research-collaboration.yaml"
NOT_CLAUSES = {"Signatures"}  # the Markdown's heading over the signature blocks


@pytest.fixture(scope="module")
def build() -> Build:
    return build_deal(EXAMPLE)


@pytest.fixture(scope="module")
def pdfs(build: Build) -> dict[str, bytes]:
    return write_pdf(build)


@pytest.fixture(scope="module")
def raw_texts(pdfs: dict[str, bytes]) -> dict[str, list[str]]:
    """Page texts of every PDF, extracted once (pypdf is the slow part)."""
    return {name: pdf_raw_page_texts(data) for name, data in pdfs.items()}


def markdown_headings(markdown: str) -> list[str]:
    """Clause headings of a Markdown build ("7.2 Title", "Schedule 2 Title")."""
    headings = []
    for line in markdown.splitlines()[1:]:  # the first line is the document title
        match = re.match(r"#{2,4} (.+)$", line)
        if match and match.group(1) not in NOT_CLAUSES:
            heading = re.sub(r"^(Schedule \d+) — ", r"\1 ", match.group(1))
            headings.append(heading.replace("\\", ""))
    return headings


def refs(blocks: tuple[Block, ...]) -> list[Ref]:
    found: list[Ref] = []

    def inline(nodes: tuple[object, ...]) -> None:
        for node in nodes:
            if isinstance(node, Ref):
                found.append(node)
            elif hasattr(node, "children"):
                inline(node.children)

    for block in blocks:
        if isinstance(block, Paragraph):
            inline(block.inlines)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(refs(item.blocks))
        elif isinstance(block, Table):
            for row in (*block.header, *block.rows, *block.footer):
                for cell in row:
                    inline(cell.inlines)
    return found


def document_refs(document: Document) -> list[Ref]:
    found: list[Ref] = []
    for section in document.preamble:
        found.extend(refs(section.blocks))
    parts: tuple[Article | Schedule, ...] = (*document.articles, *document.schedules)
    for part in parts:
        found.extend(refs(part.blocks))
        for section in part.sections:
            found.extend(refs(section.blocks))
            for definition in section.definitions:
                found.extend(refs((Paragraph(definition.inlines),)))
    return found


def test_one_pdf_per_document(build: Build, pdfs: dict[str, bytes]) -> None:
    assert list(pdfs) == [f"{document.id}.pdf" for document in build.documents]
    assert len(pdfs) >= 2


def test_headings_and_numbers_match_the_markdown_build(
    build: Build, raw_texts: dict[str, list[str]]
) -> None:
    markdown = write_markdown(build)
    for document in build.documents:
        headings = markdown_headings(markdown[f"{document.id}.md"].decode("utf-8"))
        assert len(headings) > 3
        raw = raw_texts[f"{document.id}.pdf"]
        pages = [text.casefold() for text in collapse(raw)]
        _, last_toc = toc_entries(raw)
        body = " ".join(pages[last_toc + 1:])
        position = 0
        for heading in headings:
            found = body.find(heading.casefold(), position)  # headings may print in capitals
            assert found >= 0, f"{document.id}: {heading!r} missing or out of order"
            position = found + len(heading)


def test_cross_reference_text(build: Build, raw_texts: dict[str, list[str]]) -> None:
    for document in build.documents:
        text = " ".join(collapse(raw_texts[f"{document.id}.pdf"]))
        expected = {ref.text.replace("\u00a0", " ") for ref in document_refs(document)}  # the PDF's text has plain spaces
        missing = sorted(ref for ref in expected if ref not in text)
        assert not missing, f"{document.id}: {missing}"
    assert any(ref.external for document in build.documents for ref in document_refs(document))


def test_references_print_their_targets_number_in_place(
    build: Build, raw_texts: dict[str, list[str]]
) -> None:
    """Each reference, found at its place in its sentence, prints the number
    that the same PDF prints at the heading it points to (in the agreement's
    PDF for a reference from a plan to the agreement)."""
    marking = build.deal.confidentiality_marking
    bodies: dict[str, str] = {}
    printed = {}
    for document in build.documents:
        raw = raw_texts[f"{document.id}.pdf"]
        _, last_toc = toc_entries(raw)
        pages = collapse(raw)[last_toc + 1:]
        body = " ".join(re.sub(r"Page \d+ of \d+", " ", page).replace(marking, " ") for page in pages)
        bodies[document.id] = ref_places.normal(body)
        printed[document.id] = ref_places.printed_numbers(bodies[document.id], document)
    documents = {document.id: document for document in build.documents}
    total = external = 0
    for document in build.documents:
        checked = ref_places.check_references_in_place(bodies, documents, printed, document.id)
        assert checked.references + checked.in_tables == len(document_refs(document)), document.id
        total += checked.references
        external += sum(ref.external for ref in document_refs(document))
    assert total > 50 and external > 0


def test_contents_page_numbers_point_at_the_headings(
    build: Build, pdfs: dict[str, bytes], raw_texts: dict[str, list[str]]
) -> None:
    for document in build.documents:
        data = pdfs[f"{document.id}.pdf"]
        raw = raw_texts[f"{document.id}.pdf"]
        pages = [text.casefold() for text in collapse(raw)]
        entries, last_toc = toc_entries(raw)
        assert len(entries) == len(document.toc), document.id
        outline = {title.casefold(): page for _, title, page in outline_pages(data)}
        for label, page in entries:
            first = next(i for i, text in enumerate(pages) if i > last_toc and label.casefold() in text) + 1
            assert page == first, f"{document.id}: {label!r} listed on {page}, printed on {first}"
            assert outline[label.casefold()] == page


def test_every_page_counts_from_the_cover(raw_texts: dict[str, list[str]]) -> None:
    pages = collapse(raw_texts["agreement.pdf"])
    assert len(pages) > 10
    for number, text in enumerate(pages, start=1):
        # The cover shows no number (as the DOCX's first page) but counts.
        assert (f"Page {number} of {len(pages)}" in text) == (number > 1), number


def test_metadata_and_lock(build: Build, pdfs: dict[str, bytes]) -> None:
    for document in build.documents:
        reader = PdfReader(io.BytesIO(pdfs[f"{document.id}.pdf"]))
        assert reader.metadata is not None
        assert reader.metadata["/Title"] == document.title
        assert reader.metadata["/Author"] == ", ".join(p.legal_name for p in build.deal.parties)
        assert reader.metadata["/CreationDate"] == "D:" + build.deal.date.replace("-", "")
        assert dict(reader.attachments) == {LOCK_FILENAME: [lock_bytes(build.lock)]}


def test_external_copy_has_no_lock_only_its_provenance() -> None:
    external = build_deal(EXAMPLE, options=BuildOptions(external=True))
    smallest = min(external.documents, key=lambda d: len(d.toc))
    data = write_pdf(replace(external, documents=(smallest,)))[f"{smallest.id}.pdf"]
    attached = parse_lock(dict(PdfReader(io.BytesIO(data)).attachments)[LOCK_FILENAME][0])
    assert attached["external"] is True and "deal" not in attached and "variables" not in attached
    assert {key for clause in attached["clauses"] for key in clause} <= {"id", "document", "version", "number", "title", "sha256", "masked_sha256"}


def test_no_page_ends_with_a_heading(build: Build, raw_texts: dict[str, list[str]]) -> None:
    markdown = write_markdown(build)
    marking = build.deal.confidentiality_marking.casefold()
    for document in build.documents:
        headings = [h.casefold() for h in markdown_headings(markdown[f"{document.id}.md"].decode())]
        pages = [text.casefold() for text in collapse(raw_texts[f"{document.id}.pdf"])]
        for number, text in enumerate(pages, start=1):
            body = text.replace(f"page {number} of {len(pages)}", "").replace(marking, "").strip()
            orphans = [h for h in headings if body.endswith(h)]
            assert not orphans, f"{document.id} page {number} ends with {orphans}"
