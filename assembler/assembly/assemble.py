"""Stage 4: render the planned clauses and build the numbered tree.

Numbering, reference text, definitions lists, bookmarks and the table of
contents are all decided here, once, so every writer shows the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from assembler.base.errors import OutputError, Problem, RenderError
from assembler.library.model import Library
from assembler.library.values import Record

from .bookmarks import bookmark_name
from .build_helpers import BUILD_HELPERS, BuildHelpers
from .build_info import collect_blanks, deal_info
from .cover import key_terms_table
from .definitions import collect_definitions, definition_paragraph, definitions_style, entries, local_lead
from .lockfile import DEFINITIONS_ID, make_lock
from .markdown import DialectError, PendingItemRef, PendingRef, PendingRefList, parse_blocks
from .options import BuildOptions
from .plan import Plan, PlannedClause, PlannedDocument, PlannedPart, condition_context
from .references import item_bookmark, sentence_capitals, with_item
from .reflist import ArticleInfo, Listed, ref_list_inlines
from .render import Helpers, Renderer
from .sandbox import escape_markdown
from .tree import (
    Article,
    Block,
    Build,
    Cell,
    Definition,
    Document,
    Emphasis,
    Footnote,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Ref,
    Schedule,
    Section,
    Strong,
    Table,
    TermUse,
    TocEntry,
)
from .typography import typeset_build


@dataclass(frozen=True, slots=True)
class _Target:
    document: str
    kind: str
    number: str
    title: str
    order: int = 0
    """Place in the document (document order), for lists of references."""
    article: str = ""
    """For a section: the id of its article (for a schedule paragraph: "schedule N")."""
    index: int = 0
    """For a section: its place in the article (for a schedule paragraph: in the schedule)."""


def _party_records(plan: Plan) -> list[Record]:
    return [
        Record(role=p.role, legal_name=p.legal_name, short_name=p.short_name, entity_type=p.entity_type, address=p.address)
        for p in plan.deal.spec.parties
    ]


class _Assembler:
    def __init__(self, plan: Plan, library: Library, renderer: Renderer) -> None:
        self.plan = plan
        self.library = library
        self.renderer = renderer
        deal = plan.deal.spec
        helpers = Helpers(_party_records(plan), deal.currency, plan.deal.law_text, library.conventions)
        self.context: dict[str, Any] = condition_context(plan.deal, plan.values)
        self.context.update(helpers.functions())
        self.build_helpers = BuildHelpers(plan)
        self.context.update(self.build_helpers.functions())
        self.problems: list[Problem] = []
        self.targets: dict[tuple[str, str], _Target] = {}
        self.articles: dict[tuple[str, str], ArticleInfo] = {}
        self.doc_names: dict[str, str] = {}
        self.defined: dict[str, str] = {}
        """Term (or alias) → the clause of this deal that defines it."""
        self.main: dict[str, str] = {}
        """Alias → its term."""
        self.style = definitions_style(plan.deal.deal_type, library.conventions)
        self.reference_style = plan.deal.deal_type.references or library.conventions.references
        for planned in plan.clauses():
            for term, entry in entries(planned.clause.spec).items():
                for name in (term, *entry.aliases):
                    self.defined.setdefault(name, planned.id)
                    self.main.setdefault(name, term)
        self.rendered: dict[str, tuple[Block, ...]] = {}
        self.failed: set[str] = set()
        """Clauses whose text did not render: their own error is the one to report."""

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

    # -- numbering ---------------------------------------------------------
    def numbered_articles(self, doc: PlannedDocument) -> list[PlannedPart]:
        """The articles of a document: an article that holds only the
        definitions is left out when they go to a schedule."""
        if self.style.placement != "schedule":
            return list(doc.articles)
        return [part for part in doc.articles if part.clauses or part.level_clause]

    def definitions_schedule(self, doc: PlannedDocument) -> bool:
        """Whether the document's definitions are its first schedule."""
        return self.style.placement == "schedule" and any(part.spec.definitions for part in doc.articles)

    def number_all(self) -> None:
        for doc in self.plan.documents:
            doc_id = doc.spec.id
            self.doc_names[doc_id] = doc.spec.ref_name
            for a_index, part in enumerate(self.numbered_articles(doc), start=1):
                number = str(a_index)
                if part.level_clause:
                    self._target(part.level_clause.id, doc_id, "article", number, part.level_clause.clause.spec.title)
                if part.spec.id:
                    self._target(part.spec.id, doc_id, "article", number, part.spec.title or "")
                offset = 1 if part.spec.definitions and self.style.placement == "section" else 0
                article_id = part.spec.id or _slug(part.spec.title or number)
                sections: list[str] = []
                if part.spec.definitions and self.style.placement == "section":
                    # The generated list belongs to the clauses that define the terms:
                    # an article cited whole needs only its clauses listed.
                    self._target(DEFINITIONS_ID, doc_id, "section", f"{number}.1", "Definitions", article_id, 1)
                elif part.spec.definitions and self.style.placement == "article":
                    self._target(DEFINITIONS_ID, doc_id, "article", number, part.spec.title or "Definitions")
                for s_index, planned in enumerate(part.clauses, start=1 + offset):
                    self._target(planned.id, doc_id, "section", f"{number}.{s_index}", planned.clause.spec.title, article_id, s_index)
                    sections.append(planned.id)
                if not part.level_clause:
                    self.articles[(doc_id, article_id)] = ArticleInfo(
                        Ref(article_id, doc_id, "article", f"{self.reference_style.article} ", number, "", False), len(self.targets), tuple(sections)
                    )
            if self.definitions_schedule(doc):
                self._target(DEFINITIONS_ID, doc_id, "schedule", "1", "Definitions")
            for s_index, part in enumerate(doc.schedules, start=1 + self.definitions_schedule(doc)):
                number = str(s_index)
                title = part.level_clause.clause.spec.title if part.level_clause else (part.spec.title or "")
                if part.level_clause:
                    self._target(part.level_clause.id, doc_id, "schedule", number, title)
                if part.spec.id:
                    self._target(part.spec.id, doc_id, "schedule", number, title)
                for p_index, planned in enumerate(part.clauses, start=1):
                    self._target(
                        planned.id, doc_id, "schedule_section", f"{p_index}|{number}|{title}", planned.clause.spec.title, f"schedule {number}", p_index
                    )

    def _target(self, target_id: str, doc_id: str, kind: str, number: str, title: str, article: str = "", index: int = 0) -> None:
        self.targets[(doc_id, target_id)] = _Target(doc_id, kind, number, title, len(self.targets), article, index)

    def resolve_list(self, target_ids: tuple[str, ...], doc_id: str, source: str) -> tuple[Inline, ...]:
        """Several references as one phrase ("Sections 7.2 and 9.1")."""
        listed: list[Listed] = []
        for target_id in target_ids:
            ref = self.resolve(target_id, doc_id, source, titled=False)
            if ref is not None:
                target = self._find(target_id, doc_id)
                assert target is not None
                listed.append(Listed(ref, target.order, target.article, target.index))
        articles = {key: info for key, info in self.articles.items() if key[0] == doc_id}
        for (target_doc, article_id), info in self.articles.items():
            if target_doc != doc_id:
                suffix = f" of {self.doc_names[target_doc]}"
                articles[(target_doc, article_id)] = ArticleInfo(replace(info.ref, suffix=suffix, external=True), info.order, info.sections)
        return ref_list_inlines(listed, articles, plural=self.plural)

    def plural(self, prefix: str) -> str:
        """The plural of a reference word in the house style: "Sections ", "clauses "."""
        word = prefix.strip()
        return self.reference_style.plurals.get(word, word + "s") + " " if word else prefix

    def _find(self, target_id: str, doc_id: str) -> _Target | None:
        target = self.targets.get((doc_id, target_id))
        if target is None:
            found = [t for (d, i), t in self.targets.items() if i == target_id]
            target = found[0] if len(found) == 1 else None
        return target

    def resolve(self, target_id: str, doc_id: str, source: str, *, titled: bool = True) -> Ref | None:
        """The reference to a target as the house style writes it (with the
        heading's title where the style asks, unless ``titled`` is false: a list)."""
        target = self._find(target_id, doc_id)
        if target is None:
            decision = self.plan.decisions.get(target_id)
            if decision is not None:
                why = f"it is not in this deal: {decision.reason}"
            elif target_id in self.library.clauses:
                why = f"it is not in the outline of a {self.plan.deal.deal_type.id} deal"
            else:
                why = "no clause has that id"
            self.problems.append(Problem(f"ref('{target_id}') cannot be resolved: {why}", clause=source, field="ref"))
            return None
        external = target.document != doc_id
        suffix = f" of {self.doc_names[target.document]}" if external else ""
        words = self.reference_style
        if titled and target.kind in ("section", "article") and target.title and (
            words.titles == "all" or (words.titles == "articles" and target.kind == "article")
        ):
            suffix = f" ({target.title}){suffix}"
        if target.kind == "section":
            return Ref(target_id, target.document, "section", f"{words.section} ", target.number, suffix, external)
        if target.kind == "article":
            return Ref(target_id, target.document, "article", f"{words.article} ", target.number, suffix, external)
        if target.kind == "schedule":
            return Ref(target_id, target.document, "schedule", "", f"Schedule {target.number}", f" ({target.title}){suffix}", external)
        para, schedule, _title = target.number.split("|", 2)
        return Ref(target_id, target.document, "schedule_section", f"{words.paragraph} ", para, f" of Schedule {schedule}{suffix}", external)

    def resolve_item(self, pending: PendingItemRef, doc_id: str, source: str) -> Ref | None:
        """"Section 7.2(b)": the clause's reference, then the labels of the item."""
        ref = self.resolve(pending.target, doc_id, source)
        if ref is None or pending.target in self.failed:
            return None
        ref, problem = with_item(ref, self.rendered.get(pending.target, ()), pending)
        if problem:
            self.problems.append(Problem(problem, clause=source, field="ref"))
        return ref

    # -- resolution ----------------------------------------------------------
    def finish_blocks(self, blocks: tuple[Block, ...], doc_id: str, source: str, terms: dict[str, str]) -> tuple[Block, ...]:
        return tuple(self._block(b, doc_id, source, terms) for b in blocks)

    def _block(self, block: Block, doc_id: str, source: str, terms: dict[str, str], in_item: bool = False) -> Block:
        if isinstance(block, Paragraph):
            if in_item:  # a list item's text continues the sentence that leads into the list
                return Paragraph(self._resolved(block.inlines, doc_id, source, terms))
            return Paragraph(self._inlines(block.inlines, doc_id, source, terms))
        if isinstance(block, ListBlock):
            items = tuple(
                ListItem(i.label, tuple(self._block(b, doc_id, source, terms, n == 0) for n, b in enumerate(i.blocks)), i.anchor,
                         item_bookmark(source, i.anchor) if i.anchor else "")
                for i in block.items
            )
            return ListBlock(block.ordered, block.depth, items)
        assert isinstance(block, Table)

        def rows(group: tuple[tuple[Cell, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
            return tuple(tuple(Cell(self._inlines(c.inlines, doc_id, source, terms), c.align) for c in row) for row in group)

        return Table(rows(block.header), rows(block.rows), rows(block.footer))

    def _inlines(self, inlines: tuple[Inline, ...], doc_id: str, source: str, terms: dict[str, str]) -> tuple[Inline, ...]:
        result = self._resolved(inlines, doc_id, source, terms)
        if self.reference_style.sentence_capital:
            result = sentence_capitals(result)
        return result

    def _resolved(self, inlines: tuple[Inline, ...], doc_id: str, source: str, terms: dict[str, str]) -> tuple[Inline, ...]:
        """The inlines with references resolved and term uses recorded."""
        result: list[Inline] = []
        for node in inlines:
            if isinstance(node, PendingRef):
                ref = self.resolve(node.target, doc_id, source)
                if ref is not None:
                    result.append(ref)
            elif isinstance(node, PendingRefList):
                result.extend(self.resolve_list(node.targets, doc_id, source))
            elif isinstance(node, PendingItemRef):
                ref = self.resolve_item(node, doc_id, source)
                if ref is not None:
                    result.append(ref)
            elif isinstance(node, (Emphasis, Strong, Footnote)):
                result.append(type(node)(self._inlines(node.children, doc_id, source, terms)))
            elif isinstance(node, Link):
                result.append(Link(node.url, self._inlines(node.children, doc_id, source, terms)))
            else:
                if isinstance(node, TermUse):
                    terms.setdefault(node.term, source)
                result.append(node)
        return tuple(result)

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
    article_id = part.spec.id or _slug(part.spec.title or number)
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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "article"


__all__ = ["BUILD_HELPERS", "BuildOptions", "DEFINITIONS_ID", "assemble", "bookmark_name"]
