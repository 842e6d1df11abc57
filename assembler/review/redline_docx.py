"""The redline: the new draft, written by our DOCX writer, with every
difference from the old draft as a real Word revision.

Both drafts are laid out clause by clause with the same emitters as a normal
build. Clauses are aligned by id (never by position), unchanged clauses are
copied, moved ones become ``w:moveFrom``/``w:moveTo``, added and removed ones
are inserted and deleted paragraphs, and changed ones are diffed paragraph by
paragraph and then word by word. Numbering stays automatic, so renumbered
headings create no revisions; reference text whose number changed is tracked
like any other text. Accepting every revision gives the new draft and
rejecting every revision gives the old one.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from difflib import SequenceMatcher

from lxml import etree

from assembler.assembly.tree import Build, Document
from assembler.writers.docx.blocks import emit_blocks
from assembler.writers.docx.bookmarks import Anchors
from assembler.writers.docx.clauses import emit_heading, emit_preamble, emit_section
from assembler.writers.docx.context import Context
from assembler.writers.docx.front import emit_cover, emit_toc
from assembler.writers.docx.properties import deal_datetime
from assembler.writers.docx.revisions import (
    Revision,
    as_deleted,
    atoms,
    mark_paragraph,
    move_range,
    paragraph_text,
    strip_markers,
    take,
    whole_paragraph,
    whole_table,
    wrap_all,
)
from assembler.writers.docx.signatures import emit_signatures
from assembler.writers.docx.template import load_template
from assembler.writers.docx.writer import append_body, finish_document, start_document
from assembler.writers.docx.xml import break_run, page_break_before, paragraph, qn, run

from .worddiff import word_diff

Unit = tuple[str, list[etree._Element]]


def units(ctx: Context, document: Document) -> list[Unit]:
    """A document as keyed units: front matter, one unit per clause, headings."""
    out: list[Unit] = [("cover", list(emit_cover(ctx))), ("toc", list(emit_toc(ctx)))]
    out.append(("title", [page_break_before(paragraph(ctx.style("Title"), [run(document.title)]))]))
    for section in document.preamble:
        out.append((f"clause:{section.clause_id}", emit_preamble(ctx, section)))
    for article in document.articles:
        heading = emit_heading(ctx, "Heading1", article.title, article, article.notes)
        if article.clause_id:
            out.append((f"clause:{article.clause_id}", [heading, *emit_blocks(ctx, article.blocks)]))
        else:
            out.append((f"article:{article.id}", [heading]))
        for section in article.sections:
            out.append((f"clause:{section.clause_id}", emit_section(ctx, section)))
    if document.signature:
        out.append(("signatures", list(emit_signatures(ctx))))
    for schedule in document.schedules:
        heading = page_break_before(emit_heading(ctx, "ScheduleTitle", schedule.title, schedule, schedule.notes, (break_run(),)))
        key = f"clause:{schedule.clause_id}" if schedule.clause_id else f"schedule:{schedule.id}"
        out.append((key, [heading, *emit_blocks(ctx, schedule.blocks)]))
        for section in schedule.sections:
            out.append((f"clause:{section.clause_id}", emit_section(ctx, section, "ScheduleHeading")))
    return out


def _signature(node: etree._Element) -> tuple[str, str, str]:
    style = node.find(f"{qn('pPr')}/{qn('pStyle')}")
    text = paragraph_text(node) if node.tag == qn("p") else "\u241e".join(paragraph_text(p) for p in node.iter(qn("p")))
    return node.tag, style.get(qn("val")) if style is not None else "", text


def _lists(nodes: list[etree._Element]) -> dict[str, set[str]]:
    """Each sub-list (numId) in ``nodes`` with the words of its items, in order."""
    found: dict[str, set[str]] = {}
    for node in nodes:
        for par in node.iter(qn("p")):
            num = par.find(f"{qn('pPr')}/{qn('numPr')}/{qn('numId')}")
            if num is not None:
                found.setdefault(num.get(qn("val")) or "", set()).update(paragraph_text(par).split())
    return found


def _adopt_lists(old: list[etree._Element], new: list[etree._Element]) -> list[etree._Element]:
    """Old paragraphs moved into the new side's list instances where a list
    exists on both sides (matched by the words of its items, in order), so
    that restored (rejected) items continue the same list as the kept ones
    and a list only the old side has keeps its own numbering."""
    old_lists, new_lists = _lists(old), _lists(new)
    mapping: dict[str, str] = {}
    candidates = list(new_lists)
    for old_id, words in old_lists.items():
        best, best_score = None, 0.3
        for new_id in candidates:
            other = new_lists[new_id]
            score = len(words & other) / max(1, len(words | other))
            if score > best_score:
                best, best_score = new_id, score
        if best is not None:
            mapping[old_id] = best
            candidates = candidates[candidates.index(best) + 1 :]
    if not mapping:
        return old
    adopted = [copy.deepcopy(node) for node in old]
    for node in adopted:
        for num in node.iter(qn("numId")):
            value = num.get(qn("val")) or ""
            if value in mapping:
                num.set(qn("val"), mapping[value])
    return adopted


class Redliner:
    def __init__(self, revision: Revision, terms: Iterable[str]) -> None:
        self.revision = revision
        self.terms = sorted(terms)
        self.moves = 0

    # -- whole elements ----------------------------------------------------
    def whole(self, node: etree._Element, kind: str) -> etree._Element:
        if node.tag == qn("tbl"):
            return whole_table(strip_markers(copy.deepcopy(node)) if kind == "del" else node, "ins" if kind == "ins" else "del", self.revision)
        source = strip_markers(copy.deepcopy(node)) if kind in ("del", "moveFrom") else node
        return whole_paragraph(source, kind, self.revision)

    def moved(self, nodes: list[etree._Element], kind: str, name: str) -> list[etree._Element]:
        """A unit moved unchanged: ``moveFrom`` at the old place, ``moveTo`` at the new."""
        if not nodes or any(n.tag != qn("p") for n in nodes):
            return [self.whole(n, "del" if kind == "moveFrom" else "ins") for n in nodes]
        pars = [self.whole(n, kind) for n in nodes]
        move_range(pars, kind, name, self.revision)
        return pars

    # -- paragraphs ----------------------------------------------------------
    def merge_paragraph(self, old: etree._Element, new: etree._Element) -> list[etree._Element]:
        """One paragraph carrying a word-level diff of ``old`` into ``new``."""
        old_atoms, new_atoms = atoms(old), atoms(new)
        old_text = "".join(a.text for a in old_atoms)
        new_text = "".join(a.text for a in new_atoms)
        if old_text == new_text:
            return [new]
        merged = copy.deepcopy(new)
        head = [c for c in merged if c.tag == qn("pPr")]
        markers = [c for c in merged if c.tag in (qn("bookmarkStart"), qn("commentRangeStart"))]
        tail = [c for c in merged if c.tag in (qn("bookmarkEnd"), qn("commentRangeEnd"))]
        comment_refs = [c for c in merged if c.tag == qn("r") and c.find(qn("commentReference")) is not None]
        body: list[etree._Element] = []
        o_pos = n_pos = 0
        for op, text in word_diff(old_text, new_text, self.terms):
            if op == "=":
                runs = take(new_atoms, n_pos, n_pos + len(text))
                old_runs = take(old_atoms, o_pos, o_pos + len(text))
                if runs is None or old_runs is None:
                    return self.replace_paragraph(old, new)
                body.extend(runs)
                o_pos += len(text)
                n_pos += len(text)
            elif op == "-":
                runs = take(old_atoms, o_pos, o_pos + len(text))
                if runs is None:
                    return self.replace_paragraph(old, new)
                body.extend(wrap_all("del", as_deleted([strip_markers(r) for r in runs]), self.revision))
                o_pos += len(text)
            else:
                runs = take(new_atoms, n_pos, n_pos + len(text))
                if runs is None:
                    return self.replace_paragraph(old, new)
                body.extend(wrap_all("ins", runs, self.revision))
                n_pos += len(text)
        for child in list(merged):
            merged.remove(child)
        merged.extend([*head, *markers, *body, *tail, *comment_refs])
        return [merged]

    def replace_paragraph(self, old: etree._Element, new: etree._Element) -> list[etree._Element]:
        """Fallback when a change cuts through a field: delete the old paragraph, insert the new."""
        return [self.whole(old, "del"), self.whole(new, "ins")]

    def merge_table(self, old: etree._Element, new: etree._Element) -> list[etree._Element]:
        old_rows, new_rows = old.findall(qn("tr")), new.findall(qn("tr"))
        shape = [len(r.findall(qn("tc"))) for r in old_rows] == [len(r.findall(qn("tc"))) for r in new_rows]
        if not shape:
            return [self.whole(old, "del"), self.whole(new, "ins")]
        merged = copy.deepcopy(new)
        for old_row, row in zip(old_rows, merged.findall(qn("tr")), strict=True):
            for old_cell, cell in zip(old_row.findall(qn("tc")), row.findall(qn("tc")), strict=True):
                old_pars, new_pars = old_cell.findall(qn("p")), cell.findall(qn("p"))
                if len(old_pars) != len(new_pars):
                    return [self.whole(old, "del"), self.whole(new, "ins")]
                for old_par, new_par in zip(old_pars, new_pars, strict=True):
                    result = self.merge_paragraph(old_par, new_par)
                    if len(result) != 1:
                        return [self.whole(old, "del"), self.whole(new, "ins")]
                    cell.replace(new_par, result[0])
        return [merged]

    # -- units ---------------------------------------------------------------
    def merge_unit(self, old: list[etree._Element], new: list[etree._Element]) -> list[etree._Element]:
        old = _adopt_lists(old, new)
        old_sig, new_sig = [_signature(n) for n in old], [_signature(n) for n in new]
        if old_sig == new_sig:
            return new
        out: list[etree._Element] = []
        matcher = SequenceMatcher(None, old_sig, new_sig, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out.extend(new[j1:j2])
                continue
            out.extend(self.merge_block(old[i1:i2], new[j1:j2], old_sig[i1:i2], new_sig[j1:j2]))
        return out

    def merge_block(
        self, old: list[etree._Element], new: list[etree._Element],
        old_sig: list[tuple[str, str, str]], new_sig: list[tuple[str, str, str]],
    ) -> list[etree._Element]:
        """Changed paragraphs: each old one is paired, in order, with the most
        similar new one of the same kind and style (word diff inside); the
        rest are deleted or inserted whole. Never pairing a list item with a
        body paragraph keeps each paragraph's properties right after a
        reject as well as after an accept."""
        out: list[etree._Element] = []
        cursor = 0
        for index, node in enumerate(old):
            best, best_ratio = -1, 0.0
            for candidate in range(cursor, len(new)):
                if new_sig[candidate][:2] != old_sig[index][:2]:
                    continue
                ratio = SequenceMatcher(None, old_sig[index][2].split(), new_sig[candidate][2].split(), autojunk=False).ratio()
                if ratio > best_ratio:
                    best, best_ratio = candidate, ratio
            if best < 0 or best_ratio < 0.5:
                out.append(self.whole(node, "del"))
                continue
            out.extend(self.whole(n, "ins") for n in new[cursor:best])
            partner = new[best]
            out.extend(self.merge_table(node, partner) if node.tag == qn("tbl") else self.merge_paragraph(node, partner))
            cursor = best + 1
        out.extend(self.whole(n, "ins") for n in new[cursor:])
        return out

    def merge_documents(self, old_units: list[Unit], new_units: list[Unit]) -> list[etree._Element]:
        old_keys, new_keys = [k for k, _ in old_units], [k for k, _ in new_units]
        old_map, new_map = dict(old_units), dict(new_units)
        out: list[etree._Element] = []
        matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        move_names: dict[str, str] = {}

        def move_name(key: str) -> str:
            if key not in move_names:
                self.moves += 1
                move_names[key] = f"move{self.moves}"
            return move_names[key]

        def same(key: str) -> bool:
            return [_signature(n) for n in old_map[key]] == [_signature(n) for n in new_map[key]]

        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for key in new_keys[j1:j2]:
                    out.extend(self.merge_unit(old_map[key], new_map[key]))
                continue
            for key in old_keys[i1:i2]:
                if key in new_map and same(key):
                    out.extend(self.moved(old_map[key], "moveFrom", move_name(key)))
                else:
                    out.extend(self.whole(n, "del") for n in old_map[key])
            for key in new_keys[j1:j2]:
                if key in old_map and same(key):
                    out.extend(self.moved(new_map[key], "moveTo", move_name(key)))
                else:
                    out.extend(self.whole(n, "ins") for n in new_map[key])
        return out


def write_redline(old: Build, new: Build, document_id: str, *, author: str = "dealdraft") -> bytes:
    """The redline .docx of one document: ``new`` with the changes from ``old`` tracked.

    A document that exists on one side only is written all inserted (or all
    deleted, on the old draft's layout).
    """
    template = load_template(None)
    new_doc = _find(new, document_id)
    old_doc = _find(old, document_id)
    base_build, base_doc = (new, new_doc) if new_doc is not None else (old, old_doc)
    assert base_doc is not None
    docx_document, ctx = start_document(base_build, base_doc, template)
    date = deal_datetime(new.deal.date).strftime("%Y-%m-%dT%H:%M:%SZ")
    revision = Revision(author, date, ctx.ids)
    terms = set(new.lock.get("terms", [])) | set(old.lock.get("terms", []))
    redliner = Redliner(revision, terms)
    new_units = units(ctx, new_doc) if new_doc is not None else []
    old_units: list[Unit] = []
    if old_doc is not None:
        old_ctx = Context(
            deal=old.deal, document=old_doc, styles=ctx.styles, lists=ctx.lists,
            anchors=Anchors(old_doc), text_width=ctx.text_width, ids=ctx.ids,
        )
        old_units = units(old_ctx, old_doc)
    body = redliner.merge_documents(old_units, new_units)
    if body and _kind(body[-1]) in ("ins", "del"):
        # The document's last paragraph mark can never be removed, so a
        # tracked one there would survive a reject (or an accept) as an empty
        # paragraph: end with an untracked empty paragraph instead.
        body.append(paragraph(ctx.style("BodyText")))
    stagger_dates(body, deal_datetime(new.deal.date))
    append_body(docx_document, body)
    return finish_document(docx_document, ctx, base_build, base_doc)


_REVISION_TAGS = ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart")


def _kind(element: etree._Element) -> str:
    """'del' / 'ins' for a paragraph removed on accept / on reject, 'table',
    'inline' for one with word-level changes, 'plain' for an unchanged one."""
    if element.tag != qn("p"):
        return "table"
    mark = element.find(f"{qn('pPr')}/{qn('rPr')}")
    if mark is not None:
        if mark.find(qn("del")) is not None or mark.find(qn("moveFrom")) is not None:
            return "del"
        if mark.find(qn("ins")) is not None or mark.find(qn("moveTo")) is not None:
            return "ins"
    if next(element.iter(*(qn(t) for t in _REVISION_TAGS)), None) is not None:
        return "inline"
    return "plain"


def stagger_dates(body: list[etree._Element], start: datetime.datetime) -> None:
    """Give neighbouring groups of revisions timestamps minutes apart.

    LibreOffice merges adjacent revisions of one author made within a minute
    of each other, across paragraph breaks too, and a merged revision that
    starts inside a paragraph joins the wrong paragraphs when it is accepted
    or rejected. Consecutive whole inserted (or deleted) paragraphs form one
    group with one time; every other paragraph is a group of its own; three
    times cycle over the groups (the deal's date, +2 and +4 minutes), so the
    two neighbours of a group that accepting or rejecting removes never share
    a time. Word is unaffected.
    """
    stamps = [(start + datetime.timedelta(minutes=2 * i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(3)]
    group, previous = -1, ""
    for element in body:
        kind = _kind(element)
        if not (kind in ("del", "ins") and kind == previous):
            group += 1
        previous = kind
        stamp = stamps[group % 3]
        for tag in _REVISION_TAGS:
            for node in element.iter(qn(tag)):
                if node.get(qn("date")) is not None:
                    node.set(qn("date"), stamp)


def _find(build: Build, document_id: str) -> Document | None:
    return next((d for d in build.documents if d.id == document_id), None)


__all__ = ["write_redline", "mark_paragraph"]
