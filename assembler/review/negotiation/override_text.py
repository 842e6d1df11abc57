"""Write their text of a clause in the library's text dialect, so that a
deal file can carry it as an override and the next build reads exactly as
their copy.

Where their words are ours, our own markup is kept: a defined term stays a
``term()``, a reference a ``ref()`` (so it follows renumbering), emphasis
stays emphasis. Their own words are escaped (Markdown and Jinja), and a
reference they typed to a heading of the document becomes a ``ref()``.
Paragraphs, list items (lettered, nested) and tables keep their shape.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from assembler.assembly.tree import Blank, Emphasis, Inline, Ref, Strong, TermUse, Text
from assembler.assembly.typography import typeset

from ..worddiff import tokenize
from .compare import Resolver, TheirLine, align
from .textnorm import REFERENCE
from .units import Line, OurDocument

Atom = tuple[str, str, str]
"""(the text it reads, the dialect that writes it, the target of a reference)."""


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


_MARKUP = re.compile(r"([\\`*_\[\]<>|&])")
_LEADING = re.compile(r"^([#+\-]|\d+(?=[.)]))")


def literal(text: str) -> str:
    """Their words as dialect text that renders as exactly these words: the
    Markdown marks and Jinja's braces escaped."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split("\n"))).replace("{", "{{ '{' }}")


def _guard(text: str) -> str:
    """A paragraph's text that cannot open a heading, a list or a code block."""
    text = text.lstrip()
    found = _LEADING.match(text)
    if not found:
        return text
    mark = found.group(1)
    if mark[0].isdigit():
        return mark + "\\" + text[len(mark):]
    return "\\" + text


def _atoms(inlines: tuple[Inline, ...]) -> list[Atom]:
    atoms: list[Atom] = []
    for node in inlines:
        if isinstance(node, Text):
            atoms += [(token, literal(token), "") for token in tokenize(node.text)]
        elif isinstance(node, TermUse):
            # the term as the typographic pass shows it ("Customer’s Data") is the term itself
            shown = "" if node.text in (node.term, typeset(node.term)) else f", {_quote(node.text)}"
            atoms.append((node.text, f"{{{{ term({_quote(node.term)}{shown}) }}}}", ""))
        elif isinstance(node, Ref):
            atoms.append((node.text, f"{{{{ ref({_quote(node.target)}) }}}}", "" if node.external else node.target))
        elif isinstance(node, Blank):
            atoms.append(("[\u25cf]", literal("[\u25cf]"), ""))
        elif isinstance(node, (Emphasis, Strong)):
            mark = "*" if isinstance(node, Emphasis) else "**"
            inner = _atoms(node.children)
            text = "".join(a[0] for a in inner)
            markup = f"{mark}{''.join(a[1] for a in inner).strip()}{mark}" + (" " if text.endswith(" ") else "")
            atoms.append((text, markup, next((a[2] for a in inner if a[2]), "")))
    return atoms


class Writer:
    """Rewrites their lines of one document's clauses."""

    def __init__(self, ours: OurDocument, resolve: Resolver) -> None:
        self.targets = ours.targets
        self.by_bookmark = {bookmark: target for target, bookmark in reversed(list(ours.targets.items()))}
        self.schedule_titles = {u.bookmark: u.title for u in ours.units if u.kind == "schedule"}
        self.resolve = resolve

    def refers(self, line: TheirLine) -> set[str]:
        """The headings their line refers to: by its REF fields and, for a
        typed reference, by their own numbering."""
        found = {span.bookmark for span in line.fields}
        for match in REFERENCE.finditer(line.text):
            bookmark = self.resolve(match.group(1), match.group(2), match.group(3))
            if bookmark:
                found.add(bookmark)
        return found

    def _typed(self, text: str) -> str:
        """Their own words, with a typed reference to a heading made a ``ref()``."""
        out, last = [], 0
        for match in REFERENCE.finditer(text):
            bookmark = self.resolve(match.group(1), match.group(2), match.group(3)) or ""
            target = self.by_bookmark.get(bookmark)
            end = match.end()
            if match.group(1) == "Schedule":  # ref() writes "Schedule 2 (Title)": only convert the whole of it
                title = f" ({self.schedule_titles.get(bookmark, '')})"
                end = end + len(title) if text.startswith(title, end) else -1
            if target is None or end < 0:
                continue
            out.append(literal(text[last : match.start()]))
            out.append(f"{{{{ ref({_quote(target)}) }}}}")
            last = end
        out.append(literal(text[last:]))
        return "".join(out)

    def inline(self, text: str, inlines: tuple[Inline, ...] | None, refers: set[str] | None = None) -> str:
        """Their text of one paragraph or cell, keeping our markup where the
        words are ours (a reference only where theirs points at the same heading)."""
        if not inlines:
            return self._typed(text)
        atoms = [a if not a[2] or refers is None or self.targets.get(a[2]) in refers else (a[0], literal(a[0]), "")
                 for a in _atoms(inlines)]
        terms = [a[0].strip() for a in atoms if a[1].startswith("{{")]
        theirs = tokenize(text, terms)
        ours_text = [a[0] for a in atoms]
        if "".join(ours_text) == text:
            return "".join(a[1] for a in atoms)
        # align on the words as they read; keep our markup where equal
        left = [a.strip() for a in ours_text]
        right = [t.strip() for t in theirs]
        out: list[str] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    markup, space = atoms[i1 + k][1].rstrip(), theirs[j1 + k][len(theirs[j1 + k].rstrip()):]
                    out.append(markup + space)
            else:
                out.append(self._typed("".join(theirs[j1:j2])))
        return "".join(out)

    def clause(self, theirs: list[TheirLine], ours: tuple[Line, ...]) -> str:
        """Their lines of a clause as dialect text."""
        paired = {id(t): o for o, t in align(list(ours), theirs) if t is not None}
        blocks: list[str] = []
        listing: list[str] = []
        table: list[str] = []
        counters: dict[int, int] = {}

        def flush() -> None:
            if listing:
                blocks.append("\n".join(listing))
                listing.clear()
            if table:
                blocks.append("\n".join(table))
                table.clear()

        for line in theirs:
            mine = paired.get(id(line))
            if line.kind == "row":
                if listing:
                    flush()
                cells = line.cells or [line.text]
                cell_inlines = mine.inlines if mine is not None and mine.kind == "row" and len(mine.inlines) == len(cells) else ()
                refers = self.refers(line)
                row = [self.inline(cell, cell_inlines[k] if cell_inlines else None, refers) for k, cell in enumerate(cells)]
                if not table:
                    table.append("| " + " | ".join(row) + " |")
                    table.append("|" + "|".join("---" for _ in cells) + "|")
                else:
                    table.append("| " + " | ".join(row) + " |")
                continue
            if table:
                flush()
            inlines = mine.inlines[0] if mine is not None and mine.inlines and mine.kind != "row" else None
            text = _guard(self.inline(line.text, inlines, self.refers(line)))
            if line.kind == "li":
                depth = max(1, min(line.depth, 2))
                counters[depth] = counters.get(depth, 0) + 1
                for deeper in [d for d in counters if d > depth]:
                    del counters[deeper]
                marker = "-" if line.bullet else "1."
                listing.append(("   " * (depth - 1)) + f"{marker} {text}")
                continue
            flush()
            counters.clear()
            blocks.append(text)
        flush()
        return "\n\n".join(blocks) + "\n"
