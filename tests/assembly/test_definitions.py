"""The definitions section: every term the document uses (in its clauses or
inside another definition) is defined once, no other term is, and the list is
alphabetical, as the Markdown shows it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT
from known_findings import build_tolerating_known

from assembler.assembly.tree import Block, Build, Document, Emphasis, Inline, ListBlock, Paragraph, Strong, Table, TermUse
from assembler.writers.markdown import write_markdown

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DEFINITION_LINE = re.compile(r"^“\*\*(.+?)\*\*” means ")


@cache
def built(example: Path) -> Build:
    return build_tolerating_known(example)  # shipped findings set aside: tests/known_findings.yaml


def _terms(inlines: tuple[Inline, ...]) -> set[str]:
    found: set[str] = set()
    for node in inlines:
        if isinstance(node, TermUse):
            found.add(node.term)
        elif isinstance(node, (Emphasis, Strong)):
            found |= _terms(node.children)
    return found


def _block_terms(blocks: tuple[Block, ...]) -> set[str]:
    found: set[str] = set()
    for block in blocks:
        if isinstance(block, Paragraph):
            found |= _terms(block.inlines)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found |= _block_terms(item.blocks)
        elif isinstance(block, Table):
            for row in (*block.header, *block.rows, *block.footer):
                for cell in row:
                    found |= _terms(cell.inlines)
    return found


def used_terms(document: Document, *, in_definitions: bool = True) -> set[str]:
    """Every term a clause text (or a definition) of the document uses."""
    found: set[str] = set()
    for section in document.preamble:
        found |= _block_terms(section.blocks)
    for part in (*document.articles, *document.schedules):
        found |= _block_terms(part.blocks)
        for section in part.sections:
            found |= _block_terms(section.blocks)
            for definition in section.definitions if in_definitions else ():
                found |= _terms(definition.inlines)
    return found


def defined_terms(document: Document) -> list[str]:
    return [d.term for a in document.articles for s in a.sections for d in s.definitions]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_exactly_the_used_terms_are_defined(example: Path) -> None:
    the_build = built(example)
    with_definitions = [d for d in the_build.documents if defined_terms(d)]
    assert with_definitions, "every example's agreement has a definitions section"
    for document in with_definitions:
        defined = defined_terms(document)
        assert len(defined) == len(set(defined)), document.id
        assert set(defined) == used_terms(document), document.id


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_definitions_read_alphabetically_in_the_markdown(example: Path) -> None:
    the_build = built(example)
    markdown = write_markdown(the_build)
    for document in the_build.documents:
        lines = markdown[f"{document.id}.md"].decode("utf-8").splitlines()
        terms = [m.group(1).replace("\\", "") for line in lines if (m := DEFINITION_LINE.match(line))]
        assert terms == defined_terms(document), document.id
        assert terms == sorted(terms, key=lambda t: (t.casefold(), t)), document.id


def test_a_term_used_only_inside_a_definition_is_defined() -> None:
    """At least one example has a term that only a definition uses, so the
    first test holds the nested case too."""
    nested = 0
    for example in EXAMPLES:
        for document in built(example).documents:
            nested += len(used_terms(document) - used_terms(document, in_definitions=False))
    assert nested > 0
