"""How two texts of one clause are compared when one of them went through
Word, LibreOffice or a PDF: typography, numbers and labels are not edits.

- Typography: curly and straight quotes, non-breaking and thin spaces, soft
  and non-breaking hyphens, zero-width characters and runs of whitespace
  read the same (a re-save or a typographic pass changes them, a reader does
  not see a different clause).
- Reference numbers: "Section 7.2" becomes "Section ⟦bookmark⟧" once we know
  which heading it points at, so a renumbered reference is no edit.
- Heading numbers and list labels are automatic in our DOCX; a typed one
  ("7.4 ", "(c) ") is dropped before comparing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\t": " ",
        "\u2011": "-", "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
        "\u2026": "...",
    }
)
_SPACES = re.compile(r"\s+")
REFERENCE = re.compile(r"\b(Section|Article|paragraph|Schedule)\s(\d+(?:\.\d+)*)((?:\s|\u00a0)of\sSchedule\s\d+)?")
"""A typed or cached reference: its word, its number and, for a schedule
paragraph, the schedule it sits in."""
_HEADING_NUMBER = re.compile(r"^\s*(?:(?:Article|Section|Schedule)\s+)?\d+(?:\.\d+)*\.?(?:\s+|$)")
_LABEL = re.compile(r"^\s*(?:\((?:[a-z]{1,3}|[ivxlc]+|[A-Z]|\d{1,2})\)|[\u2022\u2013\-*])\s+")
MASK_OPEN, MASK_CLOSE = "\u27e6", "\u27e7"
_MASK = re.compile(f"{MASK_OPEN}[^{MASK_CLOSE}]*{MASK_CLOSE}")
_SCHEDULE_TAIL = re.compile(f"({MASK_OPEN}[^{MASK_CLOSE}]*{MASK_CLOSE})\\s+of\\s+Schedule\\s+\\d+")


def typography(text: str) -> str:
    """``text`` with quotes, spaces and hyphens in one plain form, trimmed."""
    return _SPACES.sub(" ", text.translate(_TYPOGRAPHY)).strip()


_INVISIBLE = str.maketrans({"\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u2011": "-", "\t": " "})
_BLANKS = re.compile(r"[ \r\n]+")


def readable(text: str) -> str:
    """``text`` as a reader sees it, for showing a change: invisible marks
    dropped and runs of spaces made one, but its quotes, no-break spaces and
    dashes kept (our text is typeset, so straightening theirs would show every
    apostrophe of a changed line as an edit)."""
    return _BLANKS.sub(" ", text.translate(_INVISIBLE)).strip()


_QUOTES_AND_SPACES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u202f": " "})


def quotes_and_spaces(text: str) -> str:
    """``text`` with curly quotes straight and non-breaking spaces plain: what
    a typographic pass over our own text changes."""
    return text.translate(_QUOTES_AND_SPACES)


def strip_heading_number(title: str) -> str:
    """A heading's text without a number typed in front of it."""
    return _HEADING_NUMBER.sub("", title, count=1)


def strip_label(text: str) -> str:
    """A list item's text without a label typed in front of it ("(c) ")."""
    return _LABEL.sub("", text, count=1)


def mask(number_bookmark: str) -> str:
    return f"{MASK_OPEN}{number_bookmark}{MASK_CLOSE}"


def generic(text: str) -> str:
    """A key for aligning paragraphs: typography normalised, every reference
    number (masked or typed) read as "#"."""
    text = _MASK.sub("#", typography(text))
    return REFERENCE.sub(lambda m: f"{m.group(1)} #", text)


@dataclass(frozen=True, slots=True)
class Span:
    """A reference inside a line of text: where its number is and the
    bookmark of the heading it points at."""

    start: int
    end: int
    bookmark: str


def mask_spans(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span replaced by its masked bookmark."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < last:
            continue
        out.append(text[last : span.start])
        out.append(mask(span.bookmark))
        last = span.end
    out.append(text[last:])
    return "".join(out)


def mask_theirs(text: str, fields: Iterable[Span], resolve: Callable[[str, str, str | None], str | None], allowed: set[str]) -> str:
    """Their text with reference numbers masked: a REF field by the bookmark
    it names; a typed (or flattened) reference by the heading their own
    numbering puts at that number, but only when our text refers to that
    heading too, so "Article 28 of the GDPR" stays words."""
    fields = sorted(fields, key=lambda s: s.start)
    spans = list(fields)
    for match in REFERENCE.finditer(text):
        if any(f.start < match.end() and match.start() < f.end for f in fields):
            continue
        bookmark = resolve(match.group(1), match.group(2), match.group(3))
        if bookmark is not None and bookmark in allowed:
            start = match.start(2) if match.group(1) != "Schedule" else match.start(1)
            spans.append(Span(start, match.end(), bookmark))
    masked = mask_spans(text, spans)
    return _SCHEDULE_TAIL.sub(r"\1", masked)


def words(text: str) -> list[str]:
    """Word and punctuation tokens of a normalised text."""
    return re.findall(rf"{MASK_OPEN}[^{MASK_CLOSE}]*{MASK_CLOSE}|\w+(?:['\-]\w+)*|[^\w\s]", text)


def similarity(a: str, b: str) -> float:
    """0..1: how much of two texts is the same words, in order."""
    left, right = words(a), words(b)
    if not left and not right:
        return 1.0
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    return matcher.ratio()


def bag_similarity(a: str, b: str) -> float:
    """A fast upper bound of :func:`similarity` on word multisets (for
    choosing candidates before the ordered comparison)."""
    left, right = words(a), words(b)
    if not left and not right:
        return 1.0
    counts: dict[str, int] = {}
    for word in left:
        counts[word] = counts.get(word, 0) + 1
    common = 0
    for word in right:
        if counts.get(word, 0) > 0:
            counts[word] -= 1
            common += 1
    return 2 * common / (len(left) + len(right))
