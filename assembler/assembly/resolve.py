"""Numbering and references: where every clause, article and schedule of
the deal's documents stands, and the pending references of rendered text
turned into "Section 7.2", lists of references and item references.

``References`` holds what ``assemble.py`` numbers; its ``finish_blocks``
resolves a clause's blocks against it and records the terms they use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assembler.base.errors import Problem
from assembler.library.model import Library

from .definitions import definitions_style
from .lockfile import DEFINITIONS_ID
from .markdown import PendingItemRef, PendingRef, PendingRefList
from .plan import Plan, PlannedDocument, PlannedPart
from .references import item_bookmark, sentence_capitals, with_item
from .reflist import ArticleInfo, Listed, ref_list_inlines
from .tree import Block, Cell, Emphasis, Footnote, Inline, Link, ListBlock, ListItem, Paragraph, Ref, Strong, Table, TermUse


@dataclass(frozen=True, slots=True)
class Target:
    """A place a reference can point at, once the documents are numbered."""

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


class References:
    """The numbered places of a deal's documents and the resolution of
    references against them."""

    def __init__(self, plan: Plan, library: Library) -> None:
        self.plan = plan
        self.library = library
        self.problems: list[Problem] = []
        self.targets: dict[tuple[str, str], Target] = {}
        self.articles: dict[tuple[str, str], ArticleInfo] = {}
        self.doc_names: dict[str, str] = {}
        self.style = definitions_style(plan.deal.deal_type, library.conventions)
        self.reference_style = plan.deal.deal_type.references or library.conventions.references
        self.rendered: dict[str, tuple[Block, ...]] = {}
        self.failed: set[str] = set()
        """Clauses whose text did not render: their own error is the one to report."""

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
                article_id = part.spec.id or slug(part.spec.title or number)
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
        self.targets[(doc_id, target_id)] = Target(doc_id, kind, number, title, len(self.targets), article, index)

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

    def _find(self, target_id: str, doc_id: str) -> Target | None:
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


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "article"


__all__ = ["References", "Target", "slug"]
