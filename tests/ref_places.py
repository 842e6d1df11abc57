"""References read back at their place in a PDF's text, against the number
printed at the heading they point to in that same PDF.

For every reference of a document (outside tables, whose cells wrap), the
words around it in its paragraph make a pattern with the reference's number
left open; the pattern is found in the PDF text in reading order, and the
number the PDF prints there must equal the number the PDF prints at the
target's heading (found by its title, in heading order). The numbers are
read from the output, never taken from the tree; the tree only says which
heading each reference points to and what words surround it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assembler.assembly.tree import (
    BLANK_MARK,
    Blank,
    Block,
    Document,
    Emphasis,
    Inline,
    ListBlock,
    Paragraph,
    Ref,
    Strong,
    Table,
    TermUse,
    Text,
)

CONTEXT = 40
"""Characters (not counting spaces) of the paragraph kept on each side."""


def normal(text: str) -> str:
    """Compatibility forms folded (ligatures), case folded, one space between words."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).casefold().strip()


def loose(text: str) -> str:
    """A pattern for ``text`` that allows a line break (a space, or none)
    between any two characters."""
    chars = [c for c in normal(text) if not c.isspace()]
    return r"\s?".join(re.escape(c) for c in chars)


def _sep(pattern: str) -> str:
    return pattern + r"\s?" if pattern else ""


# -- the headings a PDF prints ---------------------------------------------------

@dataclass(frozen=True)
class Printed:
    number: str
    """As printed at the heading: "7", "7.2", "2" (a schedule), "3" (its paragraph)."""
    schedule: str = ""
    """For a schedule paragraph, the number of its schedule."""


def printed_numbers(body: str, document: Document) -> dict[str, Printed]:
    """Target id → the number printed at its heading in ``body`` (normalised
    PDF text after the contents), reading the headings in order."""
    found: dict[str, Printed] = {}
    position = 0

    def heading(pattern: str, title: str, ids: set[str | None], schedule: str = "") -> str:
        nonlocal position
        match = re.compile(pattern + r"\s?" + loose(title)).search(body, position)
        assert match, f"{document.id}: heading {title!r} not found after position {position}"
        position = match.end()
        for target in ids - {None, ""}:
            found[str(target)] = Printed(match.group(1), schedule)
        return match.group(1)

    for article in document.articles:
        heading(r"(?:^|\s)(\d+)\.?", article.title, {article.id, article.clause_id})
        for section in article.sections:
            heading(r"(?:^|\s)(\d+\.\d+)\.?", section.title, {section.clause_id})
    for schedule in document.schedules:
        number = heading(r"schedule\s?(\d+)\s?[—–-]?", schedule.title, {schedule.id, schedule.clause_id})
        for section in schedule.sections:
            heading(r"(?:^|\s)(\d+)\.?", section.title, {section.clause_id}, schedule=number)
    return found


# -- the references of a document, with the words around them ---------------------------------

def _tokens(inlines: tuple[Inline, ...]) -> list[str | Ref]:
    out: list[str | Ref] = []
    for node in inlines:
        if isinstance(node, (Text, TermUse)):
            out.append(node.text)
        elif isinstance(node, (Emphasis, Strong)):
            out.extend(_tokens(node.children))
        elif isinstance(node, Ref):
            out.append(node)
        elif isinstance(node, Blank):
            out.append(BLANK_MARK)
    return out


def paragraphs_with_refs(document: Document) -> tuple[list[list[str | Ref]], int]:
    """Every paragraph (or definition) holding a reference, as text pieces and
    references in reading order; and how many references sit in tables."""
    found: list[list[str | Ref]] = []
    in_tables = 0

    def blocks(items: tuple[Block, ...]) -> None:
        nonlocal in_tables
        for block in items:
            if isinstance(block, Paragraph):
                inline(block.inlines)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    blocks(item.blocks)
            elif isinstance(block, Table):
                for row in (*block.header, *block.rows, *block.footer):
                    for cell in row:
                        in_tables += sum(isinstance(t, Ref) for t in _tokens(cell.inlines))

    def inline(inlines: tuple[Inline, ...]) -> None:
        tokens = _tokens(inlines)
        if any(isinstance(t, Ref) for t in tokens):
            found.append(tokens)

    for section in document.preamble:
        blocks(section.blocks)
    for part in (*document.articles, *document.schedules):
        blocks(part.blocks)
        for section in part.sections:
            blocks(section.blocks)
            for definition in section.definitions:
                inline(definition.inlines)
    return found, in_tables


def _ref_pattern(ref: Ref, name: str) -> str:
    """The reference with its number(s) as named groups: ``n<name>`` for the
    number, ``s<name>`` for the schedule of a schedule paragraph."""
    if ref.kind == "schedule":
        return _sep(loose("Schedule")) + rf"(?P<n{name}>\d+)" + r"\s?" + loose(ref.suffix)
    if ref.kind == "schedule_section":
        parts = re.fullmatch(r"( of Schedule )\d+(.*)", ref.suffix)
        assert parts, ref.suffix
        return (_sep(loose(ref.prefix)) + rf"(?P<n{name}>\d+)" + r"\s?" + _sep(loose(parts.group(1)))
                + rf"(?P<s{name}>\d+)" + (r"\s?" + loose(parts.group(2)) if parts.group(2) else ""))
    number = r"\d+\.\d+" if ref.kind == "section" else r"\d+"
    return _sep(loose(ref.prefix)) + rf"(?P<n{name}>{number})" + (r"\s?" + loose(ref.suffix) if ref.suffix else "")


def _window(tokens: list[str | Ref], index: int) -> tuple[str, list[tuple[str, Ref]]]:
    """The pattern for the reference at ``tokens[index]`` with up to CONTEXT
    characters of its paragraph on each side (other references inside the
    window are left open too); and the (group name, ref) pairs it holds."""
    refs: list[tuple[str, Ref]] = []

    def side(order: range) -> list[str]:
        parts: list[str] = []
        budget = CONTEXT
        for i in order:
            token = tokens[i]
            if budget <= 0:
                break
            if isinstance(token, Ref):
                parts.append(_ref_pattern(token, str(i)))
                refs.append((str(i), token))
                budget -= len(token.text.replace(" ", ""))
                continue
            chars = [c for c in normal(token) if not c.isspace()]
            take = chars[-budget:] if order.step < 0 else chars[:budget]
            budget -= len(take)
            parts.append(r"\s?".join(re.escape(c) for c in take))
        return parts

    left = [p for p in reversed(side(range(index - 1, -1, -1))) if p]
    right = [p for p in side(range(index + 1, len(tokens))) if p]
    me = tokens[index]
    assert isinstance(me, Ref)
    refs.append((str(index), me))
    return r"\s?".join([*left, _ref_pattern(me, str(index)), *right]), refs


@dataclass
class Checked:
    references: int
    in_tables: int


def check_references_in_place(
    bodies: dict[str, str], documents: dict[str, Document], printed: dict[str, dict[str, Printed]], doc_id: str
) -> Checked:
    """Assert that every reference of ``doc_id`` outside tables is printed at
    its place with the number its target's heading has in the same output
    (the target document's, for a reference to another document)."""
    body = bodies[doc_id]
    paragraphs, in_tables = paragraphs_with_refs(documents[doc_id])
    position = 0
    checked = 0
    for tokens in paragraphs:
        for index, token in enumerate(tokens):
            if not isinstance(token, Ref):
                continue
            pattern, refs = _window(tokens, index)
            match = re.compile(pattern).search(body, position)
            context = "".join(t if isinstance(t, str) else t.text for t in tokens)
            assert match, f"{doc_id}: reference {token.text!r} not found at its place: {context[:200]!r}"
            position = match.start()
            for name, ref in refs:
                target = printed[ref.document].get(ref.target)
                assert target is not None, f"{doc_id}: no heading printed for {ref.target} in {ref.document}"
                assert match.group(f"n{name}") == target.number, (
                    f"{doc_id}: {ref.text!r} prints {match.group(f'n{name}')} where its target "
                    f"{ref.target} is headed {target.number}: {context[:200]!r}"
                )
                if ref.kind == "schedule_section":
                    assert match.group(f"s{name}") == target.schedule, (doc_id, ref.text, target)
            checked += 1
    return Checked(checked, in_tables)
