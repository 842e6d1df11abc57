"""The document tree: structure only, never formatting.

Build → Document → Article / Schedule → Section → Block → Inline.

Every node that came from a clause carries its clause id. Numbers, reference
text and the definitions list are decided once, on the tree, before any writer
runs; writers only lay the tree out (see ``assemble.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# --- inline nodes -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """Plain running text."""

    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Italic text (Markdown ``*x*``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Bold text (Markdown ``**x**``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class TermUse:
    """A use of a defined term, from ``{{ term('Arising IP') }}``.

    ``term`` is the defined term as defined; ``text`` is what is shown (the
    same, or a form such as a plural that the clause asked for).
    """

    term: str
    text: str


@dataclass(frozen=True, slots=True)
class Ref:
    """A resolved cross-reference, from ``{{ ref('ip.ownership.arising') }}``.

    ``text`` is the whole reference as it reads ("Section 7.2 of the
    Agreement"); it is always ``prefix + number + suffix``. Writers that can
    make a live field put the field around ``number`` only.
    """

    target: str
    """Clause id (or article / schedule id) referred to."""
    document: str
    """Id of the document that holds the target."""
    kind: Literal["article", "section", "schedule", "schedule_section"]
    prefix: str
    """Words before the number: "Section ", "Article ", "paragraph "."""
    number: str
    """The number the tree computed: "7.2", "7", "Schedule 2", "3"."""
    suffix: str
    """Words after the number: "", " of the Agreement", " of Schedule 2"."""
    external: bool
    """True when the target lies in another document of the build."""
    items: tuple[tuple[str, str], ...] = ()
    """A reference to a list item of the clause, ``ref('id', item='late')``:
    (label, bookmark) from the outer list down ("(b)", then "(ii)"). Writers
    that make live fields put one around each label."""

    @property
    def text(self) -> str:
        return f"{self.prefix}{self.number}{''.join(label for label, _ in self.items)}{self.suffix}"


@dataclass(frozen=True, slots=True)
class Blank:
    """A business term the deal left empty; renders as ``[●]``."""

    variable: str


BLANK_MARK = "[●]"


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink to a web page or an email address, from ``[text](url)``."""

    url: str
    """``https://…``, ``http://…`` or ``mailto:…``; nothing else is a link."""
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote, from ``[^name]`` and its ``[^name]: text`` (or ``^[text]``).

    It stands where its reference mark goes; writers number the footnotes of
    a document in order (real footnotes in DOCX and PDF).
    """

    children: tuple[Inline, ...]


Inline = Text | Emphasis | Strong | TermUse | Ref | Blank | Link | Footnote

# --- block nodes ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a numbered sub-list.

    ``label`` is the computed label, "(a)" at depth 1 and "(i)" at depth 2;
    empty for bullet items.
    """

    label: str
    blocks: tuple[Block, ...]
    anchor: str = ""
    """The item's name for references (``1. [#late] …`` in clause text)."""
    bookmark: str = ""
    """A name for anchors and Word bookmarks, unique in the document (anchored items only)."""


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A sub-list. ``ordered`` lists are lettered (a), (b) then (i), (ii).

    ``depth`` is 1 for a list directly in a clause and 2 for a list nested in
    a list item.
    """

    ordered: bool
    depth: int
    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: inline content and its alignment."""

    inlines: tuple[Inline, ...]
    align: Literal["left", "center", "right"] = "left"


@dataclass(frozen=True, slots=True)
class Table:
    """A table. ``header`` repeats on every page; ``footer`` rows are totals.

    A Markdown body row whose first cell is bold and reads "Total" becomes a
    footer row.
    """

    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    footer: tuple[tuple[Cell, ...], ...] = ()


Block = Paragraph | ListBlock | Table

# --- structural nodes ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Definition:
    """An entry of a definitions list: the term and its definition text.

    Writers show it as: “**Term**” means <inlines> — the inlines are the
    defining noun phrase and end with a full stop.
    """

    term: str
    inlines: tuple[Inline, ...]
    clause_id: str
    """Clause whose ``defines`` introduced the term."""
    aliases: tuple[str, ...] = ()
    """Other names of the term: “**Customer Data**” or “**Data**” means …"""
    verb: str = "means"
    """What joins the term to its definition: "means", "has the meaning given in"."""


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered clause: "7.2 Publication Review".

    ``definitions`` is non-empty only for the generated Definitions section,
    whose body is the list of defined terms used in the document.
    """

    clause_id: str
    number: str
    title: str
    blocks: tuple[Block, ...]
    version: str = ""
    position: str = ""
    notes: str = ""
    definitions: tuple[Definition, ...] = ()
    bookmark: str = ""
    """A name for anchors and Word bookmarks, unique in the document."""


@dataclass(frozen=True, slots=True)
class DocumentPart:
    """What an article and a schedule share.

    A part made of one clause (an article-level clause) puts its id in
    ``clause_id`` and its text in ``blocks``; otherwise ``blocks`` is empty
    and the part holds ``sections``.
    """

    id: str
    number: str
    title: str
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...] = ()
    clause_id: str = ""
    version: str = ""
    position: str = ""
    notes: str = ""
    bookmark: str = ""


@dataclass(frozen=True, slots=True)
class Article(DocumentPart):
    """A numbered article: "7. Intellectual Property"."""


@dataclass(frozen=True, slots=True)
class Schedule(DocumentPart):
    """A schedule (annex) of a document: "Schedule 2 (Milestone Payments)".

    ``number`` is the bare number ("2"); its sections are numbered "1", "2" …
    within the schedule.
    """


@dataclass(frozen=True, slots=True)
class PartyInfo:
    """A party as it appears on the cover page and in the signature blocks."""

    role: str
    legal_name: str
    short_name: str
    entity_type: str
    address: str
    signatory_name: str = ""
    signatory_title: str = ""
    label: str = ""
    """How the deal type names the role ("Customer"), where it declares one."""


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One line of a table of contents."""

    level: int
    """1 for articles and schedules, 2 for sections."""
    number: str
    """"7", "7.2" or "Schedule 2"."""
    title: str
    bookmark: str


@dataclass(frozen=True, slots=True)
class Document:
    """One output document of a deal: the agreement or a governance plan."""

    id: str
    """File stem: "agreement", "jsc-charter"."""
    title: str
    kind: Literal["agreement", "plan"]
    ref_name: str
    """How other documents name it in references: "the Agreement"."""
    preamble: tuple[Section, ...]
    """Unnumbered clauses before Article 1 (parties, background); ``number`` is ""."""
    articles: tuple[Article, ...]
    schedules: tuple[Schedule, ...]
    signature: bool
    """Whether the document ends with signature blocks for every party."""
    toc: tuple[TocEntry, ...] = ()
    key_terms: Table | None = None
    """The cover page's table of key terms (label, value), if the outline asks for one."""
    key_terms_heading: str = ""


@dataclass(frozen=True, slots=True)
class DealInfo:
    """Deal-level facts every writer may show (cover page, properties)."""

    deal_type: str
    deal_type_name: str
    stance: str
    parties: tuple[PartyInfo, ...]
    date: str
    """ISO date of the draft (from the deal), used for every output date."""
    date_text: str
    """The same date as it reads in the text: "1 December 2026"."""
    governing_law: str
    draft_version: str
    confidentiality_marking: str
    """Running header text, "DRAFT — Confidential" unless configured."""
    final: bool = False
    external: bool = False
    signing_lead_in: str = ""
    """The sentence before the signature blocks (from the deal type)."""


@dataclass(frozen=True, slots=True)
class Build:
    """The whole result of assembling one deal: every document, and the lock."""

    deal: DealInfo
    documents: tuple[Document, ...]
    lock: dict[str, Any] = field(default_factory=dict)
    blanks: tuple[str, ...] = ()
    """Variables rendered as ``[●]``, in order of first appearance."""

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)


__all__ = [
    "BLANK_MARK",
    "Article",
    "Blank",
    "Block",
    "Build",
    "Cell",
    "DealInfo",
    "Definition",
    "DocumentPart",
    "Document",
    "Emphasis",
    "Footnote",
    "Inline",
    "Link",
    "ListBlock",
    "ListItem",
    "Paragraph",
    "PartyInfo",
    "Ref",
    "Schedule",
    "Section",
    "Strong",
    "TermUse",
    "Text",
    "TocEntry",
]
