"""Mapping a returned DOCX onto our clauses, on the fixture library: what is
an edit and what is not (typography, renumbered references, typed heading
numbers, lost bookmarks, tracked deletions), read from edited XML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURE_DEAL, FIXTURE_LIBRARY
from docx_edit import edit_docx, tracked_insertion, without_bookmarks

from assembler.api import build_deal
from assembler.library import load as library_module
from assembler.review.negotiation.copies import map_docx
from assembler.review.negotiation.textnorm import Span, mask_theirs, strip_heading_number, strip_label, typography
from assembler.writers.docx import write_docx


@pytest.fixture(scope="module")
def library() -> library_module.Library:
    return library_module.require_valid(library_module.load_library([FIXTURE_LIBRARY], builtin=False))


@pytest.fixture(scope="module")
def ours(library: library_module.Library):  # type: ignore[no-untyped-def]
    build = build_deal(FIXTURE_DEAL, library)
    return build, write_docx(build)["agreement.docx"]


def _map(ours, tmp_path: Path, edit) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    build, data = ours
    mapping = map_docx(edit_docx(data, tmp_path / "theirs.docx", edit), build)
    return [(c.kind, c.clause or c.where) for c in mapping.changes]


def test_typography_is_no_edit() -> None:
    assert typography("the Party\u2019s \u201cNotice\u201d\u00a0period") == typography("the Party's \"Notice\" period")
    assert typography("non\u2011exclusive\u00ad") == "non-exclusive"
    assert strip_heading_number("7.4 Joint IP") == "Joint IP" and strip_heading_number("Article 3 Scope") == "Scope"
    assert strip_label("(c) any other disclosure") == "any other disclosure"


def test_typed_reference_is_masked_only_where_ours_points_the_same_way() -> None:
    def resolve(word: str, number: str, tail: str | None) -> str | None:
        return {("Section", "4.1"): "fx_pub_review", ("Article", "28"): "art_28"}.get((word, number))

    assert mask_theirs("as in Section 4.1.", [], resolve, {"fx_pub_review"}) == "as in Section \u27e6fx_pub_review\u27e7."
    assert mask_theirs("under Article 28 of the GDPR", [], resolve, {"fx_pub_review"}) == "under Article 28 of the GDPR"
    field = Span(14, 17, "fx_pub_review")
    assert mask_theirs("as in Section 9.9.", [field], resolve, set()) == "as in Section \u27e6fx_pub_review\u27e7."


def test_an_untouched_copy_maps_clean(ours, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert _map(ours, tmp_path, lambda xml: xml) == []


def test_quotes_spaces_and_a_typed_heading_number_are_not_edits(ours, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def edit(xml: str) -> str:
        xml = xml.replace('("Nordhaven")', "(\u201cNordhaven\u201d)", 1).replace("sixty (60) days", "sixty\u00a0(60)\u00a0days", 1)
        return re.sub(r'(w:name="fx_scope_plan"/>.{0,80}?<w:t>)Research Plan', r"\g<1>2.2 Research Plan", xml, count=1, flags=re.S)

    build, data = ours
    mapping = map_docx(edit_docx(data, tmp_path / "theirs.docx", edit), build)
    assert mapping.changes == []
    assert mapping.formatting == 1  # the typed number; quotes and spaces are a typographic pass, not even formatting


def test_a_renumbered_reference_field_is_no_edit_but_a_retyped_one_is(ours, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a field update after renumbering: the REF field still names fx_pub_review
    renumbered = r"\1<w:t>4.1</w:t>"
    assert _map(ours, tmp_path, lambda xml: re.sub(r'(REF fx_pub_review .{0,200}?separate"/></w:r><w:r>)<w:t>3.1</w:t>', renumbered, xml, count=1, flags=re.S)) == []
    # the same number typed as text where the field was, pointing elsewhere: Section 2.2 is the Research Plan
    typed = re.compile(r'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF fx_pub_review .{0,300}?<w:fldChar w:fldCharType="end"/></w:r>', re.S)
    assert _map(ours, tmp_path, lambda xml: typed.sub("<w:r><w:t>2.2</w:t></w:r>", xml, count=1)) == [("edited", "fx.scope.purpose")]
    assert _map(ours, tmp_path, lambda xml: typed.sub("<w:r><w:t>3.1</w:t></w:r>", xml, count=1)) == []


def test_tracked_and_untracked_edits_and_lost_bookmarks(ours, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def edit(xml: str) -> str:
        xml = xml.replace("sixty (60) days", "forty-five (45) days", 1)
        return tracked_insertion(xml, "The plan runs for twenty-four (24) months. The Parties may extend it by agreement.", " Extensions need writing.")

    expected = [("edited", "fx.scope.plan"), ("edited", "fx.pub.review")]
    assert _map(ours, tmp_path, edit) == expected
    assert _map(ours, tmp_path, lambda xml: without_bookmarks(edit(xml))) == expected
    build, data = ours
    mapping = map_docx(edit_docx(data, tmp_path / "t.docx", edit), build)
    assert [c.tracked for c in mapping.changes] == [True, False]


def test_a_tracked_deletion_of_a_whole_clause_is_a_removal(ours, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def edit(xml: str) -> str:
        # heading and body of 2.1 deleted as tracked changes: runs in w:del, paragraph marks deleted
        start = xml.index('w:name="fx_scope_purpose"')
        start = xml.rindex("<w:p>", 0, start)
        end = xml.index("<w:p>", xml.index("Publications follow"))
        part = xml[start:end]
        part = re.sub(r"<w:r>(<w:rPr>.*?</w:rPr>)?<w:t([^>]*)>([^<]*)</w:t></w:r>", r'<w:del w:id="7" w:author="C"><w:r>\1<w:delText\2>\3</w:delText></w:r></w:del>', part)
        part = part.replace("<w:pPr>", '<w:pPr><w:rPr><w:del w:id="8" w:author="C"/></w:rPr>', 2)
        return xml[:start] + part + xml[end:]

    build, data = ours
    mapping = map_docx(edit_docx(data, tmp_path / "theirs.docx", edit), build)
    assert [(c.kind, c.clause, c.tracked) for c in mapping.changes] == [("removed", "fx.scope.purpose", True)]


def test_a_table_cell_is_compared_alone(ours, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build, data = ours
    mapping = map_docx(edit_docx(data, tmp_path / "theirs.docx", lambda xml: xml.replace("Lead series", "Lead candidate", 1)), build)
    assert [(c.kind, c.clause) for c in mapping.changes] == [("edited", "fx.sched.milestones")]
    assert mapping.changes[0].cells == ["Lead series: Milestone: Lead series \u2192 Lead candidate"]
