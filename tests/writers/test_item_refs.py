"""References to a list item of a clause, ``ref('id', item='name')``: "Section
3.2(a)" in every format, a REF field to a bookmark on the item in the DOCX
(still right after LibreOffice renumbers the list), an internal link in the
PDF, and the diff treats it like any reference."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT, run
from lxml import etree
from needs import UNO_PYTHON

OWN = ROOT / "examples" / "own-library"
DEAL = OWN / "services-agreement.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARK = "svc_fees_invoices_withhold"
NBSP = "\u00a0"  # the typographic pass ties a reference's word to its number
SENTENCE = f"other than an amount it withholds under clause{NBSP}3.2(a), Corvane may charge interest"


def _build(tmp_path: Path, library: Path, name: str, formats: str = "md,docx,pdf,html", *extra: str) -> Path:
    out = tmp_path / name
    result = run("build", str(DEAL), "-o", str(out), "--format", formats, *extra, "--no-builtin", "--library", str(library))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("items"), OWN / "library", "out")


def test_markdown_and_html_read_section_and_item(out: Path) -> None:
    assert SENTENCE in (out / "agreement.md").read_text("utf-8")
    html = (out / "agreement.html").read_text("utf-8")
    assert f'<a class="ref" href="#{MARK}">clause{NBSP}3.2(a)</a>' in html
    assert f'<li id="{MARK}">' in html


def test_docx_has_a_bookmark_on_the_item_and_a_ref_field_to_it(out: Path) -> None:
    with zipfile.ZipFile(out / "agreement.docx") as docx:
        root = etree.fromstring(docx.read("word/document.xml"))
    (start,) = [b for b in root.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == MARK]
    item = start.getparent()
    assert item.find(f"{W}pPr/{W}numPr") is not None  # the numbered list paragraph itself
    assert "".join(t.text or "" for t in item.iter(f"{W}t")).startswith("may withhold any amount")
    (par,) = [p for p in root.iter(f"{W}p") if "withholds under" in "".join(t.text or "" for t in p.iter(f"{W}t"))]
    instructions = [i.text.strip() for i in par.iter(f"{W}instrText")]
    assert instructions == ["REF svc_fees_invoices \\n \\h", f"REF {MARK} \\n \\h"]
    texts = [t.text for t in par.iter(f"{W}t")]
    at = texts.index("3.2")
    assert texts[at - 1] == f"clause{NBSP}" and texts[at - 2].endswith("withholds under ") and texts[at + 1] == "(a)"


def test_pdf_links_to_the_item(out: Path) -> None:
    reader = pypdf.PdfReader(out / "agreement.pdf")
    dests = [str(a.get_object().get("/Dest")) for page in reader.pages for a in page.get("/Annots") or []]
    assert any(MARK in dest for dest in dests), dests


@pytest.mark.requires("uno")
def test_libreoffice_shows_the_new_letter_after_an_item_is_inserted_above(out: Path, tmp_path: Path) -> None:
    script = ROOT / "tests" / "tools" / "uno_item_refs.py"
    target = tmp_path / "after.txt"
    subprocess.run([UNO_PYTHON, str(script), str(tmp_path / "profile"), str(out / "agreement.docx"), MARK, str(target)],
                   check=True, timeout=600, cwd=script.parent)
    lines = target.read_text("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0] == "(a) -> (b)"  # the marked item moved down the list
    (sentence,) = [line for line in lines if "withholds under" in line]
    assert f"withholds under clause{NBSP}3.2(b), Corvane" in sentence


def _library_with_item_above(tmp_path: Path) -> Path:
    root = tmp_path / "house"
    shutil.copytree(OWN / "library", root)
    path = root / "clauses" / "fees.yaml"
    text = path.read_text("utf-8")
    withhold = "        1. [#withhold] may withhold any amount it disputes in good faith"
    assert text.count(withhold) == 2
    path.write_text(text.replace(withhold, "        1. may set off any amount the other Party owes it;\n" + withhold), "utf-8")
    return root


def test_an_item_inserted_above_renumbers_the_reference(tmp_path: Path) -> None:
    out = _build(tmp_path, _library_with_item_above(tmp_path), "moved", "md")
    assert SENTENCE.replace("3.2(a)", "3.2(b)") in (out / "agreement.md").read_text("utf-8")


def test_diff_treats_an_item_reference_like_any_reference(tmp_path: Path) -> None:
    before = _build(tmp_path, OWN / "library", "before", "md")
    after = _build(tmp_path, _library_with_item_above(tmp_path), "after", "md")
    result = run("diff", str(before), str(after), "--format", "json")
    data = json.loads(result.stdout)
    changed = {c["clause"] for c in data["changes"]}
    assert "svc.fees.invoices" in changed  # the clause with the new item
    assert "svc.fees.late" not in changed  # its reference only renumbered: (a) → (b)


def test_a_missing_item_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "house"
    shutil.copytree(OWN / "library", root)
    path = root / "clauses" / "fees.yaml"
    path.write_text(path.read_text("utf-8").replace("item='withhold'", "item='withold'"), "utf-8")
    result = run("lint", "--no-builtin", "--library", str(root))
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert any(line.endswith("positions.balanced.text: ref('svc.fees.invoices', item='withold'): no position of clause "
                             "svc.fees.invoices has a list item [#withold]") for line in errors), errors
    assert any("the clause has no list item [#withold] in this position (its items: withhold)" in line for line in errors), errors


def test_an_escaped_deal_value_never_names_an_item() -> None:
    from assembler.assembly.markdown import parse_blocks
    from assembler.assembly.sandbox import escape_markdown
    from assembler.assembly.tree import ListBlock

    (block,) = parse_blocks("1. " + escape_markdown("[#x] text") + "\n")
    assert isinstance(block, ListBlock) and block.items[0].anchor == ""
    (block,) = parse_blocks("1. [#x] text\n")
    assert isinstance(block, ListBlock) and block.items[0].anchor == "x"
    assert re.sub(r"\s+", " ", str(block.items[0].blocks)).find("[#x]") == -1
