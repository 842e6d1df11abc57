"""Word-level diff of two clause texts, tokenised the way lawyers read.

Amounts ("USD 5,000,000"), number phrases ("sixty (60)"), percentages,
dates, references ("Section 7.2") and defined terms stay whole, so a change
is never shown as half a number or "Licens[-or-]{+ee+}". Deletions and
insertions separated only by whitespace are merged into one change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

Op = Literal["=", "-", "+"]
Segment = tuple[Op, str]

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million "
    "billion point percent and"
).split()
_NUMWORD = "(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# A space inside an amount or a reference may be a no-break space (the
# typographic pass ties "Section 7.2" and "USD 5,000,000").
_SP = "[ \u00a0]"
_FIXED = [
    rf"[A-Z]{{3}}{_SP}\d[\d,]*(?:\.\d+)?",  # USD 5,000,000
    rf"\b{_NUMWORD}(?:[ -]{_NUMWORD})*{_SP}\(\d[\d,]*(?:\.\d+)?%?\)",  # sixty (60), seven percent (7%)
    rf"\b\d{{1,2}}{_SP}(?:{_MONTHS}){_SP}\d{{4}}",  # 1 December 2026
    rf"\b(?:Section|Article|Schedule|paragraph|Clause){_SP}\d+(?:\.\d+)*(?:\([a-z]+\))*",  # Section 7.2
    r"\d[\d,]*(?:\.\d+)?%",  # 7.5%
    r"\[●\]",
]
_TAIL = [r"\w+(?:[’'\-]\w+)*", r"\s+", r"."]
_WORD_AND_SPACE = re.compile(r"\S+\s*|\s+")


@lru_cache(maxsize=64)
def _tokenizer(terms: tuple[str, ...]) -> re.Pattern[str]:
    parts = list(_FIXED)
    if terms:
        ordered = sorted(set(terms), key=len, reverse=True)
        parts.append(r"\b(?:" + "|".join(re.escape(t) for t in ordered) + r")(?:s|es)?\b")
    # each token carries the whitespace after it: fewer, rarer tokens for the matcher
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in [*parts, *_TAIL[:1], _TAIL[2]]) + r")\s*|\s+", re.S)


def tokenize(text: str, terms: Iterable[str] = ()) -> list[str]:
    """Split text into tokens that are never split further."""
    key = terms if isinstance(terms, tuple) else tuple(sorted(terms))
    return _tokenizer(key).findall(text)


def word_diff(old: str, new: str, terms: Iterable[str] = ()) -> list[Segment]:
    """Segments of equal, deleted and inserted text; joining the "=" and "-"
    segments gives ``old``, joining "=" and "+" gives ``new``.

    Lines are aligned first and only changed lines are diffed word by word;
    whitespace never anchors a match (it is everywhere), which keeps the
    matcher fast on long clauses.
    """
    terms = tuple(sorted(terms))
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    raw: list[tuple[str, str, str]] = []  # (tag, old text, new text)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        old_part, new_part = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal" or not old_part or not new_part:
            raw.append((op, old_part, new_part))
            continue
        a, b = tokenize(old_part, terms), tokenize(new_part, terms)
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        for sub, k1, k2, l1, l2 in matcher.get_opcodes():
            raw.append((sub, "".join(a[k1:k2]), "".join(b[l1:l2])))
    merged: list[tuple[str, str, str]] = []
    for tag, old_text, new_text in raw:
        # whitespace alone between two changes joins them into one change
        if merged and tag != "equal" and len(merged) >= 2 and merged[-1][0] == "equal" and not merged[-1][1].strip() and merged[-2][0] != "equal":
            space = merged.pop()[1]
            _, prev_old, prev_new = merged.pop()
            merged.append(("replace", prev_old + space + old_text, prev_new + space + new_text))
        elif merged and tag != "equal" and merged[-1][0] != "equal":
            _, prev_old, prev_new = merged.pop()
            merged.append(("replace", prev_old + old_text, prev_new + new_text))
        else:
            merged.append((tag, old_text, new_text))
    merged = _unglue(merged)
    segments: list[Segment] = []
    for tag, old_text, new_text in merged:
        if tag == "equal":
            segments.append(("=", old_text))
            continue
        if old_text:
            segments.append(("-", old_text))
        if new_text:
            segments.append(("+", new_text))
    return segments


def _unglue(parts: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Whitespace that ends both sides of a change belongs to the text after it."""
    out: list[tuple[str, str, str]] = []
    carry = ""
    for tag, old_text, new_text in parts:
        if carry:
            if tag == "equal":
                old_text, new_text = carry + old_text, carry + new_text
            else:
                out.append(("equal", carry, carry))
            carry = ""
        if tag != "equal" and old_text and new_text:
            tail_old = old_text[len(old_text.rstrip()):]
            tail_new = new_text[len(new_text.rstrip()):]
            common = tail_old if tail_old == tail_new else ""
            if common and old_text.strip() and new_text.strip():
                old_text, new_text, carry = old_text[: -len(common)], new_text[: -len(common)], common
        out.append((tag, old_text, new_text))
    if carry:
        out.append(("equal", carry, carry))
    return out


def side(segments: list[Segment], which: Literal["old", "new"]) -> str:
    """Rebuild one side's text from segments."""
    skip = "+" if which == "old" else "-"
    return "".join(text for op, text in segments if op != skip)


def plain_markup(segments: list[Segment]) -> str:
    """``[-old-]{+new+}`` markup, as ``git diff --word-diff=plain``."""
    out = []
    for op, text in segments:
        out.append(text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return "".join(out)


def changed_lines(segments: list[Segment]) -> list[str]:
    """The lines of a diff that hold a change, in ``[-old-]{+new+}`` markup."""
    lines: list[list[Segment]] = [[]]
    for op, text in segments:
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if piece:
                lines[-1].append((op, piece))
    return [plain_markup(line) for line in lines if any(op != "=" for op, _ in line)]
