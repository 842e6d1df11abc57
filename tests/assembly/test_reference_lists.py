"""Lists of references to paragraphs of a schedule read as a drafter writes them:
"paragraphs 2, 4 to 6 and 9 of Schedule 3", the schedule named once."""

from __future__ import annotations

from assembler.assembly.reflist import Listed, ref_list_inlines
from assembler.assembly.tree import Ref, Text


def _section(number: str, order: int) -> Listed:
    article, index = number.split(".")
    return Listed(Ref(f"s{number}", "agreement", "section", "Section ", number, "", False), order, f"a{article}", int(index))


def _paragraph(number: int, schedule: int, order: int) -> Listed:
    ref = Ref(f"p{schedule}.{number}", "agreement", "schedule_section", "paragraph ", str(number), f" of Schedule {schedule}", False)
    return Listed(ref, order, f"schedule {schedule}", number)


def _text(inlines: tuple) -> str:
    return "".join(i.text if isinstance(i, Text) else f"{i.prefix}{i.number}{i.suffix}" for i in inlines)


def test_paragraphs_of_one_schedule_share_its_name_and_collapse_into_ranges() -> None:
    items = [_section("3.1", 1), *(_paragraph(n, 3, 10 + n) for n in (2, 4, 5, 6, 9))]
    inlines = ref_list_inlines(items, {})
    assert _text(inlines) == "Section 3.1 and paragraphs 2, 4 to 6 and 9 of Schedule 3"
    # each number stays its own reference, so each is a live link or REF field
    refs = [i for i in inlines if isinstance(i, Ref)]
    assert [r.number for r in refs] == ["3.1", "2", "4", "6", "9"]
    assert [r.suffix for r in refs] == ["", "", "", "", " of Schedule 3"]


def test_paragraphs_of_two_schedules_name_each_schedule() -> None:
    items = [_paragraph(1, 2, 1), _paragraph(4, 2, 2), _paragraph(7, 3, 3)]
    assert _text(ref_list_inlines(items, {})) == "paragraphs 1 and 4 of Schedule 2 and paragraph 7 of Schedule 3"


def test_a_single_paragraph_keeps_its_whole_reference() -> None:
    inlines = ref_list_inlines([_paragraph(21, 3, 1)], {})
    assert inlines == (Ref("p3.21", "agreement", "schedule_section", "paragraph ", "21", " of Schedule 3", False),)


def _article(number: int, order: int) -> Listed:
    return Listed(Ref(f"a{number}", "agreement", "article", "Article ", str(number), "", False), order)


def test_each_kind_is_a_list_of_its_own_and_the_last_kind_follows_a_comma() -> None:
    """"Sections 2.1 and 3.4, and Articles 8 and 12": never "Sections 2.1, 3.4, Articles 8 and 12",
    which reads as if the sections ran on into the articles."""
    items = [_section("2.1", 1), _section("3.4", 2), _article(8, 10), _article(12, 20)]
    assert _text(ref_list_inlines(items, {})) == "Sections 2.1 and 3.4, and Articles 8 and 12"
    items = [_section("2.1", 1), _section("3.4", 2), _article(8, 10), _paragraph(2, 3, 30), _paragraph(5, 3, 31)]
    assert _text(ref_list_inlines(items, {})) == "Sections 2.1 and 3.4, Article 8, and paragraphs 2 and 5 of Schedule 3"


def test_single_items_of_different_kinds_need_no_comma() -> None:
    assert _text(ref_list_inlines([_section("2.1", 1), _article(8, 10)], {})) == "Section 2.1 and Article 8"
