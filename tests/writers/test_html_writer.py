"""The HTML writer: structure from the tree, escaping, and no WeasyPrint import."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pdf_fixtures import sample_agreement, sample_build

from assembler.assembly.tree import Paragraph, Section, Text
from assembler.base.errors import InputError, OutputError
from assembler.writers.html import (
    heading_number,
    render_document_html,
    templates_dir,
    write_html,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in write_html(sample_build()).items()}


def test_one_page_per_document(pages: dict[str, str]) -> None:
    assert sorted(pages) == ["agreement.html", "jsc-charter.html"]
    assert all(page.startswith("<!DOCTYPE html>") for page in pages.values())


def test_templates_found_in_repo() -> None:
    assert (templates_dir() / "document.html.j2").is_file()
    assert (templates_dir() / "print.css").is_file()


def test_headings_carry_tree_numbers_and_anchors(pages: dict[str, str]) -> None:
    html = pages["agreement.html"]
    assert '<h2 class="article-heading" id="art-2"' in html
    # No space between them: the number hangs in a column as wide as Word's tab.
    assert '<span class="number">2.</span><span class="title">Article Title 2</span>' in html
    assert '<h3 class="section-heading" id="sec-art2-clause3"' in html
    assert '<span class="number">2.3</span>' in html
    assert '<span class="number">Schedule 2</span>' in html
    numbers = re.findall(r'<h[23] class="(?:article|section)-heading"[^>]*><span class="number">'
                         r"([^<]+)</span>", html)
    assert numbers[:4] == ["1.", "1.1", "2.", "2.1"]


def test_no_css_counters_for_clause_numbers() -> None:
    css = (templates_dir() / "print.css").read_text(encoding="utf-8")
    counters = set(re.findall(r"(?<![\w-])counters?\(\s*([\w-]+)", css))
    counters |= set(re.findall(r"target-counters?\(\s*[^,]+,\s*([\w-]+)", css))
    # footnotes are numbered by the layout, in the PDF as Word numbers them in the DOCX
    assert counters == {"page", "pages", "footnote"}
    assert "counter-increment" not in css and "counter-reset" not in css
    assert "hyphens: auto" not in css


def test_internal_refs_link_to_bookmarks_external_refs_are_text(pages: dict[str, str]) -> None:
    assert '<a class="ref" href="#sec-governance-jsc">Section 3.1</a>' in pages["agreement.html"]
    charter = pages["jsc-charter.html"]
    assert '<span class="ref">Section 2.1 of the Agreement</span>' in charter
    assert '<a class="ref" href="#sec-plan-jsc-members">Section 1.2</a>' in charter


def test_every_internal_link_has_a_target(pages: dict[str, str]) -> None:
    for html in pages.values():
        ids = set(re.findall(r' id="([^"]+)"', html))
        hrefs = set(re.findall(r' href="#([^"]+)"', html))
        assert hrefs and hrefs <= ids


def test_sub_list_labels_come_from_the_tree(pages: dict[str, str]) -> None:
    html = pages["agreement.html"]
    assert '<span class="label">(a)</span>the receiving Party' in html
    assert '<span class="label">(ii)</span>the second nested condition.' in html
    assert "list-style: none" in (templates_dir() / "print.css").read_text(encoding="utf-8")


def test_definitions_blanks_terms(pages: dict[str, str]) -> None:
    html = pages["agreement.html"]
    assert '<strong class="defined-term">“Arising IP”</strong> means all Intellectual' in html
    assert '<span class="blank">[●]</span>' in html
    assert "The JSC shall meet within" in html  # a defined term reads as plain text
    assert "<em>Effective Date</em>" in html


def test_table_has_header_and_total_rows(pages: dict[str, str]) -> None:
    html = pages["agreement.html"]
    assert "<thead>" in html
    assert '<th class="align-right">Amount (USD)</th>' in html
    assert '<tr class="total"><td><strong>Total</strong></td>' in html
    assert "<tfoot>" not in html  # a total row prints once, at the end


def test_toc_lists_every_entry_with_link(pages: dict[str, str]) -> None:
    html = pages["agreement.html"]
    toc = html.split('<nav class="toc">')[1].split("</nav>")[0]
    entries = re.findall(r'<a href="#([^"]+)"><span class="toc-number[^"]*">([^<]+)</span>', toc)
    document = sample_agreement()
    assert [bookmark for bookmark, _ in entries] == [entry.bookmark for entry in document.toc]
    assert entries[-1] == ("sch-milestones", "Schedule 2")


def test_cover_marking_and_signatures(pages: dict[str, str]) -> None:
    html = pages["agreement.html"]
    assert '<p class="marking">DRAFT — Confidential</p>' in html
    assert "Nordhaven Pharmaceuticals AG</span> <span class=\"party-short\">(“Nordhaven”)" in html
    assert "23 November 2026" in html and "Draft 0.3" in html
    assert html.count('class="signature-block"') == 2
    assert "Name: Dr Anna Keller" in html
    assert 'class="signature-block"' not in pages["jsc-charter.html"]
    # Schedules come after the body and the signatures.
    assert html.index("signature-block") < html.index('class="schedule"')


def test_preamble_clauses_have_unnumbered_headings(pages: dict[str, str]) -> None:
    html = pages["agreement.html"]
    assert ('<h3 class="preamble-heading" id="front-parties" data-outline="Parties">'
            '<span class="title">Parties</span></h3>') in html
    assert html.index("front-background") < html.index('id="art-definitions"')


def test_unknown_node_fails_instead_of_dropping_text() -> None:
    agreement = sample_agreement(articles=2)
    section = agreement.articles[1].sections[0]
    broken = replace(section, blocks=(section,))  # type: ignore[arg-type]
    article = replace(agreement.articles[1], sections=(broken,))
    build = sample_build(documents=(replace(agreement, articles=(article,)),))
    with pytest.raises(OutputError, match="no layout for a Section node"):
        write_html(build)


def test_final_build_has_no_marking() -> None:
    html = write_html(sample_build(final=True))["agreement.html"].decode()
    assert 'class="marking"' not in html
    assert "DRAFT — Confidential" not in html
    assert "Version 0.3" in html


def test_metadata_from_deal(pages: dict[str, str]) -> None:
    html = pages["agreement.html"]
    assert "<title>Research Collaboration Agreement</title>" in html
    assert '<meta name="author" content="Nordhaven Pharmaceuticals AG" />' in html
    assert '<meta name="dcterms.created" content="2026-11-23" />' in html
    assert "Content-Security-Policy" in html


def test_paper_size() -> None:
    build = sample_build()
    assert "@page { size: 210mm 297mm;" in render_document_html(build, build.documents[0])
    assert "@page { size: 215.9mm 279.4mm;" in render_document_html(
        build, build.documents[0], paper="letter")
    with pytest.raises(InputError, match="unknown paper size 'a3'"):
        write_html(build, paper="a3")


def test_heading_number() -> None:
    assert heading_number("7") == "7."
    assert heading_number("7.2") == "7.2"
    assert heading_number("Schedule 2") == "Schedule 2"


HOSTILE = (
    '<link rel="attachment" href="file:///etc/passwd">'
    '<script>alert(1)</script><img src="http://127.0.0.1:9/x.png">'
    '</style><style>@import url(file:///etc/passwd)</style>" onload="x'
)


def test_clause_text_is_escaped_data() -> None:
    agreement = sample_agreement(articles=2, extra_text=HOSTILE)
    first = agreement.articles[1]
    hostile_section = Section("evil.clause", "2.9", HOSTILE, (Paragraph((Text(HOSTILE),)),),
                              bookmark='evil" onclick="x')
    agreement = replace(agreement, articles=(
        agreement.articles[0], replace(first, sections=(*first.sections, hostile_section))))
    build = sample_build(documents=(agreement,), confidentiality_marking=HOSTILE)
    html = write_html(build)["agreement.html"].decode()
    assert "<script>" not in html and "<link rel" not in html and "<img" not in html
    assert "&lt;link rel=&#34;attachment&#34; href=&#34;file:///etc/passwd&#34;&gt;" in html
    assert 'id="evil&#34; onclick=&#34;x"' in html
    assert html.count("<style>") == 1


def test_deterministic() -> None:
    assert write_html(sample_build()) == write_html(sample_build())


def test_html_writer_does_not_import_weasyprint() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from pdf_fixtures import sample_build\n"
        "from assembler.writers.html import write_html\n"
        "write_html(sample_build())\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
