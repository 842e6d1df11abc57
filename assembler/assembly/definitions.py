"""Defined terms as drafters write them: aliases, terms defined in running
text, terms local to one clause, terms kept in the list although no text
uses them, and where the list goes.

The style (``verb``, ``inline_verb``, ``placement``) comes from the deal type
(``definitions:``), else from the library's ``conventions.yaml``, else the
built-in one: "means", as the first section of the article marked
``definitions: true``.
"""

from __future__ import annotations

from assembler.library.conventions import ConventionsSpec, DefinitionsStyle
from assembler.library.declarations import DefinitionSpec, definition_of
from assembler.library.schema import ClauseSpec, DealTypeSpec

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
