"""Stage 4: render the planned clauses and build the numbered tree.

Numbering, reference text, definitions lists, bookmarks and the table of
contents are all decided here, once, so every writer shows the same numbers
(the numbering and the references themselves: ``resolve.py``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assembler.base.errors import OutputError, Problem, RenderError
from assembler.library.model import Library
from assembler.library.values import Record

from .bookmarks import bookmark_name
from .build_helpers import BUILD_HELPERS, BuildHelpers
from .build_info import collect_blanks, deal_info
from .cover import key_terms_table
from .definitions import collect_definitions, definition_paragraph, entries, local_lead
from .lockfile import DEFINITIONS_ID, make_lock
from .markdown import DialectError, parse_blocks
from .options import BuildOptions
from .plan import Plan, PlannedClause, PlannedDocument, PlannedPart, condition_context
from .render import Helpers, Renderer
from .resolve import References, slug
from .sandbox import escape_markdown
from .tree import (
    Article,
    Block,
    Build,
    Definition,
    Document,
    Schedule,
    Section,
    Table,
    TocEntry,
)
from .typography import typeset_build


def _party_records(plan: Plan) -> list[Record]:
    return [
        Record(role=p.role, legal_name=p.legal_name, short_name=p.short_name, entity_type=p.entity_type, address=p.address)
        for p in plan.deal.spec.parties
    ]


class _Assembler(References):
    """Renders the planned clauses and numbers and resolves them (``References``)."""

    def __init__(self, plan: Plan, library: Library, renderer: Renderer) -> None:
        super().__init__(plan, library)
        self.renderer = renderer
        deal = plan.deal.spec
        helpers = Helpers(_party_records(plan), deal.currency, plan.deal.law_text, library.conventions)
        self.context: dict[str, Any] = condition_context(plan.deal, plan.values)
        self.context.update(helpers.functions())
        self.build_helpers = BuildHelpers(plan)
        self.context.update(self.build_helpers.functions())
        self.defined: dict[str, str] = {}
        """Term (or alias) → the clause of this deal that defines it."""
        self.main: dict[str, str] = {}
        """Alias → its term."""
        for planned in plan.clauses():
            for term, entry in entries(planned.clause.spec).items():
                for name in (term, *entry.aliases):
                    self.defined.setdefault(name, planned.id)
                    self.main.setdefault(name, term)

    # -- rendering ---------------------------------------------------------
    def render_clause(self, planned: PlannedClause) -> tuple[Block, ...]:
        spec = planned.clause.spec
        source = spec.positions[planned.position].text
        field = f"positions.{planned.position}.text"
        path, line = planned.clause.path, planned.clause.line  # type: tuple[str, int | None]
        override = self.plan.deal.spec.overrides.get(spec.id)
        if override is not None and override.text is not None:  # negotiated text from the deal file
            source, field, path, line = override.text, f"overrides.{spec.id}.text", self.plan.deal.path, None
        self.build_helpers.current = planned.id
        try:
            text = self.renderer.render((spec.id, field), source, self.context)
            for term, entry in entries(spec).items():
                if entry.local and entry.means is not None:
                    meaning = self.renderer.render((spec.id, f"defines.{term}"), entry.means, self.context)
                    text = local_lead(escape_markdown(term), self.style.verb, str(Helpers.ref(spec.id)), meaning) + text
            return parse_blocks(text)
        except RenderError as exc:
            self.problems.extend(replace(p, path=path, line=line) for p in exc.problems)
        except DialectError as exc:
            self.problems.append(Problem(str(exc), path, line, spec.id, field))
        self.failed.add(spec.id)
        return ()

    # -- definitions --------------------------------------------------------
    def definitions(self, used: dict[str, str], doc_id: str, kept: dict[str, str] | None = None) -> tuple[Definition, ...]:
        """The definitions list of a document (``used`` gains the terms definitions use)."""
        return collect_definitions(self, used, doc_id, kept or {})

    def key_terms(self, doc: PlannedDocument, terms: dict[str, str]) -> Table:
        """The cover's key-terms table: each value rendered like clause text."""
        return key_terms_table(self, doc, terms)

    def check_terms(self, used: dict[str, str]) -> None:
        for term, source in sorted(used.items()):
            if term in self.defined:
                continue
            owner = self.library.terms.get(term)
            if owner:
                reason = self.plan.decisions.get(owner)
                why = f"; it is defined by clause {owner}, which is not in this deal" + (f" ({reason.reason})" if reason else "")
            else:
                why = "; no clause of the library defines it"
            self.problems.append(Problem(f"term('{term}') is not defined{why}", clause=source, field="term"))


def _section(planned: PlannedClause, number: str, blocks: tuple[Block, ...], external: bool) -> Section:
    spec = planned.clause.spec
    return Section(
        clause_id=spec.id,
        number=number,
        title=spec.title,
        blocks=blocks,
        version=spec.version,
        position="" if external else planned.position,
        notes="" if external else spec.notes.strip(),
        bookmark=bookmark_name(spec.id),
    )


def assemble(plan: Plan, library: Library, renderer: Renderer, options: BuildOptions | None = None, *, check_only: bool = False) -> Build:
    """Render, number and resolve: the finished tree of every document.

    ``check_only`` (lint) stops once every problem is known: no list of
    blanks and no lock."""
    options = options or BuildOptions()
    work = _Assembler(plan, library, renderer)
    work.rendered = {p.id: work.render_clause(p) for p in plan.clauses()}
    rendered = work.rendered
    work.number_all()
    documents: list[Document] = []
    all_terms: dict[str, str] = {}
    for doc in plan.documents:
        doc_id = doc.spec.id
        terms: dict[str, str] = {}

        def finish(planned: PlannedClause, number: str, doc_id: str = doc_id, terms: dict[str, str] = terms) -> Section:
            blocks = work.finish_blocks(rendered[planned.id], doc_id, planned.id, terms)
            return _section(planned, number, blocks, options.external)

        preamble = tuple(finish(p, "") for p in doc.preamble)
        articles: list[Article] = []
        toc: list[TocEntry] = []
        for a_index, part in enumerate(work.numbered_articles(doc), start=1):
            number = str(a_index)
            articles.append(_article(part, number, finish, work, doc_id, terms, options))
        schedules: list[Schedule] = []
        with_schedule = work.definitions_schedule(doc)
        for s_index, part in enumerate(doc.schedules, start=1 + with_schedule):
            number = str(s_index)
            sections = tuple(finish(p, str(i)) for i, p in enumerate(part.clauses, start=1))
            level = part.level_clause
            title = level.clause.spec.title if level else (part.spec.title or "")
            blocks = work.finish_blocks(rendered[level.id], doc_id, level.id, terms) if level else ()
            schedules.append(
                Schedule(
                    id=level.id if level else (part.spec.id or f"schedule-{number}"),
                    number=number,
                    title=title,
                    sections=sections,
                    blocks=blocks,
                    clause_id=level.id if level else "",
                    version=level.clause.spec.version if level else "",
                    position="" if options.external or not level else level.position,
                    notes="" if options.external or not level else level.clause.spec.notes.strip(),
                    bookmark=bookmark_name(level.id if level else (part.spec.id or f"schedule_{number}")),
                )
            )
        # definitions need every term use of the document, so they come last
        defs_used = dict(terms)
        kept = {
            term: planned.id
            for planned in _document_clauses(doc)
            for term, entry in entries(planned.clause.spec).items()
            if entry.keep and not entry.local
        }
        if work.style.placement == "section":
            articles = [
                replace(a, sections=tuple(
                    replace(s, definitions=work.definitions(defs_used, doc_id, kept)) if s.clause_id == DEFINITIONS_ID else s
                    for s in a.sections
                ))
                for a in articles
            ]
        elif any(part.spec.definitions for part in doc.articles):
            listed = tuple(definition_paragraph(d) for d in work.definitions(defs_used, doc_id, kept))
            if with_schedule:
                schedules.insert(0, Schedule("definitions", "1", "Definitions", (), listed, bookmark=bookmark_name(DEFINITIONS_ID)))
            else:
                articles = [
                    replace(a, blocks=listed, bookmark=bookmark_name(DEFINITIONS_ID), id=part.spec.id or DEFINITIONS_ID)
                    if part.spec.definitions else a
                    for a, part in zip(articles, work.numbered_articles(doc), strict=True)
                ]
        terms.update(defs_used)
        all_terms.update({k: v for k, v in terms.items() if k not in all_terms})
        for article in articles:
            toc.append(TocEntry(1, article.number, article.title, article.bookmark))
            toc.extend(TocEntry(2, s.number, s.title, s.bookmark) for s in article.sections)
        toc.extend(TocEntry(1, f"Schedule {s.number}", s.title, s.bookmark) for s in schedules)
        title = plan.deal.spec.title if doc.spec.kind == "agreement" and plan.deal.spec.title else doc.spec.title
        cover = doc.spec.cover
        documents.append(
            Document(
                doc_id, title, doc.spec.kind, doc.spec.ref_name, preamble, tuple(articles), tuple(schedules), doc.spec.signature, tuple(toc),
                key_terms=work.key_terms(doc, terms) if cover and cover.key_terms else None,
                key_terms_heading=cover.heading if cover and cover.key_terms else "",
            )
        )
    work.check_terms(all_terms)
    if work.problems:
        problems = [p if p.path else replace(p, path=plan.deal.path) for p in work.problems]
        raise RenderError(problems)
    house = library.conventions
    info = deal_info(plan, options, house.dates if "dates" in house.model_fields_set else None)
    if check_only:
        return Build(info, tuple(documents))
    build = Build(info, tuple(documents), {}, collect_blanks(documents))
    if options.final and build.blanks:
        raise OutputError(
            [Problem("--final: the draft still has a blank [●] for this value; give it in the deal file", plan.deal.path, field=f"terms.{name}") for name in build.blanks]
        )
    build = typeset_build(build)  # before the lock, so its texts are the documents' text
    return replace(build, lock=make_lock(build, plan, library))


def _article(part: PlannedPart, number: str, finish: Any, work: _Assembler, doc_id: str, terms: dict[str, str], options: BuildOptions) -> Article:
    level = part.level_clause
    if level:
        blocks = work.finish_blocks(work_rendered(work, level), doc_id, level.id, terms)
        spec = level.clause.spec
        return Article(
            id=level.id, number=number, title=spec.title, sections=(), blocks=blocks, clause_id=level.id,
            version=spec.version, position="" if options.external else level.position,
            notes="" if options.external else spec.notes.strip(), bookmark=bookmark_name(level.id),
        )
    sections: list[Section] = []
    offset = 0
    if part.spec.definitions and work.style.placement == "section":
        offset = 1
        sections.append(Section(DEFINITIONS_ID, f"{number}.1", "Definitions", (), bookmark=bookmark_name(DEFINITIONS_ID)))
    sections.extend(finish(p, f"{number}.{i}") for i, p in enumerate(part.clauses, start=1 + offset))
    article_id = part.spec.id or slug(part.spec.title or number)
    return Article(id=article_id, number=number, title=part.spec.title or "", sections=tuple(sections), bookmark=bookmark_name("art_" + article_id))


def _document_clauses(doc: PlannedDocument) -> list[PlannedClause]:
    found = list(doc.preamble)
    for part in (*doc.articles, *doc.schedules):
        found += [part.level_clause] if part.level_clause else []
        found += part.clauses
    return found


def work_rendered(work: _Assembler, planned: PlannedClause) -> tuple[Block, ...]:
    if planned.id not in work.rendered:
        work.rendered[planned.id] = work.render_clause(planned)
    return work.rendered[planned.id]


__all__ = ["BUILD_HELPERS", "BuildOptions", "DEFINITIONS_ID", "assemble", "bookmark_name"]
