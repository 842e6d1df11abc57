"""The DOCX writer, checked on the XML it writes: numbering, bookmarks, REF
fields, contents, tables, lists, comments, markings."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from docx_fixtures import build, example_build
from docx_xml import NS, Docx, bookmarks, fields, text, w

from assembler.assembly.tree import (
    Article,
    Block,
    Build,
    Document,
    Emphasis,
    Inline,
    ListBlock,
    Paragraph,
    Ref,
    Schedule,
    Section,
    Strong,
    Table,
)
from assembler.writers.docx import write_docx
from assembler.writers.docx.bookmarks import iter_anchored, valid_bookmark

HEADING_STYLES = ("heading 1", "heading 2", "Schedule Title", "Schedule Heading", "Preamble Heading")
TYPED_NUMBER = re.compile(r"^\s*(\d+(\.\d+)*\.?(\s|$)|\([a-z]+\)|\([ivxl]+\)|schedule\s+\d)", re.I)


@pytest.fixture(params=["fixture", "example"], scope="module")
def the_build(request: pytest.FixtureRequest) -> Build:
    if request.param == "fixture":
        return build()
    return example_build()


@pytest.fixture(scope="module")
def written(the_build: Build) -> dict[str, Docx]:
    return {name: Docx(data) for name, data in write_docx(the_build).items()}


@pytest.fixture(scope="module")
def fixture_docs() -> dict[str, Docx]:
    """The hand-built fixture's documents, for checks that know its content."""
    return {name: Docx(data) for name, data in write_docx(build()).items()}


def documents(the_build: Build, written: dict[str, Docx]) -> list[tuple[Document, Docx]]:
    return [(doc, written[f"{doc.id}.docx"]) for doc in the_build.documents]


def iter_refs(inlines: tuple[Inline, ...]) -> list[Ref]:
    out: list[Ref] = []
    for node in inlines:
        if isinstance(node, Ref):
            out.append(node)
        elif isinstance(node, (Emphasis, Strong)):
            out.extend(iter_refs(node.children))
    return out


def block_refs(blocks: tuple[Block, ...], tables: bool = True) -> list[Ref]:
    out: list[Ref] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.extend(iter_refs(block.inlines))
        elif isinstance(block, ListBlock):
            for item in block.items:
                out.extend(block_refs(item.blocks, tables))
        elif isinstance(block, Table) and tables:
            for row in (*block.header, *block.rows, *block.footer):
                for cell in row:
                    out.extend(iter_refs(cell.inlines))
    return out


def document_refs(doc: Document, tables: bool = True) -> list[Ref]:
    """Every Ref of a document in the order the writer lays it out (those in
    table cells too unless ``tables`` is false)."""
    out: list[Ref] = []

    def section(node: Section) -> None:
        out.extend(block_refs(node.blocks, tables))
        for definition in node.definitions:
            out.extend(iter_refs(definition.inlines))

    def container(node: Article | Schedule) -> None:
        out.extend(block_refs(node.blocks, tables))
        for child in node.sections:
            section(child)

    for node in doc.preamble:
        section(node)
    for article in doc.articles:
        container(article)
    for schedule in doc.schedules:
        container(schedule)
    return out


def test_one_abstract_list_bound_to_the_heading_styles(fixture_docs: dict[str, Docx]) -> None:
    docx = fixture_docs["agreement.docx"]
    numbering = docx.numbering
    outline = numbering.xpath("w:abstractNum[w:name/@w:val='dealdraft outline']", namespaces=NS)
    assert len(outline) == 1
    levels = {lvl.get(w("ilvl")): lvl for lvl in outline[0].iterfind("w:lvl", NS)}
    expected = {
        "0": ("%1.", "decimal", "heading 1"),
        "1": ("%1.%2", "decimal", "heading 2"),
        "2": ("(%3)", "lowerLetter", "List (a)"),
        "3": ("(%4)", "lowerRoman", "List (i)"),
    }
    abstract_id = outline[0].get(w("abstractNumId"))
    for ilvl, (lvl_text, fmt, style_name) in expected.items():
        lvl = levels[ilvl]
        assert lvl.find("w:lvlText", NS).get(w("val")) == lvl_text
        assert lvl.find("w:numFmt", NS).get(w("val")) == fmt
        assert lvl.find("w:pStyle", NS).get(w("val")) == docx.style_id(style_name)
        # ... and the style points back at a w:num of that abstract list, at that level.
        num_pr = docx.style(style_name).find("w:pPr/w:numPr", NS)
        assert num_pr.find("w:ilvl", NS).get(w("val")) == ilvl
        num_id = num_pr.find("w:numId", NS).get(w("val"))
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        assert num.find("w:abstractNumId", NS).get(w("val")) == abstract_id
    schedules = numbering.xpath("w:abstractNum[w:name/@w:val='dealdraft schedules']", namespaces=NS)[0]
    first = schedules.find("w:lvl[@w:ilvl='0']", NS)
    assert first.find("w:lvlText", NS).get(w("val")) == "Schedule\u00a0%1"
    assert first.find("w:pStyle", NS).get(w("val")) == docx.style_id("Schedule Title")


def test_toc_heading_style_suppresses_heading_numbering(fixture_docs: dict[str, Docx]) -> None:
    docx = fixture_docs["agreement.docx"]
    style = docx.style("TOC Heading")
    assert style.find("w:basedOn", NS).get(w("val")) == docx.style_id("heading 1")
    assert style.find("w:pPr/w:numPr/w:numId", NS).get(w("val")) == "0"


def test_headings_carry_no_typed_number(the_build: Build, written: dict[str, Docx]) -> None:
    for _doc, docx in documents(the_build, written):
        for style in (*HEADING_STYLES, "List (a)", "List (i)"):
            for par in docx.paragraphs(style):
                assert not TYPED_NUMBER.match(text(par)), (style, text(par))
                assert par.find("w:pPr/w:numPr/w:numId", NS) is None or style.startswith("List")


def test_heading_count_matches_tree(the_build: Build, written: dict[str, Docx]) -> None:
    for doc, docx in documents(the_build, written):
        assert len(docx.paragraphs("heading 1")) == len(doc.articles)
        assert len(docx.paragraphs("heading 2")) == sum(len(a.sections) for a in doc.articles)
        assert len(docx.paragraphs("Schedule Title")) == len(doc.schedules)
        assert len(docx.paragraphs("Schedule Heading")) == sum(len(s.sections) for s in doc.schedules)


def test_one_bookmark_per_clause_around_its_heading(the_build: Build, written: dict[str, Docx]) -> None:
    for doc, docx in documents(the_build, written):
        marks = bookmarks(docx.document)
        nodes = list(iter_anchored(doc))
        assert len(marks) == len(nodes)
        assert set(marks) == {node.bookmark for node in nodes}
        heading_ids = {docx.style_id(name) for name in HEADING_STYLES}
        for node in nodes:
            assert valid_bookmark(node.bookmark) and len(node.bookmark) <= 40
            par = marks[node.bookmark]
            if node.title:
                assert par.find("w:pPr/w:pStyle", NS).get(w("val")) in heading_ids
                assert text(par).strip() == node.title
        ids = [b.get(w("id")) for b in docx.document.iter(w("bookmarkStart"))]
        ends = [b.get(w("id")) for b in docx.document.iter(w("bookmarkEnd"))]
        assert sorted(ids) == sorted(ends) and len(set(ids)) == len(ids)


def test_every_internal_ref_is_a_ref_field_with_the_tree_number(the_build: Build, written: dict[str, Docx]) -> None:
    for doc, docx in documents(the_build, written):
        marks = bookmarks(docx.document)
        refs = [f for f in fields(docx.document) if f.instruction.startswith("REF ")]
        internal = [r for r in document_refs(doc) if not r.external]
        assert [f.result for f in refs] == [r.number for r in internal]
        for found, ref in zip(refs, internal, strict=True):
            match = re.fullmatch(r"REF (\S+) \\n \\h", found.instruction)
            assert match, found.instruction
            assert match.group(1) in marks
            # The field points at the heading of the clause the tree resolved.
            (node,) = [n for n in iter_anchored(doc) if n.bookmark == match.group(1)]
            assert ref.target in {node.clause_id, getattr(node, "id", node.clause_id)}
            # prefix and suffix are plain text around the field
            assert ref.text in text(found.paragraph)


def test_external_refs_are_plain_text(the_build: Build, written: dict[str, Docx]) -> None:
    referring = []
    for doc, docx in documents(the_build, written):
        external = [ref for ref in document_refs(doc) if ref.external]
        if not external:
            continue
        referring.append(doc.id)
        body = "\n".join(text(p) for p in docx.paragraphs())
        for ref in external:
            assert ref.text in body, (doc.id, ref.text)
        # plain text: the document's REF fields are exactly its internal references
        refs = [f for f in fields(docx.document) if f.instruction.startswith("REF ")]
        assert len(refs) == len([ref for ref in document_refs(doc) if not ref.external]), doc.id
    # both builds have a governance plan that refers back to the agreement
    assert referring and "agreement" not in referring, referring


def test_toc_field_with_cached_entries(the_build: Build, written: dict[str, Docx]) -> None:
    for doc, docx in documents(the_build, written):
        tocs = [f for f in fields(docx.document) if f.instruction.startswith("TOC ")]
        if not doc.toc:
            assert not tocs
            continue
        assert len(tocs) == 1 and '\\o "1-2"' in tocs[0].instruction
        entries = docx.paragraphs("toc 1") + docx.paragraphs("toc 2")
        assert len(entries) == len(doc.toc)
        cached = [text(p) for p in docx.paragraphs() if p in entries]
        for entry, line in zip(doc.toc, cached, strict=True):
            assert entry.title in line and entry.number in line
        marks = bookmarks(docx.document)
        for link in docx.document.iter(w("hyperlink")):
            assert link.get(w("anchor")) in marks
        settings = docx.xml("word/settings.xml")
        assert settings.find("w:updateFields", NS).get(w("val")) == "true"
        assert settings.find("w:rsids", NS) is None


def test_each_ordered_list_restarts_at_a(fixture_docs: dict[str, Docx]) -> None:
    docx = fixture_docs["agreement.docx"]
    numbering = docx.numbering
    items = docx.paragraphs("List (a)")
    num_ids = [p.find("w:pPr/w:numPr/w:numId", NS).get(w("val")) for p in items]
    # fixture: one list of three items in 2.1, another of two in 2.2
    assert len(set(num_ids)) >= 2
    for num_id in set(num_ids):
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        override = num.find("w:lvlOverride", NS)
        assert override.get(w("ilvl")) == "2"
        assert override.find("w:startOverride", NS).get(w("val")) == "1"
    nested = docx.paragraphs("List (i)")
    assert nested and all(p.find("w:pPr/w:numPr/w:ilvl", NS).get(w("val")) == "3" for p in nested)


def test_table_has_repeating_header_and_total_row(fixture_docs: dict[str, Docx]) -> None:
    docx = fixture_docs["agreement.docx"]
    tables = docx.document.xpath(f"//w:tbl[w:tblPr/w:tblStyle/@w:val='{docx.style_id('Deal Table')}']", namespaces=NS)
    assert tables
    table = tables[0]
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    total = rows[-1]
    assert {p.find("w:pPr/w:pStyle", NS).get(w("val")) for p in total.iter(w("p"))} == {docx.style_id("Table Total")}
    assert "Total" in text(total.find(".//w:p", NS))
    assert table.find("w:tblPr/w:tblLook", NS).get(w("lastRow")) == "1"
    assert [text(p) for p in rows[1].iter(w("p"))][1] == "1,000,000"
    assert rows[1].findall(".//w:jc", NS)[0].get(w("val")) == "right"


def test_definitions_in_definition_style(fixture_docs: dict[str, Docx]) -> None:
    docx = fixture_docs["agreement.docx"]
    lines = [text(p) for p in docx.paragraphs("Definition")]
    assert lines[0] == "\u201cArising IP\u201d means all Intellectual Property first made under the Research Plan."
    assert lines[2] == "\u201cBusiness Day\u201d means a day on which banks are open in London."
    term = docx.paragraphs("Definition")[0].find("w:r/w:rPr/w:rStyle", NS)
    assert term.get(w("val")) == docx.style_id("Defined Term")


def test_blanks_render_as_the_blank_mark(fixture_docs: dict[str, Docx]) -> None:
    body = "".join(text(p) for p in fixture_docs["agreement.docx"].paragraphs())
    assert body.count("[\u25cf]") == 2


def test_cover_headers_and_footers(fixture_docs: dict[str, Docx]) -> None:
    docx = fixture_docs["agreement.docx"]
    cover = [text(p) for p in docx.paragraphs("Cover Parties")]
    # The legal names with the defined names, as on the PDF's cover; never a role code.
    assert cover == [
        "Nordhaven Pharmaceuticals AG (\u201cNordhaven\u201d)", "Helixa Bio Ltd (\u201cHelixa\u201d)",
        "University of Eastmere (\u201cEastmere\u201d)",
    ]
    lines = [text(p) for p in docx.paragraphs() if p.find("w:pPr/w:pStyle", NS).get(w("val")).startswith("Cover")]
    assert not any(re.search(r"\((Pharma|Partner|Academic)\)", line) for line in lines), lines
    assert [text(p) for p in docx.paragraphs("Cover Marking")] == ["DRAFT \u2014 Confidential"]
    assert "Draft 3" in lines
    headers = [docx.xml(n) for n in docx.parts if n.startswith("word/header")]
    assert headers and all("DRAFT \u2014 Confidential" in "".join(h.itertext()) for h in headers)
    footer_fields = [f.instruction for n in docx.parts if n.startswith("word/footer") for f in fields(docx.xml(n))]
    assert footer_fields == ["PAGE", "NUMPAGES"]
    assert docx.document.find("w:body/w:sectPr/w:titlePg", NS) is not None


def test_final_build_has_no_draft_marking() -> None:
    docx = Docx(write_docx(build(final=True))["agreement.docx"])
    assert not docx.paragraphs("Cover Marking")
    everything = b"".join(data for name, data in docx.parts.items() if name.startswith("word/"))
    assert b"DRAFT" not in everything
    assert docx.core("cp:contentStatus") == "Final"


def test_signature_blocks_per_party_only_when_asked(fixture_docs: dict[str, Docx]) -> None:
    parties = [text(p) for p in fixture_docs["agreement.docx"].paragraphs("Signature Party")]
    assert parties == ["Nordhaven Pharmaceuticals AG", "Helixa Bio Ltd", "University of Eastmere"]
    assert not fixture_docs["jsc-charter.docx"].paragraphs("Signature Party")


def test_body_uses_styles_not_direct_formatting(the_build: Build, written: dict[str, Docx]) -> None:
    for _doc, docx in documents(the_build, written):
        body = docx.document
        assert not body.xpath("//w:p[not(w:pPr/w:pStyle)]", namespaces=NS)
        for tag in ("rFonts", "sz", "color", "ind", "spacing"):
            assert not list(body.iter(w(tag))), tag


def test_notes_anchor_comments_on_their_clause(the_build: Build) -> None:
    written = {name: Docx(data) for name, data in write_docx(the_build, comments=True).items()}
    external = {name: Docx(data) for name, data in write_docx(replace(the_build, deal=replace(the_build.deal, external=True)),
                                                              comments=True).items()}
    for doc in the_build.documents:
        docx = written[f"{doc.id}.docx"]
        marks = bookmarks(docx.document)
        noted = [node for node in iter_anchored(doc) if node.notes.strip()]
        comments = docx.xml("word/comments.xml").findall("w:comment", NS) if noted else []
        assert len(comments) == len(noted)
        for node in noted:
            start = marks[node.bookmark].find("w:commentRangeStart", NS)
            assert start is not None, node.bookmark
        assert not list(external[f"{doc.id}.docx"].document.iter(w("commentRangeStart")))
        assert "word/comments.xml" not in external[f"{doc.id}.docx"].parts


def test_same_build_same_bytes(the_build: Build) -> None:
    assert write_docx(the_build, comments=True) == write_docx(the_build, comments=True)
