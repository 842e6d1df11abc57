"""Compare the lines of one clause: ours (from the build) against theirs
(from the returned DOCX or PDF).

Lines are aligned by their words with every reference number read alike,
then each pair is compared with reference numbers masked by the heading they
point at: a reference renumbered by an inserted article is equal, a
reference they pointed somewhere else is an edit. Table rows are compared
cell by cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .docx_read import Para
from .textnorm import Span, generic, mask_theirs, quotes_and_spaces, readable, similarity, strip_label, typography
from .units import Line

Resolver = Callable[[str, str, str | None], str | None]
PAIR_THRESHOLD = 0.4
_ROMAN = {"(ii)", "(iii)", "(iv)", "(vi)", "(vii)", "(viii)", "(ix)"}
"""Typed labels that can only be a second-level item ("(i)", "(v)" and "(x)"
are letters too)."""


@dataclass(slots=True)
class TheirLine:
    """A paragraph, list item, table row or definition of their copy."""

    kind: str
    text: str
    """What it reads (a typed list label dropped)."""
    fields: list[Span] = field(default_factory=list)
    depth: int = 0
    bullet: bool = False
    cells: list[str] | None = None
    header: bool = False
    table: int = -1
    tracked: bool = False
    formatted: bool = False
    display: str = ""
    """``text`` with each reference that points where ours does shown with
    our number (set when compared)."""


def their_line(para: Para) -> TheirLine:
    kinds = {"list": "li", "row": "row", "definition": "def"}
    kind = kinds.get(para.kind, "p")
    text, fields = para.text, list(para.fields)
    depth, bullet = para.depth, para.bullet
    if kind != "row":
        stripped = strip_label(text)
        cut = len(text) - len(stripped)
        if cut and (kind == "li" or para.kind == "body"):
            if kind == "p":  # a label typed in front of a paragraph makes it read as a list item
                label = text[:cut].strip()
                kind, bullet = "li", not label.startswith("(")
                depth = 2 if label in _ROMAN else 1
            text = stripped
            fields = [Span(f.start - cut, f.end - cut, f.bookmark) for f in fields if f.start >= cut]
    return TheirLine(kind, text, fields, depth, bullet, para.cells, para.header, para.table, para.tracked, para.formatted, text)


@dataclass(slots=True)
class LinePair:
    """Our line and theirs at the same place; either may be missing."""

    ours: Line | None
    theirs: TheirLine | None
    equal: bool = False
    formatting: bool = False
    renumbered: bool = False
    cells: list[str] = field(default_factory=list)
    """A changed table row: "column Payment: USD 1,000,000 → USD 1,500,000"."""


def _key(text: str) -> str:
    return generic(strip_label(text))


def _pair_block(ours: list[Line], theirs: list[TheirLine]) -> list[tuple[int | None, int | None]]:
    """Pair the lines of a changed stretch in order, most similar first (a
    small dynamic programme); lines left over were deleted or inserted."""
    n, m = len(ours), len(theirs)
    if n * m > 4000:  # a long rewrite: pair in order
        pairs: list[tuple[int | None, int | None]] = [(i, i) for i in range(min(n, m))]
        pairs += [(i, None) for i in range(m, n)] + [(None, j) for j in range(n, m)]
        return pairs
    score = [[similarity(_key(o.text), _key(t.text)) for t in theirs] for o in ours]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = score[i][j] + best[i + 1][j + 1] if score[i][j] >= PAIR_THRESHOLD else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] >= PAIR_THRESHOLD and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((i, None))
            i += 1
        else:
            out.append((None, j))
            j += 1
    out += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return out


def align(ours: list[Line], theirs: list[TheirLine]) -> list[tuple[Line | None, TheirLine | None]]:
    """Our lines and theirs side by side, in reading order."""
    matcher = SequenceMatcher(None, [_key(o.text) for o in ours], [_key(t.text) for t in theirs], autojunk=False)
    pairs: list[tuple[Line | None, TheirLine | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(ours[i1 + k], theirs[j1 + k]) for k in range(i2 - i1)]
        else:
            for a, b in _pair_block(ours[i1:i2], theirs[j1:j2]):
                pairs.append((ours[i1 + a] if a is not None else None, theirs[j1 + b] if b is not None else None))
    return pairs


def _display(shown: str, masked: str, ours: Line, numbers: dict[str, str]) -> str:
    """Their line (``shown``: with references masked, in their own typography)
    with references that point where ours do shown with our numbers, so a word
    diff shows only what they changed."""
    if masked == typography(strip_label(ours.masked)):
        return ours.text
    out = readable(shown)
    for span in ours.spans:
        out = out.replace(f"\u27e6{span.bookmark}\u27e7", ours.text[span.start : span.end])
    for name, number in numbers.items():
        out = out.replace(f"\u27e6{name}\u27e7", number)
    return out


def compare(ours: Line | None, theirs: TheirLine | None, resolve: Resolver, numbers: dict[str, str], headers: tuple[str, ...] = ()) -> LinePair:
    """Whether two aligned lines say the same thing."""
    pair = LinePair(ours, theirs)
    if ours is None or theirs is None:
        return pair
    allowed = {span.bookmark for span in ours.spans}
    shown = mask_theirs(theirs.text, theirs.fields, resolve, allowed)
    masked = typography(shown)
    mine = typography(strip_label(ours.masked))
    pair.equal = masked == mine
    theirs.display = _display(shown, masked, ours, numbers)
    if pair.equal:
        pair.renumbered = typography(theirs.text) != typography(ours.text)
        # quotes and non-breaking spaces are what a typographic pass changes:
        # differing in those alone is not even formatting
        raw_same = quotes_and_spaces(theirs.text) == quotes_and_spaces(ours.text)
        pair.formatting = theirs.formatted or (not raw_same and not pair.renumbered)
    elif ours.cells is not None and theirs.cells is not None:
        for index in range(max(len(ours.cells), len(theirs.cells))):
            old = ours.cells[index] if index < len(ours.cells) else ""
            new = theirs.cells[index] if index < len(theirs.cells) else ""
            if typography(old) != typography(new):
                name = headers[index] if index < len(headers) and headers[index] else f"column {index + 1}"
                row = ours.cells[0] if ours.cells and ours.cells[0] else "row"
                pair.cells.append(f"{row}: {name}: {old} \u2192 {new}")
    return pair
