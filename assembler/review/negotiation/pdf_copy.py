"""Compare the text of a PDF copy with a build of its deal.

A PDF keeps no paragraphs, only lines of words placed on pages, and a table's
cells come out line by line across the row. So the PDF is read as a stream of
words (pypdf), without running headers, footers and the contents' leader
lines; our headings are found in it in reading order; and the words between
one heading and the next are compared, as a multiset and ignoring case (the
stylesheet may set headings in capitals), with the words of that clause. A
changed, added or deleted word is found wherever it is; words only put in
another order inside one clause are not.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from pathlib import Path

from assembler.assembly.tree import Build, Document, Footnote
from assembler.assembly.tree_text import inline_text
from assembler.base.errors import InputError, Problem

from ..worddiff import word_diff
from .returned import Change, Mapping
from .textnorm import typography
from .units import OurDocument, Unit, our_document

_WORD = re.compile(r"\w+(?:[.'\-/]\w+)*")
_PAGE = re.compile(r"^\s*Page \d+ of \d+\s*$")
_LEADERS = re.compile(r"\.{4,}|…{2,}")
_SIGNATURE_WORDS = ("signed", "for", "and", "on", "behalf", "of", "by", "signature", "name", "title", "date")
"""The words of a signature block besides the names (the last clause before
the schedules runs into the signature blocks)."""


def _tokens(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(typography(unicodedata.normalize("NFKC", text)).replace("_", " "))]


def pdf_text(data: bytes, path: Path, marking: str) -> str:
    """The running text of a PDF: pages joined, headers, footers and the
    contents' lines dropped, words broken at a hyphen joined again."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputError([Problem(f"cannot read the PDF ({exc})", str(path))]) from None
    lines = []
    mark = typography(marking)
    for page in pages:
        for line in page.splitlines():
            plain = typography(line)
            if plain == mark or _PAGE.match(plain) or _LEADERS.search(plain):
                continue
            lines.append(line)
    return re.sub(r"(?<=\w)-\n(?=\w)", "-", "\n".join(lines))


def _heading_tokens(unit: Unit) -> list[str]:
    if unit.kind == "schedule":
        return _tokens(f"{unit.number} {unit.title}")
    number = unit.number.split("paragraph ")[-1] if unit.kind == "schedule_section" else unit.number
    return _tokens(f"{number} {unit.title}") if unit.heading else []


def _expected(unit: Unit, notes: dict[str, int] | None = None) -> list[str]:
    if unit.text:
        body = unit.text.split("\n", 1)[1] if "\n" in unit.text else ""
    else:
        body = "\n".join(line.text for line in unit.lines)
    return _heading_tokens(unit) + _tokens(_as_printed(body, notes or {}))


_LINK = re.compile(r" <(?:https?://|mailto:)[^>\s]*>")
_NOTE = re.compile(r"\[\^((?:[^\[\]]|\[[^\]]*\])*)\]")


def _as_printed(text: str, notes: dict[str, int]) -> str:
    """Our text as a PDF prints it: a link's address is not shown, and a
    footnote's text goes to the foot of the page, leaving its number."""
    text = _LINK.sub("", text)
    return _NOTE.sub(lambda m: str(notes.get(_LINK.sub("", m.group(1)), "")), text)


def _footnotes(document: Document) -> list[str]:
    """The text of each footnote of a document, in order (as the PDF numbers them)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, Footnote):
            found.append(_LINK.sub("", inline_text(node.children)))
        elif isinstance(node, tuple):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                walk(getattr(node, name))

    walk(document)
    return found


def _without_footnotes(words: list[str], raw: list[str], notes: list[str]) -> tuple[list[str], list[str]]:
    """The word stream without the footnotes printed at the foot of the pages."""
    for number, note in enumerate(notes, start=1):
        wanted = [str(number), *_tokens(note)]
        for start in range(len(words) - len(wanted) + 1):
            if words[start : start + len(wanted)] == wanted:
                del words[start : start + len(wanted)], raw[start : start + len(wanted)]
                break
    return words, raw


def _find(words: list[str], wanted: list[str], start: int, then: tuple[str, ...] | list[str] = ()) -> int:
    """Where ``wanted`` (followed by ``then``) first occurs from ``start``."""
    if not wanted:
        return -1
    wanted = [*wanted, *then]
    first = wanted[0]
    for index in range(start, len(words) - len(wanted) + 1):
        if words[index] == first and words[index : index + len(wanted)] == wanted:
            return index
    return -1


def _anchors(ours: OurDocument, words: list[str]) -> list[tuple[Unit, int]]:
    """Each of our headings in the PDF, in order. A heading counts where the
    words after it are its own text (or the next heading), never at its line
    in the contents."""
    found: list[tuple[Unit, int]] = []
    cursor = 0
    for index, unit in enumerate(ours.units):
        heading = _heading_tokens(unit)
        after = _expected(unit)[len(heading) : len(heading) + 3]
        if not after and index + 1 < len(ours.units):
            after = _heading_tokens(ours.units[index + 1])[:3]
        at = _find(words, heading, cursor, after)
        if at < 0 and found:
            at = _find(words, heading, cursor)
        if at >= 0:
            found.append((unit, at))
            cursor = at + 1
    return found


def map_pdf(data: bytes, path: Path, build: Build, document: str | None = None) -> Mapping:
    """What a PDF copy changed against the build of its deal."""
    text = pdf_text(data, path, build.deal.confidentiality_marking)
    words = _tokens(text)
    raw = _WORD.findall(typography(unicodedata.normalize("NFKC", text)).replace("_", " "))
    candidates = [document] if document else [d.id for d in build.documents]
    scored = []
    for doc_id in candidates:
        ours = our_document(build.document(doc_id))
        scored.append((len(_anchors(ours, words)), doc_id, ours))
    _hits, doc_id, ours = max(scored, key=lambda item: item[0])
    footnotes = _footnotes(build.document(doc_id))
    words, raw = _without_footnotes(words, raw, footnotes)
    notes = {text: number for number, text in enumerate(footnotes, start=1)}
    anchors = _anchors(ours, words)
    mapping = Mapping(str(path), doc_id)
    found = {unit.key for unit, _ in anchors}
    signature_region = _signature_region(build, ours, anchors)
    for index, (unit, start) in enumerate(anchors):
        end = anchors[index + 1][1] if index + 1 < len(anchors) else len(words)
        theirs = Counter(words[start:end])
        expected = Counter(_expected(unit, notes))
        # clauses we could not find read as part of the one before them
        for missing in _missing_after(ours, unit, found):
            expected += Counter(_expected(missing, notes))
        extra = theirs - expected
        if unit.key == signature_region:
            extra = _without_signature(extra, build)
        extra = _without_repeated_headers(extra, unit)
        if extra or expected - theirs:
            mapping.changes.append(_change(unit, expected, " ".join(raw[start:end])))
    for unit in ours.units:
        if unit.key not in found and unit.heading and (unit.clause_id or unit.kind == "article"):
            mapping.changes.append(Change("removed", unit.key, unit.clause_id, unit.number, unit.title,
                                          where="its heading is not in the file", ours=unit.text or unit.title))
    return mapping


def _change(unit: Unit, expected: Counter[str], theirs: str) -> Change:
    ours = " ".join((unit.text or "\n".join([unit.title, *(line.text for line in unit.lines)])).split())
    heading = " ".join(_heading_tokens(unit))
    theirs_text = theirs
    if heading and theirs.casefold().startswith(heading):
        theirs_text = unit.title + theirs[len(heading):]
    return Change("edited", unit.key, unit.clause_id, unit.number, unit.title, ours=ours, theirs=theirs_text,
                  words=word_diff(ours, theirs_text))


def _missing_after(ours: OurDocument, unit: Unit, found: set[str]) -> list[Unit]:
    index = ours.units.index(unit)
    out = []
    for following in ours.units[index + 1 :]:
        if following.key in found:
            break
        out.append(following)
    return out


def _signature_region(build: Build, ours: OurDocument, anchors: list[tuple[Unit, int]]) -> str:
    """The unit whose words run into the signature blocks (the last before
    the schedules)."""
    document = build.document(ours.id)
    if not document.signature or not anchors:
        return ""
    schedules = {u.key for u in ours.units if u.kind in ("schedule", "schedule_section")}
    before = [unit for unit, _ in anchors if unit.key not in schedules]
    return before[-1].key if before else ""


def _without_signature(extra: Counter[str], build: Build) -> Counter[str]:
    allowed: Counter[str] = Counter(_tokens(build.deal.signing_lead_in))  # the execution page's lead-in
    for party in build.deal.parties:
        allowed.update(_tokens(" ".join([party.legal_name, party.signatory_name, party.signatory_title])))
        allowed.update(_SIGNATURE_WORDS)
    return extra - allowed


def _without_repeated_headers(extra: Counter[str], unit: Unit) -> Counter[str]:
    """A table's header row is repeated on every page it spans."""
    for line in unit.lines:
        if line.kind == "row" and line.header:
            header = Counter(_tokens(line.text))
            while header and not header - extra:
                extra = extra - header
    return extra
