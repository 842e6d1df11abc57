"""Hand-built document trees for the HTML and PDF writer tests.

The trees look like what the pipeline produces (numbers, bookmarks, reference
text and contents already computed) without needing the clause library.
"""

from __future__ import annotations

from dataclasses import replace

from assembler.assembly.tree import (
    Article,
    Blank,
    Block,
    Build,
    Cell,
    DealInfo,
    Definition,
    Document,
    Emphasis,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    PartyInfo,
    Ref,
    Schedule,
    Section,
    Strong,
    Table,
    TermUse,
    Text,
    TocEntry,
)

FILLER = (
    "Each Party shall perform its obligations under the Research Plan diligently, in a good "
    "scientific manner and in compliance with all applicable laws, and shall keep the other "
    "Party informed of the progress of the work through the committee meetings. "
)

PARTIES = (
    PartyInfo(
        role="pharma",
        legal_name="Nordhaven Pharmaceuticals AG",
        short_name="Nordhaven",
        entity_type="a company incorporated under the laws of Switzerland",
        address="Rheinweg 12, 4058 Basel, Switzerland",
        signatory_name="Dr Anna Keller",
        signatory_title="Head of Business Development",
    ),
    PartyInfo(
        role="partner",
        legal_name="Helixa Bio Ltd",
        short_name="Helixa",
        entity_type="a company incorporated in England and Wales",
        address="40 Station Road, Cambridge CB1 2JH, United Kingdom",
    ),
)


def _p(*inlines: Inline | str) -> Paragraph:
    return Paragraph(tuple(Text(i) if isinstance(i, str) else i for i in inlines))


def section_ref(clause_id: str, number: str, suffix: str = "", document: str = "agreement",
                external: bool = False) -> Ref:
    return Ref(clause_id, document, "section", "Section ", number, suffix, external)


def _table(rows: int) -> Table:
    header = ((Cell((Text("Milestone event"),)), Cell((Text("Amount (USD)"),), "right")),)
    body = tuple(
        (Cell((Text(f"Milestone event number {i + 1}"),)), Cell((Text(f"{(i + 1) * 250_000:,}"),),
                                                                 "right"))
        for i in range(rows)
    )
    total = sum((i + 1) * 250_000 for i in range(rows))
    footer = ((Cell((Strong((Text("Total"),)),)), Cell((Text(f"{total:,}"),), "right")),)
    return Table(header, body, footer)


def _sub_list() -> ListBlock:
    nested = ListBlock(True, 2, (
        ListItem("(i)", (_p("the first nested condition;"),)),
        ListItem("(ii)", (_p("the second nested condition."),)),
    ))
    return ListBlock(True, 1, (
        ListItem("(a)", (_p("the receiving Party already knew it;"),)),
        ListItem("(b)", (_p("it is or becomes public; or"), nested)),
        ListItem("(c)", (_p("it is independently developed."),)),
    ))


def sample_agreement(
    articles: int = 6, sections_per_article: int = 4, paragraphs: int = 2, table_rows: int = 6,
    extra_text: str = "",
) -> Document:
    """An agreement: definitions, numbered articles, refs, lists, a table, schedules."""
    parts: list[Article] = []
    defs = Section(
        clause_id="defs.definitions", number="1.1", title="Definitions",
        blocks=(_p("In this Agreement:"),),
        definitions=(
            Definition("Arising IP", (Text("all Intellectual Property first made under the "
                                           "Research Plan;"),), "ip.arising"),
            Definition("JSC", (Text("the joint steering committee established under "),
                               section_ref("governance.jsc", "3.1"), Text(";")), "governance.jsc"),
        ),
        bookmark="sec-defs-definitions",
    )
    parts.append(Article("definitions", "1", "Definitions and Interpretation", (defs,),
                         bookmark="art-definitions"))
    for a in range(2, articles + 1):
        sections: list[Section] = []
        for s in range(1, sections_per_article + 1):
            clause_id = f"art{a}.clause{s}"
            blocks: list[Block] = [
                _p(f"Clause {a}.{s} text. ", FILLER * paragraphs, "See ",
                   section_ref(f"art{max(2, a - 1)}.clause1", f"{max(2, a - 1)}.1"), ".")
            ]
            if s == 2:
                blocks.append(_p("Confidential Information excludes information that:"))
                blocks.append(_sub_list())
            if s == 3:
                blocks.append(_p("The ", TermUse("JSC", "JSC"), " shall meet within ",
                                 Blank("meeting_days"), " after the ",
                                 Emphasis((Text("Effective Date"),)), "."))
            if a == 3 and s == 4 and table_rows:
                blocks.append(_p("The milestone payments are:"))
                blocks.append(_table(table_rows))
            if a == 2 and s == 1 and extra_text:
                blocks.append(_p(extra_text))
            sections.append(Section(
                clause_id=clause_id, number=f"{a}.{s}", title=f"Heading {a}.{s}",
                blocks=tuple(blocks), bookmark=f"sec-{clause_id.replace('.', '-')}",
            ))
        if a == 3:
            sections[0] = replace(sections[0], clause_id="governance.jsc",
                                  bookmark="sec-governance-jsc")
        parts.append(Article(f"article{a}", str(a), f"Article Title {a}", tuple(sections),
                             bookmark=f"art-{a}"))
    # An article-level clause: the whole article is one clause.
    n = articles + 1
    parts.append(Article(
        "governing_law", str(n), "Governing Law", (),
        blocks=(_p("This Agreement is governed by the laws of England and Wales."),),
        clause_id="boilerplate.governing_law", bookmark="art-governing-law",
    ))
    schedules = (
        Schedule("research_plan", "1", "Research Plan", (
            Section("schedule.research_plan.scope", "1", "Scope", (_p(FILLER),),
                    bookmark="sch-1-scope"),
            Section("schedule.research_plan.budget", "2", "Budget", (_p(FILLER),),
                    bookmark="sch-1-budget"),
        ), bookmark="sch-research-plan"),
        Schedule("milestones", "2", "Milestone Payments", (),
                 blocks=(_table(4),), clause_id="schedule.milestones",
                 bookmark="sch-milestones"),
    )
    preamble = (
        Section("front.parties", "", "Parties", (
            _p("This Research Collaboration Agreement is made between ",
               Strong((Text("Nordhaven Pharmaceuticals AG"),)), " and ",
               Strong((Text("Helixa Bio Ltd"),)), "."),
        ), bookmark="front-parties"),
        Section("front.background", "", "Background", (_sub_list(),), bookmark="front-background"),
    )
    document = Document(
        id="agreement", title="Research Collaboration Agreement", kind="agreement",
        ref_name="the Agreement", preamble=preamble, articles=tuple(parts),
        schedules=schedules, signature=True,
    )
    return replace(document, toc=make_toc(document))


def sample_plan() -> Document:
    """A governance plan referring back to the agreement (an external ref)."""
    article = Article("jsc", "1", "Joint Steering Committee", (
        Section("plan.jsc.role", "1.1", "Role", (
            _p("The JSC oversees the research under ",
               section_ref("art2.clause1", "2.1", " of the Agreement", external=True), "."),
            _p("Members are listed in ", Ref("plan.jsc.members", "jsc-charter", "section",
                                             "Section ", "1.2", "", False), "."),
        ), bookmark="sec-plan-jsc-role"),
        Section("plan.jsc.members", "1.2", "Members", (
            Table(((Cell((Text("Member"),)), Cell((Text("Party"),))),),
                  ((Cell((Text("Chair"),)), Cell((Text("Nordhaven"),))),)),
        ), bookmark="sec-plan-jsc-members"),
    ), bookmark="art-jsc")
    document = Document(
        id="jsc-charter", title="Joint Steering Committee Charter", kind="plan",
        ref_name="the JSC Charter", preamble=(), articles=(article,), schedules=(),
        signature=False,
    )
    return replace(document, toc=make_toc(document))


def make_toc(document: Document) -> tuple[TocEntry, ...]:
    entries: list[TocEntry] = []
    for article in document.articles:
        entries.append(TocEntry(1, article.number, article.title, article.bookmark))
        for section in article.sections:
            entries.append(TocEntry(2, section.number, section.title, section.bookmark))
    for schedule in document.schedules:
        entries.append(TocEntry(1, f"Schedule {schedule.number}", schedule.title,
                                schedule.bookmark))
    return tuple(entries)


SAMPLE_LOCK = {
    "format": 1,
    "tool_version": "0.1.0",
    "clauses": [{"id": "art2.clause1", "version": "1.0.0", "position": "balanced",
                 "sha256": "0" * 64}],
}


def sample_deal(**changes: object) -> DealInfo:
    deal = DealInfo(
        deal_type="research_collaboration", deal_type_name="Research Collaboration",
        stance="balanced", parties=PARTIES, date="2026-11-23", date_text="23 November 2026",
        governing_law="england_wales", draft_version="0.3",
        confidentiality_marking="DRAFT — Confidential",
    )
    return replace(deal, **changes)  # type: ignore[arg-type]


def sample_build(*, documents: tuple[Document, ...] | None = None, **deal_changes: object) -> Build:
    """A two-document build (agreement and JSC charter) with a lock."""
    if documents is None:
        documents = (sample_agreement(), sample_plan())
    return Build(deal=sample_deal(**deal_changes), documents=documents, lock=dict(SAMPLE_LOCK),
                 blanks=("meeting_days",))


# --- reading PDFs back ---------------------------------------------------------


def pdf_raw_page_texts(data: bytes) -> list[str]:
    """The text of every page as pypdf extracts it (lines kept)."""
    import io

    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def collapse(texts: list[str]) -> list[str]:
    """Page texts with every run of whitespace made a single space."""
    import re

    return [re.sub(r"\s+", " ", text) for text in texts]


def pdf_page_texts(data: bytes) -> list[str]:
    """The text of every page, whitespace collapsed to single spaces."""
    return collapse(pdf_raw_page_texts(data))


def pdf_stream_bytes(data: bytes) -> bytes:
    """Every stream of the PDF, decompressed and concatenated (for leak checks)."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    reader = PdfReader(io.BytesIO(data))
    chunks: list[bytes] = []
    size = int(reader.trailer["/Size"])
    for number in range(1, size):
        try:
            obj = reader.get_object(number)
        except Exception:  # free or missing object numbers
            continue
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
    return b"\n".join(chunks)
