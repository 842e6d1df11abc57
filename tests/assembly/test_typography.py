"""The typographic pass: quotes, ties and dashes, decided once on the tree."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURE_ARGS, FIXTURE_DEAL, run

from assembler.assembly.tree import (
    Article,
    Blank,
    Build,
    Cell,
    DealInfo,
    Definition,
    Document,
    Emphasis,
    Footnote,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    PartyInfo,
    Ref,
    Schedule,
    Section,
    Strong,
    Table,
    TermUse,
    Text,
    TocEntry,
)
from assembler.assembly.tree_text import node_to_dict
from assembler.assembly.typography import NBSP, range_dashes, smart_quotes, tie_spaces, typeset, typeset_build


@pytest.mark.parametrize(("before", "after"), [
    ('"Nordhaven"', "\u201cNordhaven\u201d"),
    ("(\"Helixa\")", "(\u201cHelixa\u201d)"),
    ("the Party's rights", "the Party\u2019s rights"),
    ("the Parties' rights", "the Parties\u2019 rights"),
    ("('Licensor')", "(\u2018Licensor\u2019)"),
    ('"Controls" and "Controlled"', "\u201cControls\u201d and \u201cControlled\u201d"),
    ("no quotes at all", "no quotes at all"),
])
def test_smart_quotes(before: str, after: str) -> None:
    assert smart_quotes(before) == after


def test_a_quote_opens_or_closes_by_the_character_before_it_in_another_run() -> None:
    assert smart_quotes('"', before="(") == "\u201c"
    assert smart_quotes('")', before="d") == "\u201d)"


@pytest.mark.parametrize(("before", "after"), [
    ("under Section 7.2", f"under Section{NBSP}7.2"),
    ("Sections 7.2 and 7.3", f"Sections{NBSP}7.2 and 7.3"),
    ("in Schedule 2 (Milestones)", f"in Schedule{NBSP}2 (Milestones)"),
    ("paragraph 3 of Article 4", f"paragraph{NBSP}3 of Article{NBSP}4"),
    ("USD 5,000,000 and EUR 12.50", f"USD{NBSP}5,000,000 and EUR{NBSP}12.50"),
    ("the Section headings", "the Section headings"),
    ("USD amounts", "USD amounts"),
])
def test_tie_spaces(before: str, after: str) -> None:
    assert tie_spaces(before) == after


@pytest.mark.parametrize(("before", "after"), [
    ("in 2027-2029", "in 2027\u20132029"),
    ("within 10-20 days", "within 10\u201320 days"),
    ("dated 2026-11-23", "dated 2026-11-23"),
    ("lot ABC-12", "lot ABC-12"),
    ("from 20-10", "from 20-10"),
    ("CB1 2JH, 4058-1", "CB1 2JH, 4058-1"),
    ("pages 1-2-3", "pages 1-2-3"),
    ("version 1.5-2", "version 1.5-2"),
])
def test_range_dashes(before: str, after: str) -> None:
    assert range_dashes(before) == after


def test_typeset_does_all_three() -> None:
    assert typeset('"Fees" of USD 10 for 2027-2028 under Section 4') == (
        f"\u201cFees\u201d of USD{NBSP}10 for 2027\u20132028 under Section{NBSP}4"
    )


def test_the_build_is_typeset_and_the_lock_holds_the_typeset_text(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", str(FIXTURE_DEAL), "-o", str(out), "--format", "md,json", *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    lock = json.loads((out / "deal.lock.json").read_text("utf-8"))
    markdown = (out / "agreement.md").read_text("utf-8").replace("*", "")
    texts = [clause["text"] for clause in lock["clauses"] if clause["document"] == "agreement"]
    assert any(f"Section{NBSP}" in text for text in texts)
    for text in texts:
        assert '"' not in text and "'" not in text
        for line in text.splitlines()[1:]:
            assert line.strip() in markdown, line  # the lock's text is the document's text
    tree = json.loads((out / "build.json").read_text("utf-8"))
    parties = tree["deal"]["parties"]
    assert all('"' not in party["legal_name"] for party in parties)


def test_typeset_build_keeps_identifiers_and_ties_references() -> None:
    from docx_fixtures import build

    original = build()
    document = original.documents[0]
    article = document.articles[1]
    section = article.sections[0]
    quoted = Paragraph((Text('See "'), TermUse("Arising IP", "Arising IP"), Text('" in '),
                        Ref("ip.x", "agreement", "section", "Section ", "7.2", "", False), Text(".")))
    article = replace(article, sections=(replace(section, blocks=(quoted,)), *article.sections[1:]))
    document = replace(document, articles=(document.articles[0], article, *document.articles[2:]))
    typeset_doc = typeset_build(replace(original, documents=(document,))).documents[0]
    paragraph = typeset_doc.articles[1].sections[0].blocks[0]
    assert isinstance(paragraph, Paragraph)
    first, term, closing, ref, _ = paragraph.inlines
    assert (first, closing) == (Text("See \u201c"), Text("\u201d in "))  # the quotes around a term open and close
    assert term == TermUse("Arising IP", "Arising IP")
    assert isinstance(ref, Ref) and ref.prefix == f"Section{NBSP}" and ref.target == "ip.x" and ref.number == "7.2"
    assert typeset_doc.articles[1].sections[0].clause_id == section.clause_id


# Fields that name things rather than show text: the pass leaves them as they are.
_IDENTIFIERS = {"t", "id", "clause_id", "bookmark", "anchor", "target", "document", "url", "kind", "role", "stance",
                "deal_type", "date", "governing_law", "draft_version", "version", "position", "variable"}


def _every_node_with_straight_quotes():  # type: ignore[no-untyped-def]
    """A build holding every node type of ``tree.py``, every text with a straight quote in it."""
    q = "the Party's \"Notice\""
    inlines = (Text(q), Emphasis((Text(q),)), Strong((Text(q),)), TermUse("Customer's Data", "Customer's Data"),
               Ref("a.b", "agreement", "section", "Section ", "7.2", " of the Parties' Agreement", False, (("(b)", "a_b_late"),)),
               Blank("fee"), Link("https://example.com/x'y", (Text(q),)), Footnote((Text(q),)))
    cell = Cell(inlines, "right")
    table = Table(((cell,),), ((cell,),), ((cell,),))
    items = (ListItem("(a)", (Paragraph(inlines), table), "late", "a_b_late"),)
    section = Section("a.b", "7.2", q, (Paragraph(inlines), ListBlock(True, 1, items), table), "1.0.0", "balanced", q,
                      (Definition("Customer's Data", inlines, "a.b", ("Customer's Files",), "has the 'meaning'"),), "a_b")
    article = Article("art", "7", q, (section,), (Paragraph(inlines),), "a.c", "1.0.0", "balanced", q, "art_7")
    schedule = Schedule("sch", "1", q, (section,), (table,), "a.d", "1.0.0", "balanced", q, "sch_1")
    document = Document("agreement", q, "agreement", "the Agreement", (section,), (article,), (schedule,), True,
                        (TocEntry(1, "7", q, "art_7"),), table, q)
    party = PartyInfo("pharma", q, q, q, q, q, q, q)
    deal = DealInfo("research_collaboration", q, "balanced", (party,), "2026-11-23", q, "england_wales", "3", q,
                    signing_lead_in=q)
    return Build(deal, (document,))


def _strings(data, path=""):  # type: ignore[no-untyped-def]
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _IDENTIFIERS or (data.get("t") == "TermUse" and key == "term"):
                continue
            yield from _strings(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{path}[{index}]")
    elif isinstance(data, str):
        yield path, data


def test_every_text_of_every_node_type_is_typeset() -> None:
    before = list(_strings(node_to_dict(_every_node_with_straight_quotes())))
    after = list(_strings(node_to_dict(typeset_build(_every_node_with_straight_quotes()))))
    quoted = {path for path, text in before if '"' in text or "'" in text}
    assert len(quoted) > 60  # the walk reaches every text of the tree
    assert [path for path, text in after if '"' in text or "'" in text] == []


def test_identifiers_keep_their_form() -> None:
    original = _every_node_with_straight_quotes()
    document = typeset_build(original).documents[0]
    section = document.preamble[0]
    paragraph = section.blocks[0]
    assert isinstance(paragraph, Paragraph)
    term, ref, link = paragraph.inlines[3], paragraph.inlines[4], paragraph.inlines[6]
    # the term stays the library's name, term("Customer's Data"): what is shown is typeset
    assert term == TermUse("Customer's Data", "Customer\u2019s Data")
    assert isinstance(ref, Ref) and (ref.target, ref.items) == ("a.b", (("(b)", "a_b_late"),))
    assert ref.text == f"Section{NBSP}7.2(b) of the Parties\u2019 Agreement"
    assert isinstance(link, Link) and link.url == "https://example.com/x'y"
    [definition] = section.definitions
    assert definition == Definition("Customer\u2019s Data", definition.inlines, "a.b", ("Customer\u2019s Files",), "has the \u2018meaning\u2019")
    listed = section.blocks[1]
    assert isinstance(listed, ListBlock) and (listed.items[0].anchor, listed.items[0].bookmark) == ("late", "a_b_late")
    assert document.key_terms is not None and document.key_terms.rows[0][0].align == "right"
    assert document.key_terms_heading == "the Party\u2019s \u201cNotice\u201d"


def test_an_address_shown_as_itself_is_not_typeset() -> None:
    address = Link("https://example.com/rates?years=2020-2024&name=o'brien", (Text("https://example.com/rates?years=2020-2024&name=o'brien"),))
    mail = Link("mailto:o'brien@example.com", (Text("o'brien@example.com"),))
    worded = Link("https://example.com", (Text("the Bank's rates for 2020-2024"),))
    original = _every_node_with_straight_quotes()
    document = original.documents[0]
    section = replace(document.preamble[0], blocks=(Paragraph((Text("See "), address, Text(", "), mail, Text(" and "), worded, Text("."))),))
    typeset_doc = typeset_build(replace(original, documents=(replace(document, preamble=(section,)),))).documents[0]
    paragraph = typeset_doc.preamble[0].blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.inlines[1] == address and paragraph.inlines[3] == mail
    assert paragraph.inlines[5] == Link("https://example.com", (Text("the Bank\u2019s rates for 2020\u20132024"),))
