"""The cover page's key-terms table, chosen by the document outline
(``cover.key_terms``): each value is written like clause text, with the
deal's values, helpers and references."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assembler.base.errors import Problem, RenderError

from .markdown import DialectError, parse_inlines
from .tree import Cell, Inline, Strong, Table, Text


def key_terms_table(work: Any, doc: Any, terms: dict[str, str]) -> Table:
    """The table of a planned document's key terms (label, value); ``work`` is
    the assembler of the build, ``terms`` collects the defined terms used."""
    cover = doc.spec.cover
    assert cover is not None
    library = work.library
    where = library.documents[doc.spec.id].path if doc.shared else library.deal_types[work.plan.deal.deal_type.id].path
    rows = []
    for index, row in enumerate(cover.key_terms):
        field = f"cover.key_terms[{index}].value"
        inlines: tuple[Inline, ...] = ()
        try:
            text = work.renderer.render((f"{doc.spec.id}.cover", field), row.value, work.context)
            inlines = work._inlines(parse_inlines(text), doc.spec.id, f"{doc.spec.id}.cover", terms)
        except RenderError as exc:
            work.problems.extend(replace(p, path=where, clause="", field=f"documents.{doc.spec.id}.{field}") for p in exc.problems)
        except DialectError as exc:
            work.problems.append(Problem(str(exc), where, field=f"documents.{doc.spec.id}.{field}"))
        rows.append((Cell((Strong((Text(row.label),)),)), Cell(inlines)))
    return Table((), tuple(rows))
