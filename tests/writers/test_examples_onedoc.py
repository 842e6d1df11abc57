"""Every example, every route: one document as LibreOffice lays out the DOCX
and as the PDF prints it.

Each example deal is built once (Markdown, DOCX, PDF and HTML in one run,
as ``dealdraft build`` does). LibreOffice converts every DOCX to PDF as
delivered (``soffice --convert-to pdf``, no field updated, as a reader
prints it), and opens every DOCX through UNO to update its contents, giving
the page of every entry. The tests hold the outputs against that
independent layout: the same pages and headings, contents page numbers that
LibreOffice agrees with, table cells whose words are never broken, and the
house rules every output keeps (typography, covers, tagging, valid OOXML).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from assembler.api import build_deal, load_library, render_files
from assembler.assembly.tree import Build, Table
from assembler.assembly.tree_text import inline_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
UNO_SCRIPT = ROOT / "tests" / "tools" / "uno_toc.py"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")


def _uno_available() -> bool:
    if not (Path("/usr/bin/python3").exists() and shutil.which("soffice") and PDFTOTEXT and PDFINFO):
        return False
    return subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(
    not _uno_available() and not os.environ.get("DEALDRAFT_CI"),
    reason="LibreOffice with python3-uno and poppler are not installed",
)


@cache
def bench_pages():  # type: ignore[no-untyped-def]
    """``bench/bench_pages.py``, whose comparison the README's figures come from."""
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench" / "bench_pages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class Example:
    """One example built in every format, and LibreOffice's view of its DOCX files."""

    def __init__(self, name: str, build: Build, folder: Path) -> None:
        self.name = name
        self.build = build
        self.folder = folder

    def file(self, name: str) -> Path:
        return self.folder / name

    def documents(self) -> list[str]:
        return [document.id for document in self.build.documents]

    def libreoffice_pdf(self, document: str) -> Path:
        return self.folder / "libreoffice" / f"{document}.pdf"

    def libreoffice_contents(self, document: str) -> list[tuple[str, int]]:
        data = json.loads((self.folder / "libreoffice" / f"{document}.json").read_text("utf-8"))
        return [(text, page) for text, page in data]


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Example]:
    assert _uno_available(), "LibreOffice, python3-uno and poppler are required in CI"
    library = load_library()
    work = tmp_path_factory.mktemp("examples")
    built: dict[str, Example] = {}
    jobs: list[str] = []
    for deal in EXAMPLES:
        folder = work / deal.stem
        (folder / "libreoffice").mkdir(parents=True)
        build = build_deal(deal, library)
        for name, data in render_files(build, ["md", "docx", "pdf", "html"]).items():
            (folder / name).write_bytes(data)
        example = Example(deal.stem, build, folder)
        jobs += [f"{folder / f'{document}.docx'}:{folder / 'libreoffice' / f'{document}.json'}" for document in example.documents()]
        built[deal.stem] = example
    profile = (work / "profile").as_uri()
    for example in built.values():
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                        str(example.folder / "libreoffice"), *(str(example.file(f"{d}.docx")) for d in example.documents())],
                       check=True, capture_output=True, timeout=900)
    subprocess.run(["/usr/bin/python3", str(UNO_SCRIPT), str(work / "uno-profile"), *jobs], check=True, timeout=1800)
    return built


NAMES = [path.stem for path in EXAMPLES]


def pdf_text(path: Path, *args: str) -> str:
    assert PDFTOTEXT
    return subprocess.run([PDFTOTEXT, "-enc", "UTF-8", *args, str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def docx_part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style id, text) of every paragraph of the body."""
    out = []
    for par in docx_part(path, "word/document.xml").iter(f"{W}p"):
        style = par.find(f"{W}pPr/{W}pStyle")
        text = "".join(node.text or "" if node.tag == f"{W}t" else "\t" for node in par.iter(f"{W}t", f"{W}tab"))
        out.append((style.get(f"{W}val") if style is not None else "", text))
    return out


def tables(build: Build) -> list[Table]:
    found: list[Table] = []

    def walk(node: object) -> None:
        if isinstance(node, Table):
            found.append(node)
        elif isinstance(node, tuple):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for field in node.__dataclass_fields__:  # type: ignore[attr-defined]
                walk(getattr(node, field))

    walk(build.documents)
    return found


# --- tables -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_no_word_of_a_table_cell_is_broken_in_libreoffice(examples: dict[str, Example], name: str) -> None:
    """LibreOffice keeps the column widths a DOCX gives; ours fit every word,
    so no line of its layout ends inside a word of a table cell."""
    example = examples[name]
    words = {
        word.strip(".,;:()“”‘’")
        for table in tables(example.build)
        for row in (*table.header, *table.rows, *table.footer)
        for cell in row
        for word in inline_text(cell.inlines).split()
    }
    words = {word for word in words if len(word) >= 2}
    markdown = " ".join(example.file(f"{d}.md").read_text("utf-8") for d in example.documents())
    standalone = {word.strip(".,;:()“”‘’*|").casefold() for word in markdown.split()}
    broken = []
    for document in example.documents():
        lines = [line.split() for line in pdf_text(example.libreoffice_pdf(document)).splitlines()]
        for before, after in zip(lines, lines[1:], strict=False):
            if not before or not after:
                continue
            head, tail = before[-1].strip(".,;:()“”‘’"), after[0].strip(".,;:()“”‘’")
            if head and tail and head + tail in words and head.casefold() not in standalone:
                broken.append(f"{document}: {head}|{tail}")
    assert not broken, broken


@pytest.mark.parametrize("name", NAMES)
def test_no_total_row_stands_alone_on_a_page(examples: dict[str, Example], name: str) -> None:
    """The last two rows keep together: a total row never opens a page under
    the repeated header alone, in LibreOffice or in the PDF."""
    example = examples[name]
    headers = [
        " ".join(inline_text(cell.inlines) for cell in table.header[0]).split()[:2]
        for table in tables(example.build) if table.footer and table.header
    ]
    for document in example.documents():
        for path in (example.libreoffice_pdf(document), example.file(f"{document}.pdf")):
            for page in pdf_text(path, "-layout").split("\f"):
                lines = [line.split() for line in page.splitlines() if line.strip()]
                for before, after in zip(lines, lines[1:], strict=False):
                    if after[:1] == ["Total"]:
                        assert not any(before[: len(h)] == h for h in headers), f"{path.name}: {before} / {after}"


# --- pages ----------------------------------------------------------------------

# The figures bench/bench_pages.py prints and the README quotes (headings on
# the same page, in percent); the test allows a few points of drift.
TOLERANCE = 5.0


def readme_alignment() -> dict[str, float]:
    text = (ROOT / "README.md").read_text("utf-8")
    found = re.findall(r"^\| `?([a-z-]+)`? \| \d+ \| \d+ / \d+ \| [\d.]+% \| ([\d.]+)% \|$", text, re.M)
    return {name: float(value) for name, value in found}


@pytest.mark.parametrize("name", NAMES)
def test_pdf_and_docx_paginate_alike(examples: dict[str, Example], name: str) -> None:
    example = examples[name]
    bench = bench_pages()
    rows = [
        bench.align(d, example.file(f"{d}.pdf").read_bytes(), example.libreoffice_pdf(d).read_bytes())
        for d in example.documents()
    ]
    for row in rows:
        assert abs(row.pages_pdf - row.pages_docx) <= 1, row
        assert row.headings >= len(example.build.document(row.document).toc) - 1, row
    quoted = readme_alignment()
    assert name in quoted, f"the README's page alignment table has no row for {name}"
    assert bench.share(rows) >= max(quoted[name] - TOLERANCE, 90.0), rows


@pytest.mark.parametrize("name", NAMES)
def test_docx_contents_page_numbers_agree_with_libreoffice(examples: dict[str, Example], name: str) -> None:
    """The contents as delivered carry the PDF's page numbers; LibreOffice,
    updating the index itself, puts every entry within one page of them."""
    example = examples[name]
    for document in example.documents():
        cached = [text for style, text in docx_paragraphs(example.file(f"{document}.docx")) if style.startswith("TOC")
                  and style != "TOCHeading"]
        assert cached and all(re.search(r"\t\d+$", line) for line in cached), (document, cached[:3])
        theirs: dict[str, list[int]] = {}
        for text, page in example.libreoffice_contents(document):
            theirs.setdefault(_entry_title(text), []).append(page)
        for line in cached:
            head, _, page = line.rpartition("\t")
            pages = theirs.get(_entry_title(head))
            assert pages, f"{document}: LibreOffice's contents have no entry {head!r}"
            assert abs(pages.pop(0) - int(page)) <= 1, f"{document}: {head!r} on page {page}, LibreOffice says {pages}"


def _entry_title(text: str) -> str:
    return " ".join(re.sub(r"^(?:Schedule\s+\d+|\d+(?:\.\d+)*\.?)", "", text.strip()).split()).casefold()


# --- what every output keeps ---------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def prose(example: Example, document: str) -> dict[str, str]:
    """The text a reader sees in each output of one document."""
    html = _Text()
    html.feed(example.file(f"{document}.html").read_text("utf-8"))
    docx = example.file(f"{document}.docx")
    with zipfile.ZipFile(docx) as archive:
        stories = [n for n in archive.namelist() if re.match(r"word/(document|header\d*|footer\d*|comments)\.xml$", n)]
    words = "".join(node.text or "" for name in stories for node in docx_part(docx, name).iter(f"{W}t"))
    return {
        "md": example.file(f"{document}.md").read_text("utf-8"),
        "docx": words,
        "pdf": pdf_text(example.file(f"{document}.pdf")),
        "html": "".join(html.parts),
        "docx in LibreOffice": pdf_text(example.libreoffice_pdf(document)),
    }


@pytest.mark.parametrize("name", NAMES)
def test_no_straight_quote_in_any_output(examples: dict[str, Example], name: str) -> None:
    example = examples[name]
    for document in example.documents():
        for route, text in prose(example, document).items():
            straight = re.findall(r".{0,30}['\"].{0,30}", text)
            assert not straight, f"{document} ({route}): {straight[:3]}"
        assert "\\" not in example.file(f"{document}.md").read_text("utf-8"), "a stray Markdown escape"


@pytest.mark.parametrize("name", NAMES)
def test_covers_show_defined_names_never_role_codes(examples: dict[str, Example], name: str) -> None:
    example = examples[name]
    parties = example.build.deal.parties
    roles = {party.role.replace("_", " ") for party in parties}
    for document in example.documents():
        docx_cover = " ".join(text for style, text in docx_paragraphs(example.file(f"{document}.docx"))
                              if style.startswith("Cover"))
        pdf_cover = " ".join(pdf_text(example.file(f"{document}.pdf")).split("\f")[0].split())
        lo_cover = " ".join(pdf_text(example.libreoffice_pdf(document)).split("\f")[0].split())
        for cover in (docx_cover, pdf_cover, lo_cover):
            for role in roles:
                assert f"({role.capitalize()})" not in cover and f"({role})" not in cover, cover
            for party in parties:
                assert f"{party.legal_name} (\u201c{party.short_name}\u201d)" in cover, cover
        assert _cover_lines(pdf_cover) == _cover_lines(lo_cover), "the two covers differ"


def _cover_lines(text: str) -> str:
    return re.sub(r"Page \d+ of \d+|DRAFT — Confidential(?= )", "", text).strip()


@pytest.mark.parametrize("name", NAMES)
def test_pdfs_are_tagged_and_described(examples: dict[str, Example], name: str) -> None:
    assert PDFINFO
    example = examples[name]
    for document in example.documents():
        path = example.file(f"{document}.pdf")
        info = subprocess.run([PDFINFO, str(path)], check=True, capture_output=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        metadata = subprocess.run([PDFINFO, "-meta", str(path)], check=True, capture_output=True, text=True).stdout
        assert 'pdfuaid:part="1"' in metadata and "<dc:title>" in metadata, metadata[:300]
        assert PdfReader(path).trailer["/Root"]["/Lang"] == "en-GB"


@pytest.mark.parametrize("name", NAMES)
def test_every_docx_validates_against_the_ooxml_schemas(examples: dict[str, Example], name: str) -> None:
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    example = examples[name]
    for document in example.documents():
        result = validator.validate(example.file(f"{document}.docx"))
        assert result.is_valid and not result.errors, [str(error) for error in result.errors]
