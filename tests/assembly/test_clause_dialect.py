"""Clause text outside the dialect is a lint error naming the clause and the
construct; footnotes and links are part of the dialect and reach the draft."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_LIBRARY, run

from assembler.assembly.dialect import dialect_problems
from assembler.assembly.markdown import DialectError, parse_blocks
from assembler.assembly.tree import Footnote, Link, Paragraph
from assembler.assembly.tree_text import inline_text

CASES = [
    ("# Heading\n\nText.", "a heading (#)"),
    ("> quoted", "a block quote (>)"),
    ("Text.\n\n---\n\nMore.", "a horizontal rule"),
    ("Text.\n\n    indented code", "a code block"),
    ("Text with `code`.", "code (`code`): the backticks would be dropped"),
    ("Text with <br> inside.", "raw HTML (<br>)"),
    ("See ![plan](plan.png).", "an image"),
    ("See <https://example.com>.", "an autolink (<https://example.com>): write [text](https://example.com)"),
    ("See [it](ftp://example.com/x).", "a link to 'ftp://example.com/x'"),
    ("See [it][site].\n\n[site]: https://example.com", "a reference-style link definition ([SITE]: …)"),
    ("A note[^n] without text.", "footnote [^n] has no text"),
    ("A line  \nbroken.", "a forced line break"),
]


@pytest.mark.parametrize(("text", "construct"), CASES)
def test_each_construct_is_named(text: str, construct: str) -> None:
    problems = dialect_problems(text)
    assert len(problems) == 1 and construct in problems[0], problems


def test_the_dialect_itself_passes() -> None:
    text = (
        "{{ party('pharma') }} shall pay {{ money(x) }}[^a] under [the terms](https://example.com/t?a=1) "
        "and *see* **this**.\n\n1. first;\n2. second.\n\n- bullet\n\n| a | b |\n|---|--:|\n| {{ x }} | y |\n\n"
        "[^a]: A note with a [link](mailto:legal@example.com).\n"
    )
    assert dialect_problems(text) == []


def test_lint_names_clause_and_construct(tmp_path: Path) -> None:
    root = tmp_path / "house"
    shutil.copytree(FIXTURE_LIBRARY, root)
    path = root / "fx" / "clauses.yaml"
    text = path.read_text("utf-8")
    old = "Headings do not affect interpretation."
    assert old in text
    path.write_text(text.replace(old, "Headings (see `code`) do not affect interpretation.", 1), "utf-8")
    result = run("lint", "--no-builtin", "--library", str(root))
    lines = [line for line in result.stdout.splitlines() if "not part of clause text" in line]
    assert lines == [
        f"error: {path}:19: clause fx.interpretation: positions.balanced.text: not part of clause text: "
        "code (`code`): the backticks would be dropped"
    ]


def test_footnotes_and_links_become_nodes() -> None:
    blocks = parse_blocks("Pay the fee[^f] as [published](https://example.com/fees).\n\n[^f]: Net of tax.\n")
    para = blocks[0]
    assert isinstance(para, Paragraph)
    kinds = [type(node).__name__ for node in para.inlines]
    assert kinds == ["Text", "Footnote", "Text", "Link", "Text"]
    footnote, link = para.inlines[1], para.inlines[3]
    assert isinstance(footnote, Footnote) and inline_text(footnote.children) == "Net of tax."
    assert isinstance(link, Link) and link.url == "https://example.com/fees" and inline_text(link.children) == "published"
    # the address and the note are part of the clause's text (lock, diff)
    assert inline_text(para.inlines) == "Pay the fee[^Net of tax.] as published <https://example.com/fees>."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[x](ftp://example.com)", "a link must go to an https://, http:// or mailto: address, not 'ftp://example.com'"),
        ("A[^a] and B[^a].\n\n[^a]: Once.", "a footnote can be referred to only once"),
        ("A[^a].\n\n[^a]: One\n\n    Two", "a footnote is one paragraph of text"),
    ],
)
def test_build_refuses_what_it_cannot_lay_out(text: str, message: str) -> None:
    with pytest.raises(DialectError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        parse_blocks(text)


def test_a_script_link_stays_literal_text() -> None:
    blocks = parse_blocks("[x](javascript:alert(1))")
    assert inline_text(blocks[0].inlines) == "[x](javascript:alert(1))"  # type: ignore[union-attr]
