"""A hand-built deal tree for the DOCX writer's tests: every kind of node.

Two documents (an agreement and a JSC charter that refers back to it), three
articles and an article-level clause, nested sub-lists, definitions, a table
with a total row, internal and external references, drafting notes, two
schedules, three parties.
"""

from __future__ import annotations

from dataclasses import replace

from assembler.assembly.tree import (
    Article,
    Blank,
    Build,
    Cell,
    DealInfo,
    Definition,
    Document,
    Emphasis,
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


def t(text: str) -> Text:
    return Text(text)


def para(*inlines: object) -> Paragraph:
    return Paragraph(tuple(i if not isinstance(i, str) else Text(i) for i in inlines))  # type: ignore[misc]


def ref(target: str, number: str, kind: str = "section", prefix: str = "Section ", suffix: str = "",
        document: str = "agreement", external: bool = False) -> Ref:
    return Ref(target=target, document=document, kind=kind, prefix=prefix, number=number,  # type: ignore[arg-type]
               suffix=suffix, external=external)


PARTIES = (
    PartyInfo("pharma", "Nordhaven Pharmaceuticals AG", "Nordhaven", "a company incorporated in Switzerland",
              "Rheinweg 12, 4058 Basel", "Dr Anna Keller", "Chief Business Officer"),
    PartyInfo("partner", "Helixa Bio Ltd", "Helixa", "a company incorporated in England and Wales",
              "40 Station Road, Cambridge"),
    PartyInfo("academic", "University of Eastmere", "Eastmere", "a university", "1 College Lane, Eastmere"),
)

DEAL = DealInfo(
    deal_type="research_collaboration", deal_type_name="Research Collaboration", stance="balanced",
    parties=PARTIES, date="2026-11-23", date_text="23 November 2026", governing_law="england_wales",
    draft_version="3", confidentiality_marking="DRAFT \u2014 Confidential",
)

DEFS = Section(
    clause_id="defs.definitions", number="1.1", title="Definitions",
    blocks=(para("In this Agreement:"),),
    definitions=(
        Definition("Arising IP", (t("all Intellectual Property first made under the Research Plan."),), "ip.arising"),
        Definition("JSC", (t("the joint steering committee established under "),
                           ref("governance.jsc.establish", "2.1"), t(".")), "governance.jsc.establish"),
        Definition("Business Day", (t("a day on which banks are open in London."),), "defs.bd"),
    ),
    bookmark="defs_definitions",
)

INTERPRETATION = Section(
    clause_id="defs.interpretation", number="1.2", title="Interpretation",
    blocks=(para("References to ", ref("ip.ownership.arising", "3.2"), " include its sub-clauses."),),
    bookmark="defs_interpretation",
)

JSC = Section(
    clause_id="governance.jsc.establish", number="2.1", title="Establishment of the JSC",
    blocks=(
        para("The Parties shall establish the ", TermUse("JSC", "JSC"), " within ", Blank("jsc_days"), " days."),
        ListBlock(True, 1, (
            ListItem("(a)", (para("to oversee the ", Emphasis((t("Research Plan"),)), ";"),)),
            ListItem("(b)", (
                para("to resolve disputes, including:"),
                ListBlock(True, 2, (
                    ListItem("(i)", (para("scientific disputes; and"),)),
                    ListItem("(ii)", (para("budget disputes;"),)),
                )),
                para("each as set out in ", ref("schedule.milestones", "Schedule 2", "schedule", "",
                                                " (Milestone Payments)"), "; and"),
            )),
            ListItem("(c)", (para("to approve publications under ", ref("ip.ownership.arising", "3.2"), "."),)),
        )),
    ),
    notes="Academic partners rarely accept a casting vote for the chair.\n\nOffer co-chairs instead.",
    bookmark="governance_jsc_establish",
)

MEETINGS = Section(
    clause_id="governance.jsc.meetings", number="2.2", title="Meetings",
    blocks=(
        para("The JSC meets quarterly. ", Strong((t("Minutes"),)), " are kept."),
        ListBlock(True, 1, (
            ListItem("(a)", (para("first item of a second list;"),)),
            ListItem("(b)", (para("second item."),)),
        )),
        ListBlock(False, 1, (ListItem("", (para("a bullet"),)), ListItem("", (para("another bullet"),)))),
    ),
    bookmark="governance_jsc_meetings",
)

OWNERSHIP = Section(
    clause_id="ip.ownership.background", number="3.1", title="Background IP",
    blocks=(para("Each Party keeps its Background IP."),),
    bookmark="ip_ownership_background",
)
ARISING = Section(
    clause_id="ip.ownership.arising", number="3.2", title="Arising IP",
    blocks=(para("Arising IP is owned jointly, subject to ", ref("governance.jsc.meetings", "2.2"),
                 " and ", ref("boilerplate.law", "4", "article", "Article "), "."),),
    position="balanced", version="1.2.0",
    bookmark="ip_ownership_arising",
)

MILESTONE_TABLE = Table(
    header=((Cell((t("Milestone"),)), Cell((t("Amount (USD)"),), "right")),),
    rows=(
        (Cell((t("First patient dosed in a Phase 1 trial"),)), Cell((t("1,000,000"),), "right")),
        (Cell((t("Phase 2 start"),)), Cell((t("4,000,000"),), "right")),
    ),
    footer=((Cell((Strong((t("Total"),)),)), Cell((t("5,000,000"),), "right")),),
)

AGREEMENT = Document(
    id="agreement", title="Research Collaboration Agreement", kind="agreement", ref_name="the Agreement",
    preamble=(
        Section("front.parties", "", "Parties", (para("This Agreement is made on ", Blank("effective_date"),
                                                       " between the Parties."),), bookmark="front_parties"),
        Section("front.background", "", "", (para("The Parties wish to collaborate."),),
                notes="Keep the background short.", bookmark="front_background"),
    ),
    articles=(
        Article("definitions", "1", "Definitions and Interpretation", (DEFS, INTERPRETATION), bookmark="art_definitions"),
        Article("governance", "2", "Governance", (JSC, MEETINGS), bookmark="art_governance",
                notes="Governance notes for the whole article."),
        Article("ip", "3", "Intellectual Property", (OWNERSHIP, ARISING), bookmark="art_ip"),
        Article("law", "4", "Governing Law", (), blocks=(para("This Agreement is governed by English law."),),
                clause_id="boilerplate.law", bookmark="boilerplate_law"),
    ),
    schedules=(
        Schedule("research_plan", "1", "Research Plan", (
            Section("schedule.research_plan.scope", "1", "Scope", (para("The research covers discovery."),),
                    bookmark="schedule_research_plan_scope"),
            Section("schedule.research_plan.budget", "2", "Budget",
                    (para("As approved under ", ref("schedule.research_plan.scope", "1", "schedule_section",
                                                    "paragraph ", " of Schedule 1"), "."),),
                    bookmark="schedule_research_plan_budget"),
        ), bookmark="schedule_research_plan"),
        Schedule("milestones", "2", "Milestone Payments", (), blocks=(MILESTONE_TABLE,),
                 clause_id="schedule.milestones", bookmark="schedule_milestones"),
    ),
    signature=True,
    toc=(
        TocEntry(1, "1", "Definitions and Interpretation", "art_definitions"),
        TocEntry(2, "1.1", "Definitions", "defs_definitions"),
        TocEntry(2, "1.2", "Interpretation", "defs_interpretation"),
        TocEntry(1, "2", "Governance", "art_governance"),
        TocEntry(2, "2.1", "Establishment of the JSC", "governance_jsc_establish"),
        TocEntry(2, "2.2", "Meetings", "governance_jsc_meetings"),
        TocEntry(1, "3", "Intellectual Property", "art_ip"),
        TocEntry(2, "3.1", "Background IP", "ip_ownership_background"),
        TocEntry(2, "3.2", "Arising IP", "ip_ownership_arising"),
        TocEntry(1, "4", "Governing Law", "boilerplate_law"),
        TocEntry(1, "Schedule 1", "Research Plan", "schedule_research_plan"),
        TocEntry(1, "Schedule 2", "Milestone Payments", "schedule_milestones"),
    ),
)

CHARTER = Document(
    id="jsc-charter", title="Joint Steering Committee Charter", kind="plan", ref_name="the JSC Charter",
    preamble=(),
    articles=(
        Article("purpose", "1", "Purpose", (
            Section("charter.purpose", "1.1", "Purpose", (
                para("This Charter implements ", ref("governance.jsc.establish", "2.1", suffix=" of the Agreement",
                                                     external=True), "."),
                para("See also ", ref("charter.members", "1.2", document="jsc-charter"), "."),
            ), bookmark="charter_purpose"),
            Section("charter.members", "1.2", "Members", (para("Each Party appoints three members."),),
                    bookmark="charter_members"),
        ), bookmark="art_purpose"),
    ),
    schedules=(),
    signature=False,
    toc=(),
)

LOCK = {
    "format": 1,
    "clauses": {"governance.jsc.establish": {"version": "1.0.0", "position": "balanced", "sha256": "ab" * 32}},
}


def build(**deal_changes: object) -> Build:
    """The fixture build; ``deal_changes`` replace fields of the deal (final, external …)."""
    return Build(deal=replace(DEAL, **deal_changes), documents=(AGREEMENT, CHARTER), lock=LOCK,  # type: ignore[arg-type]
                 blanks=("jsc_days", "effective_date"))


EXAMPLE = "examples/research-collaboration.yaml"


def example_build(**deal_changes: object) -> Build:
    """The reference deal built by the real pipeline (a broken pipeline fails)."""
    from pathlib import Path

    from assembler.api import build_deal

    result = build_deal(Path(__file__).resolve().parents[1] / EXAMPLE)
    return replace(result, deal=replace(result.deal, **deal_changes)) if deal_changes else result  # type: ignore[arg-type]
