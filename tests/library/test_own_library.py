"""The worked example of a house library (``examples/own-library``): built
with ``--no-builtin`` to every format, lint-clean, and nothing in it about
pharma; each feature of the format shows in every output."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT, run
from lxml import etree
from pdf_fixtures import pdf_page_texts

OWN = ROOT / "examples" / "own-library"
LIB = ["--no-builtin", "--library", str(OWN / "library")]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("own")
    result = run("build", str(OWN / "services-agreement.yaml"), "-o", str(folder), "--format", "md,docx,pdf,html", *LIB)
    assert result.exit_code == 0, result.stderr
    return folder


def _docx(out: Path) -> dict[str, str]:
    with zipfile.ZipFile(out / "agreement.docx") as docx:
        return {name: docx.read(name).decode("utf-8") for name in docx.namelist() if name.endswith((".xml", ".rels"))}


def _docx_text(xml: str) -> str:
    root = etree.fromstring(xml.encode("utf-8"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


def _pdf_text(out: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(pdf_page_texts((out / "agreement.pdf").read_bytes())))


def _html_text(out: Path) -> str:
    root = etree.fromstring((out / "agreement.html").read_bytes(), etree.HTMLParser())
    return re.sub(r"\s+", " ", "".join(root.itertext()))


def test_every_format_is_built(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "agreement.docx", "agreement.html", "agreement.md", "agreement.pdf", "deal.lock.json"
    ]


def test_lint_is_clean() -> None:
    result = run("lint", *LIB)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "24 clauses, 2 deal types: 0 error(s), 0 warning(s)" in result.stderr


def test_nothing_says_pharma_or_partner(out: Path) -> None:
    files = [p for p in OWN.rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:
        assert not re.search(r"pharma|partner", path.read_text("utf-8"), re.I), path
    for name in ("agreement.md", "agreement.html", "deal.lock.json"):
        assert not re.search(r"pharma|partner", (out / name).read_text("utf-8"), re.I), name
    assert not re.search(r"pharma|partner", _docx_text(_docx(out)["word/document.xml"]), re.I)
    assert not re.search(r"pharma|partner", _pdf_text(out), re.I)


# As every output reads them: typeset (curly quotes; a reference's word and
# number tied by a no-break space, which the comparisons read as a space).
ALIAS = "“Customer Data” or “Data” means all data"
INLINE_DEF = "(the “Services”)"
INLINE_LIST = "“Services” has the meaning given in clause 2.1."
FOOTNOTE = "The base rate is published at the Bank of England’s website."
LOCAL = "In this clause 5.2, “Excluded Losses” means"


def _spaced(text: str) -> str:
    """Every run of whitespace, no-break spaces included, as one space."""
    return " ".join(text.split())


def test_markdown_shows_every_feature(out: Path) -> None:
    md = (out / "agreement.md").read_text("utf-8")
    assert "given in clause\u00a02.1." in md and "In this clause\u00a05.2," in md
    plain = _spaced(md.replace("**", ""))
    for expected in (ALIAS, INLINE_DEF, INLINE_LIST, LOCAL):
        assert expected in plain
    assert "base rate[^1], from the due date" in md
    assert f"[^1]: {FOOTNOTE[:-len(' website.')].replace('the Bank', '[the Bank')}" in md
    assert "[service status page](https://status.example.com/corvane)" in md
    assert "£18,500" in md and "GBP" not in md
    assert "| **Monthly fee** | £18,500, payable within thirty (30) days of invoice |" in md
    assert "governed by the laws of Northern Ireland" in md


def test_docx_shows_every_feature(out: Path) -> None:
    parts = _docx(out)
    body = _spaced(_docx_text(parts["word/document.xml"]))
    for expected in (ALIAS, INLINE_DEF, INLINE_LIST, LOCAL, "Customer Data", "£18,500"):
        assert expected in body, expected
    # a real footnote: a reference in the body, its text in the footnotes part
    root = etree.fromstring(parts["word/document.xml"].encode("utf-8"))
    references = [r.get(f"{W}id") for r in root.iter(f"{W}footnoteReference")]
    assert references == ["1"]
    notes = etree.fromstring(parts["word/footnotes.xml"].encode("utf-8"))
    note = next(n for n in notes.iter(f"{W}footnote") if n.get(f"{W}id") == "1")
    assert "".join(t.text or "" for t in note.iter(f"{W}t")).strip() == FOOTNOTE
    assert "footnotes+xml" in parts["[Content_Types].xml"]
    # hyperlinks: external relationships of the part that holds them
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"].encode("utf-8"))
    links = {r.get("Id"): r for r in rels if r.get("Type", "").endswith("/hyperlink")}
    (link,) = [h for h in root.iter(f"{W}hyperlink") if h.get(f"{R}id")]
    rel = links[link.get(f"{R}id")]
    assert (rel.get("Target"), rel.get("TargetMode")) == ("https://status.example.com/corvane", "External")
    assert "".join(t.text or "" for t in link.iter(f"{W}t")) == "service status page"
    note_rels = etree.fromstring(parts["word/_rels/footnotes.xml.rels"].encode("utf-8"))
    assert [(r.get("Target"), r.get("TargetMode")) for r in note_rels] == [
        ("https://www.bankofengland.co.uk/monetary-policy/the-interest-rate-bank-rate", "External")
    ]
    # the cover's key terms, and the parties by their defined names (as the PDF's cover; never a role)
    assert "Key Terms Customer Tallow & Finch Retail Ltd Provider Corvane Systems Ltd" in body
    assert "between Tallow & Finch Retail Ltd (“Tallow & Finch”) and Corvane Systems Ltd (“Corvane”)" in body
    assert "(Customer)" not in body and "(Provider)" not in body


def test_pdf_shows_every_feature(out: Path) -> None:
    text = _pdf_text(out)
    for expected in (ALIAS, INLINE_DEF, INLINE_LIST, LOCAL, FOOTNOTE, "Monthly fee £18,500"):
        assert expected in text, expected
    uris = []
    for page in pypdf.PdfReader(out / "agreement.pdf").pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    assert sorted(uris) == [
        "https://status.example.com/corvane",
        "https://www.bankofengland.co.uk/monetary-policy/the-interest-rate-bank-rate",
    ]


def test_pdf_footnote_is_at_the_foot_of_its_page(out: Path) -> None:
    pages = pdf_page_texts((out / "agreement.pdf").read_bytes())
    (page,) = [p for p in pages if "base rate" in p and "Late Payment" in p]
    assert page.index("from the due date until payment") < page.index(FOOTNOTE[:30])


def test_html_shows_every_feature(out: Path) -> None:
    html = (out / "agreement.html").read_text("utf-8")
    text = _html_text(out)
    for expected in (ALIAS, INLINE_DEF, INLINE_LIST, LOCAL, FOOTNOTE):
        assert expected in text, expected
    assert '<a class="external" href="https://status.example.com/corvane">service status page</a>' in html
    assert '<span class="footnote">' in html


def test_lock_records_the_house_stance_and_positions(out: Path) -> None:
    lock = json.loads((out / "deal.lock.json").read_text("utf-8"))
    assert lock["deal"]["stance"] == "customer_first"
    positions = {c["id"]: c["position"] for c in lock["clauses"]}
    assert positions["svc.liability.cap"] == "customer" and positions["svc.fees.invoices"] == "balanced"


def test_the_examples_deal_schema_is_current() -> None:
    result = run("schema", *LIB)
    assert (OWN / "deal.schema.json").read_text("utf-8") == result.stdout, (
        "regenerate: dealdraft schema --no-builtin --library examples/own-library/library -o examples/own-library/deal.schema.json"
    )


@pytest.mark.parametrize(("name", "extra"), [("agreement.docx", ()), ("agreement.docx", ("--returned",)), ("agreement.pdf", ())])
def test_verify_reads_every_feature_back(out: Path, name: str, extra: tuple[str, ...]) -> None:
    """Footnotes, links, definitions with aliases and other verbs, and the
    cover's key terms read back from the file as the build wrote them."""
    result = run("verify", str(out / name), "--deal", str(OWN / "services-agreement.yaml"), *extra, *LIB)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith("matches the deal and library\n")
