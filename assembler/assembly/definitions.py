"""Defined terms as drafters write them: aliases, terms defined in running
text, terms local to one clause, terms kept in the list although no text
uses them, and where the list goes.

The style (``verb``, ``inline_verb``, ``placement``) comes from the deal type
(``definitions:``), else from the library's ``conventions.yaml``, else the
built-in one: "means", as the first section of the article marked
``definitions: true``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assembler.base.errors import Problem, RenderError
from assembler.library.conventions import ConventionsSpec, DefinitionsStyle
from assembler.library.deal_type_schema import DealTypeSpec
from assembler.library.declarations import DefinitionSpec, definition_of
from assembler.library.schema import ClauseSpec

from .markdown import DialectError, parse_inlines
from .tree import Definition, Inline, Paragraph, Strong, Text


def definitions_style(deal_type: DealTypeSpec, conventions: ConventionsSpec) -> DefinitionsStyle:
    """The deal type's definitions style, else the library's."""
    return deal_type.definitions or conventions.definitions


def entries(spec: ClauseSpec) -> dict[str, DefinitionSpec]:
    """A clause's defined terms in their long form."""
    return {term: definition_of(entry) for term, entry in spec.defines.items()}


def local_lead(term: str, verb: str, self_ref: str, text: str) -> str:
    """Markdown of the sentence that opens a clause defining a term for
    itself: "In this Section 5.2, “Losses” means …." (``self_ref`` is the
    reference marker to the clause, ``text`` the rendered definition)."""
    body = text.strip().rstrip(".;:")
    return f"In this {self_ref}, \u201c**{term}**\u201d {verb} {body}.\n\n"


def definition_paragraph(definition: Definition) -> Paragraph:
    """A definition as a paragraph of its own (a definitions article or schedule)."""
    inlines: list[Inline] = [Text("\u201c"), Strong((Text(definition.term),)), Text("\u201d")]
    for alias in definition.aliases:
        inlines += [Text(" or \u201c"), Strong((Text(alias),)), Text("\u201d")]
    inlines.append(Text(f" {definition.verb} "))
    return Paragraph((*inlines, *definition.inlines))


def collect_definitions(work: Any, used: dict[str, str], doc_id: str, kept: dict[str, str]) -> tuple[Definition, ...]:
    """The definitions list of one document: every term its text uses (``used``:
    term → the clause that uses it) and every kept term (``kept``), with the
    terms their definitions use in turn, alphabetical. ``work`` is the
    assembler of the build (its renderer, context, references and problems)."""
    done: dict[str, Definition] = {}
    pending = {**kept, **used}
    while pending:
        name, source = pending.popitem()
        owner = work.defined.get(name)
        if owner is None:
            continue  # reported by check_terms
        term = work.main.get(name, name)
        if term in done:
            continue
        clause = work.library.clauses[owner]
        entry = entries(clause.spec)[term]
        if entry.local:
            if source != owner:
                work.problems.append(Problem(f"term('{name}') is defined only for clause {owner} (local: true)", clause=source, field="term"))
            continue
        if entry.inline:
            ref = work.resolve(owner, doc_id, owner)
            if ref is not None:
                done[term] = Definition(term, (ref, Text(".")), owner, tuple(entry.aliases), work.style.inline_verb)
            continue
        field = f"defines.{term}"
        work.build_helpers.current = owner  # helpers that depend on the clause (refs(), surviving())
        try:
            inlines = parse_inlines(work.renderer.render((owner, field), entry.means or "", work.context))
        except RenderError as exc:
            work.problems.extend(replace(p, path=clause.path, line=clause.line) for p in exc.problems)
            continue
        except DialectError as exc:
            work.problems.append(Problem(str(exc), clause.path, clause.line, owner, field))
            continue
        nested: dict[str, str] = {}
        inlines = _full_stop(work._inlines(inlines, doc_id, owner, nested))
        done[term] = Definition(term, inlines, owner, tuple(entry.aliases), work.style.verb)
        for other, src in nested.items():
            if other not in done:
                pending.setdefault(other, src)
                used.setdefault(other, src)
    return tuple(sorted(done.values(), key=lambda d: (d.term.casefold(), d.term)))


def _full_stop(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """End a definition with a full stop unless it ends with punctuation."""
    if inlines and isinstance(inlines[-1], Text):
        text = inlines[-1].text.rstrip()
        if text.endswith((".", ";", ":")):
            return (*inlines[:-1], Text(text.rstrip(";:") + "." if not text.endswith(".") else text))
        return (*inlines[:-1], Text(text + "."))
    return (*inlines, Text("."))
