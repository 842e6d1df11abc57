"""A deal's own outline: clauses its ``overrides`` move, and clauses of this
deal only that they add (what the Parties negotiated beyond the playbook).

The deal type's documents are copied with each placed clause taken out of
its article and put after (or before) the clause it names, or into a new
article; a clause of this deal only becomes a library clause for this build
(its text comes from the override, rendered like any clause text). Without
placed overrides the deal and library are returned as they are.
"""

from __future__ import annotations

from dataclasses import replace

from assembler.deal.load import Deal
from assembler.deal.schema import ClauseOverride
from assembler.library.deal_type_schema import ArticleSpec, DocumentSpec, DocumentUse, OutlineClause
from assembler.library.model import Clause, Library
from assembler.library.schema import ClauseSpec, PositionSpec

DEAL_CLAUSE_VERSION = "1.0.0"


def _id(entry: str | OutlineClause) -> str:
    return entry.id if isinstance(entry, OutlineClause) else entry


def _take(articles: list[ArticleSpec], clause_id: str) -> tuple[list[ArticleSpec], str | OutlineClause | None]:
    taken: str | OutlineClause | None = None
    out = []
    for article in articles:
        kept = [e for e in article.clauses if _id(e) != clause_id]
        if len(kept) != len(article.clauses):
            taken = next(e for e in article.clauses if _id(e) == clause_id)
            article = article.model_copy(update={"clauses": kept})
        out.append(article)
    return out, taken


def _put(articles: list[ArticleSpec], entry: str | OutlineClause, override: ClauseOverride) -> list[ArticleSpec] | None:
    """The articles with ``entry`` placed as ``override`` says; None when the
    clause it names is not in these articles."""
    anchor = override.after or override.before or ""
    for index, article in enumerate(articles):
        ids = [_id(e) for e in article.clauses]
        if anchor not in ids and article.clause != anchor:
            continue
        if override.article:
            new = ArticleSpec.model_construct(title=override.article, clauses=[entry], clause=None, definitions=False, when=None, id=None)
            at = index + 1 if override.after else index
            return [*articles[:at], new, *articles[at:]]
        if article.clause == anchor:  # next to an article-level clause: an article of its own
            return None
        at = ids.index(anchor) + (1 if override.after else 0)
        clauses = [*article.clauses[:at], entry, *article.clauses[at:]]
        return [*articles[:index], article.model_copy(update={"clauses": clauses}), *articles[index + 1 :]]
    return None


def _place(spec: DocumentSpec, placed: dict[str, ClauseOverride]) -> DocumentSpec:
    articles = list(spec.articles)
    for clause_id, override in placed.items():
        trial, entry = _take(articles, clause_id)
        # an article left empty is gone (the plan drops it anyway), so that an
        # article a placing opened is not opened twice when placing twice
        trial = [a for a in trial if a.clauses or a.clause or a.definitions]
        entry = entry if entry is not None else clause_id
        moved = _put(trial, entry, override)
        if moved is not None:
            articles = moved
    return spec.model_copy(update={"articles": articles})


def _deal_clause(clause_id: str, override: ClauseOverride, path: str) -> Clause:
    position = PositionSpec.model_construct(text=override.text or "", rationale="agreed in negotiation", defaults={},
                                            favours=None, relies_on=[], provides=[])
    spec = ClauseSpec.model_construct(
        id=clause_id, title=override.title or clause_id, summary="A clause of this deal only.", version=DEAL_CLAUSE_VERSION,
        deal_types="all", variables={}, defines={}, requires=[], excludes=[], when=None, notes="", provides=[], relies_on=[],
        survives=False, starts=None, positions={"balanced": position},
    )
    return Clause(spec, path, 0)


def with_deal_outline(deal: Deal, library: Library) -> tuple[Deal, Library]:
    """The deal and library a build uses: the deal type's outline with this
    deal's moved and added clauses in place."""
    placed = {k: o for k, o in deal.spec.overrides.items() if o.after or o.before}
    if not placed:
        return deal, library
    clauses = dict(library.clauses)
    for clause_id, override in placed.items():
        if clause_id not in clauses:
            clauses[clause_id] = _deal_clause(clause_id, override, deal.path)
    documents: list[DocumentSpec | DocumentUse] = []
    for entry in deal.deal_type.documents:
        spec = library.document_spec(entry)
        if isinstance(entry, DocumentUse) and entry.when:
            spec = spec.model_copy(update={"when": entry.when})
        documents.append(_place(spec, placed))
    deal_type = deal.deal_type.model_copy(update={"documents": documents})
    return replace(deal, deal_type=deal_type), replace(library, clauses=clauses)
