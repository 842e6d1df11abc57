"""Regression tests for the legal read of the governance plans and the boilerplate.

Each test builds a shipped example (or a variant of it written in memory) and
reads the Markdown a lawyer would read: the plans must follow the deal they
belong to, say what the Agreement says, and the boilerplate must speak only of
what the deal has (its currency, its governing law, its payments, its number
of parties).
"""

from __future__ import annotations

import collections
import itertools
import re
from functools import cache
from typing import Any

import pytest
import yaml
from conftest import ROOT
from known_findings import build_tolerating_known
from untypeset import untypeset_markdown

from assembler.deal.load import parse_deal
from assembler.library import load as library_module
from assembler.library.model import Library
from assembler.writers.markdown import write_markdown

EXAMPLES = {path.stem: path for path in sorted((ROOT / "examples").glob("*.yaml"))}


@cache
def library() -> Library:
    return library_module.load_library()


def example(stem: str) -> dict[str, Any]:
    return yaml.safe_load(EXAMPLES[stem].read_text("utf-8"))


def build_texts(data: dict[str, Any], name: str = "deal") -> dict[str, str]:
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), library(), f"<{name}>")
    build = build_tolerating_known(deal, library())  # shipped findings set aside: tests/known_findings.yaml
    return {doc.removesuffix(".md"): untypeset_markdown(raw.decode("utf-8")) for doc, raw in write_markdown(build).items()}


@cache
def built(stem: str, stance: str) -> dict[str, str]:
    data = example(stem)
    data["stance"] = stance
    return build_texts(data, f"{stem}-{stance}")


def variant(stem: str, stance: str = "balanced", terms: dict[str, Any] | None = None, drop: tuple[str, ...] = (), **top: Any) -> dict[str, str]:
    data = example(stem)
    data["stance"] = stance
    data.update(top)
    for name in drop:
        data["terms"].pop(name, None)
    data["terms"].update(terms or {})
    return build_texts(data, f"{stem}-variant")


def section(text: str, title: str) -> str:
    """The text of the numbered section or article with this heading, up to the next heading."""
    bodies = re.findall(rf"^#+ [\d.]+ {re.escape(title)}\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert bodies, f"no section {title!r}"
    return max(bodies, key=len)  # an article and its one clause may share the heading


# --- 1. A deal type that did not build -------------------------------------------------------------


def test_consortium_builds_in_the_pharma_stance_with_a_crisis_lead_named_by_role() -> None:
    crisis = section(built("multi-party-consortium", "pharma")["communication-plan"], "Crisis Communications")
    assert "The Party that develops or markets a product concerned by a crisis event leads" in crisis
    assert "the Coordinator leads the response to any other crisis event" in crisis


# --- 4. Two periods for one event -----------------------------------------------------------------


def test_pharma_communication_plan_reviews_routine_communications_within_the_agreements_period() -> None:
    texts = built("research-collaboration", "pharma")
    agreement = section(texts["agreement"], "Public Announcements")
    period = re.search(r"shall respond within (\w+ \(\d+\) Business Days)", agreement).group(1)
    workflow = section(texts["communication-plan"], "External Communications Workflow")
    assert f"| Routine communications | The Party wishing to make it | The other Party's communications lead | Within {period} | Not made |" in workflow
    changed = variant("research-collaboration", "pharma", {"announcement_approval_business_days": 7})
    assert "shall respond within seven (7) Business Days" in changed["agreement"]
    assert "| Within seven (7) Business Days | Not made |" in changed["communication-plan"]


def test_case_studies_are_reviewed_within_the_agreements_announcement_period() -> None:
    texts = built("digital-health-pilot", "pharma")
    period = re.search(r"shall respond within (\w+ \(\d+\) Business Days)", texts["agreement"]).group(1)
    case_studies = section(texts["communication-plan"], "Case Studies, References and Testimonials")
    assert f"responds to a request within {period}; a request without a response is refused" in case_studies


def test_pharma_jsc_charter_lets_a_reconvened_meeting_decide_as_the_agreement_does() -> None:
    texts = built("research-collaboration", "pharma")
    quorum = section(texts["agreement"], "Quorum")
    assert "the members who attend constitute a quorum and may decide any item" in quorum
    decisions = section(texts["jsc-charter"], "Taking and Recording Decisions")
    assert "the members who attend may decide any item that was on the agenda of the original meeting" in decisions
    assert "decides only at a quorate meeting" not in decisions
    balanced = section(built("research-collaboration", "balanced")["jsc-charter"], "Taking and Recording Decisions")
    assert "any Party may refer it for escalation at once" in balanced


def test_pharma_jsc_calendar_holds_ad_hoc_meetings_only_by_agreement_as_the_agreement_does() -> None:
    texts = built("research-collaboration", "pharma")
    assert "An additional meeting may be held when the Parties agree" in texts["agreement"]
    calendar = section(texts["jsc-charter"], "Meeting Calendar")
    assert "| Ad hoc meetings | When the Parties agree to hold one |" in calendar
    assert "When a Party calls one" not in calendar
    licence = section(built("exclusive-license", "balanced")["development-committee-charter"], "Meeting Calendar")
    assert "takes place within the same half of the calendar year" in licence  # semi-annual cadence


# --- 8. Governance that breaks: a charter's deadlock ends where the Agreement's does -----------------


@pytest.mark.parametrize("stance", ["pharma", "balanced", "partner"])
def test_charter_escalation_ends_in_a_final_say_only_where_the_agreement_gives_one(stance: str) -> None:
    licence = built("exclusive-license", stance)
    assert "has the final say" in section(licence["agreement"], "Responsibilities of the JSC")
    escalation = section(licence["development-committee-charter"], "Escalation Path")
    assert "The Party with the final say decides within its limits" in escalation
    assert "last approved plan" not in escalation  # a licence has no jointly approved plan
    data = built("data-sharing-rwe", stance)
    assert "Final Decision-Making Authority" not in data["agreement"]  # no clause gives a final say
    escalation = section(data["data-governance-charter"], "Escalation Path")
    assert "final say" not in escalation
    assert "each Party keeps the decisions that the Agreement gives it" in escalation


# --- 9. Boilerplate borrowed from other deal types ------------------------------------------------------


@pytest.mark.parametrize("stem", ["exclusive-license", "data-sharing-rwe", "digital-health-pilot", "saas-service-purchase"])
@pytest.mark.parametrize("stance", ["balanced", "partner"])
def test_wind_down_is_paid_at_rates_only_where_the_deal_has_rates(stem: str, stance: str) -> None:
    convenience = section(built(stem, stance)["agreement"], "Termination for Convenience")
    assert "at the rates under this Agreement" not in convenience
    assert "at their reasonable and documented cost, without mark-up" in convenience


def test_wind_down_rates_name_the_deals_own_rates() -> None:
    research = section(built("research-collaboration", "balanced")["agreement"], "Termination for Convenience")
    assert "orderly wind-down, at the FTE Rate, for" in research
    codev = section(built("co-dev-co-com", "balanced")["agreement"], "Termination for Convenience")
    assert re.search(r"charging internal personnel at USD [\d,]+ per full-time equivalent person per year", codev)


@pytest.mark.parametrize("stem", ["data-sharing-rwe", "digital-health-pilot", "saas-service-purchase"])
def test_financial_terms_name_no_upfront_payment_in_a_deal_without_one(stem: str) -> None:
    data = example(stem)
    data["terms"]["announcement_financial_terms"] = "aggregate"
    for stance in ("balanced", "partner"):
        data["stance"] = stance
        agreement = build_texts(data, stem)["agreement"]
        assert "upfront" not in agreement.lower()
        assert "aggregate potential value of this Agreement" in agreement


def test_financial_terms_name_the_option_fee_in_an_option_deal() -> None:
    announcements = section(built("option-to-license", "balanced")["agreement"], "Public Announcements")
    assert "A Party may disclose the amount of the option fee and the aggregate potential value of this Agreement" in announcements


def test_eur_deal_pays_interest_on_a_euro_benchmark() -> None:
    balanced = section(built("option-to-license", "balanced")["agreement"], "Late Payment")
    assert "Wall Street Journal" not in balanced
    assert "three-month Euro Interbank Offered Rate (EURIBOR)" in balanced
    pharma = section(built("option-to-license", "pharma")["agreement"], "Late Payment")
    assert "euro short-term rate (€STR)" in pharma


def test_new_york_deal_converts_at_us_rates_and_mediates_under_a_us_body() -> None:
    agreement = built("co-dev-co-com", "balanced")["agreement"]
    assert "European Central Bank" not in agreement and "CEDR" not in agreement
    assert "Board of Governors of the Federal Reserve System in its H.10 release" in section(agreement, "Currency Conversion")
    assert "International Institute for Conflict Prevention and Resolution (CPR)" in section(agreement, "Dispute Escalation")


def test_two_party_boilerplate_says_the_other_party_and_a_consortium_each_other_party() -> None:
    research = built("research-collaboration", "balanced")["agreement"]
    assert "without the prior written consent of the other Party, which shall not be unreasonably withheld" in section(research, "Assignment")
    assert "If neither Party does so" in section(research, "Dispute Escalation")
    consortium = built("multi-party-consortium", "balanced")["agreement"]
    assert "each other Party involved" in section(consortium, "Dispute Escalation")


def test_crisis_plan_speaks_of_the_deals_data_regime() -> None:
    texts = variant("research-collaboration", terms={"includes_personal_data": True, "data_regime": "hipaa"})
    crisis = section(texts["communication-plan"], "Crisis Communications")
    assert "a breach of unsecured protected health information" in crisis
    assert "personal data breach" not in crisis
    gdpr = section(variant("research-collaboration", terms={"includes_personal_data": True})["communication-plan"], "Crisis Communications")
    assert "a personal data breach" in gdpr


# --- Boilerplate that follows the deal (currency, governing law) ---------------------------------------


@pytest.mark.parametrize(
    ("currency", "pharma_rate", "balanced_rate", "fx_source"),
    [
        ("GBP", "Sterling Overnight Index Average (SONIA)", "the base rate of the Bank of England", "spot exchange rates published by the Bank of England"),
        ("CHF", "Swiss Average Rate Overnight (SARON)", "Swiss Average Rate Overnight (SARON)", "exchange rates published by the Swiss National Bank"),
        ("JPY", "Tokyo Overnight Average Rate (TONA)", "Tokyo Overnight Average Rate (TONA)", "reference rates published by the Bank of Japan"),
        ("NOK", "the main policy rate of the central bank that issues NOK", "the main policy rate of the central bank that issues NOK", "closing mid-market rates published by Bloomberg"),
    ],
)
def test_interest_benchmark_and_exchange_rate_source_follow_the_currency(currency: str, pharma_rate: str, balanced_rate: str, fx_source: str) -> None:
    for stance, rate in (("pharma", pharma_rate), ("balanced", balanced_rate)):
        agreement = variant("research-collaboration", stance, currency=currency)["agreement"]
        late = section(agreement, "Late Payment")
        assert rate in late and "Wall Street Journal" not in late
        conversion = section(agreement, "Currency Conversion")
        assert fx_source in conversion and "European Central Bank" not in conversion


def test_a_deal_that_names_its_own_rates_keeps_them() -> None:
    own = "the Bank of Canada policy rate on the due date"
    agreement = variant("research-collaboration", terms={"late_payment_reference_rate": own, "fx_rate_source": "the rates in the paying Party's audited accounts"})["agreement"]
    assert f"equal to {own} plus two percent (2%)" in section(agreement, "Late Payment")
    assert "at the rates in the paying Party's audited accounts." in section(agreement, "Currency Conversion")


@pytest.mark.parametrize(
    ("law", "mediation", "seat"),
    [
        ("switzerland", "the Swiss Arbitration Centre", "Zurich, Switzerland"),
        ("germany", "the German Arbitration Institute (DIS)", "Frankfurt am Main, Germany"),
        ("california", "JAMS", "San Francisco, California"),
        ("new_york", "International Institute for Conflict Prevention and Resolution (CPR)", "New York, New York"),
        ("england_wales", "Centre for Effective Dispute Resolution (CEDR)", "London, England"),
        ("japan", "the International Chamber of Commerce (ICC)", "Tokyo, Japan"),
    ],
)
def test_mediation_body_and_seat_follow_the_governing_law(law: str, mediation: str, seat: str) -> None:
    agreement = variant("research-collaboration", governing_law=law, drop=("arbitration_seat",))["agreement"]
    assert mediation in section(agreement, "Dispute Escalation")
    assert f"The seat of arbitration is {seat} and" in section(agreement, "Arbitration or Courts")


def test_courts_follow_the_governing_law_when_the_deal_names_none() -> None:
    agreement = variant("exclusive-license", governing_law="delaware", terms={"dispute_forum": "courts"})["agreement"]
    assert "finally resolved by the state and federal courts located in the State of Delaware" in section(agreement, "Arbitration or Courts")


# --- 12 and 7. Plans from the deal -----------------------------------------------------------------------


@pytest.mark.parametrize(("stem", "months"), [("research-collaboration", (12, 24, 33)), ("option-to-license", (9, 16, 29))])
def test_kpi_plan_carries_the_research_milestones_with_their_target_months(stem: str, months: tuple[int, ...]) -> None:
    catalogue = section(built(stem, "balanced")["milestone-kpi-plan"], "Research Milestone Catalogue")
    for criteria, month in zip(example(stem)["terms"]["research_milestone_criteria"], months, strict=True):
        assert re.search(rf"\| {re.escape(criteria['milestone'])} \| {re.escape(criteria['evidence'])} \| Month {month} \(ends in \w+ 20\d\d\) \|", catalogue)


def test_licence_kpi_plan_tracks_the_diligence_deadlines() -> None:
    tracker = section(built("exclusive-license", "balanced")["milestone-kpi-plan"], "Diligence Deadline Tracker")
    for item in example("exclusive-license")["terms"]["diligence_obligations"]:
        assert item["activity"][1:] in tracker
    # With no clearance condition the deadlines fall on known dates.
    dated = variant("exclusive-license", terms={"antitrust_filing_required": False}, effective_date="2027-01-31")["milestone-kpi-plan"]
    tracker = section(dated, "Diligence Deadline Tracker")
    first = example("exclusive-license")["terms"]["diligence_obligations"][0]["deadline_months"]
    assert first == 30
    assert "thirty (30) months after the Effective Date (31 July 2029)" in tracker
    assert "assume an Effective Date of 31 January 2027" in tracker


def test_kpi_indicators_follow_the_deal_type() -> None:
    generic = "Governance decision cycle time"
    codev = built("co-dev-co-com", "balanced")["milestone-kpi-plan"]
    assert generic not in codev
    tracker = section(codev, "Development Plan Tracker")
    for activity in example("co-dev-co-com")["terms"]["development_plan_activities"]:
        assert activity["activity"] in tracker
    data = built("data-sharing-rwe", "balanced")
    days = re.search(r"shall decide within (\w+ \(\d+\) Business Days) after submission", section(data["agreement"], "Study Approval")).group(1)
    indicators = section(data["milestone-kpi-plan"], "Key Performance Indicators")
    assert generic not in indicators
    assert f"| Study protocols and access requests decided within {days} |" in indicators
    licence_plan = built("exclusive-license", "balanced")["milestone-kpi-plan"]
    assert "Royalty reports and payments made within" in section(licence_plan, "Key Performance Indicators")
    transfer = section(licence_plan, "Technology Transfer Tracker")
    for item in example("exclusive-license")["terms"]["tech_transfer_items"]:
        assert f"| {item['item']} | {item['timing']} |" in transfer
    releases = section(data["milestone-kpi-plan"], "Data Delivery and Quality Indicators")
    for data_set in example("data-sharing-rwe")["terms"]["data_sets"]:
        assert f"| {data_set['name']} | {data_set['refresh']} | {data_set['format']} |" in releases


def test_consortium_deliverables_end_with_the_project() -> None:
    # The default deliverables (a deal that lists none) end with the final report in the default month 48.
    plan = variant("multi-party-consortium", drop=("consortium_deliverables", "project_duration_months"))["milestone-kpi-plan"]
    catalogue = section(plan, "Deliverable and Milestone Catalogue")
    rows = re.findall(r"^\| (D[\d.]+) \| ([^|]+) \| [^|]+ \| [^|]+ \| (\d+) \|$", catalogue, re.M)
    assert rows[-1][1] == "Final report" and int(rows[-1][2]) == 48
    assert max(int(month) for *_rest, month in rows) == 48
    assert library().variables["project_duration_months"].default == 48
    unfunded = variant("multi-party-consortium", terms={"public_funding": False})["milestone-kpi-plan"]
    assert "The Project runs for forty-eight (48) months after the Effective Date" in unfunded


SECTION_NUMBER = re.compile(r"\b(Sections?|Articles?|Schedules?|paragraphs?)\s+\d+(\.\d+)*(\([a-z0-9]+\))*")
HEADING_NUMBER = re.compile(r"^(#+)\s+\d+(\.\d+)*\.?\s")


def masked_lines(text: str, names: list[str]) -> list[str]:
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        line = SECTION_NUMBER.sub(r"\1 N", HEADING_NUMBER.sub(r"\1 N ", line))
        for name in names:
            line = line.replace(name, "PARTY")
        lines.append(line)
    return lines


@pytest.mark.parametrize("document", ["alliance-management-plan", "communication-plan"])
@pytest.mark.parametrize("stance", ["pharma", "balanced", "partner"])
def test_plans_of_two_deal_types_share_at_most_seventy_percent_of_their_lines(document: str, stance: str) -> None:
    plans = {}
    for stem in EXAMPLES:
        texts = built(stem, stance)
        if document in texts:
            names = sorted({p[k] for p in example(stem)["parties"] for k in ("legal_name", "short_name")}, key=len, reverse=True)
            plans[stem] = masked_lines(texts[document], names)
    assert len(plans) >= (4 if document == "alliance-management-plan" else 8)
    worst = []
    for (a, lines_a), (b, lines_b) in itertools.combinations(sorted(plans.items()), 2):
        shared = sum((collections.Counter(lines_a) & collections.Counter(lines_b)).values())
        worst.append((shared / min(len(lines_a), len(lines_b)), a, b))
    share, a, b = max(worst)
    assert share <= 0.70, f"{document} of {a} and {b} share {share:.0%} of their lines"


# --- One variable per period --------------------------------------------------------------------------


def test_communication_matrix_reads_the_charters_period_for_sponsor_summaries() -> None:
    texts = variant("research-collaboration", terms={"jsc_sponsor_summary_business_days": 7})
    assert "Within seven (7) Business Days after each meeting, the chair" in texts["jsc-charter"]
    assert "| Within seven (7) Business Days after each JSC meeting | Written summary |" in texts["communication-plan"]


def test_red_runway_threshold_is_the_agreements_early_warning_runway() -> None:
    texts = built("research-collaboration", "partner")
    notice = section(texts["agreement"], "Early Warning of Financial or Operational Difficulty")
    runway = re.search(r"operating expenses for the next (\w+ \(\d+\) months)", notice).group(1)
    resiliency = section(texts["alliance-management-plan"], "Partner Resiliency and Early Warning")
    assert f"| Less than {runway}, which requires notice under the Agreement |" in resiliency


@pytest.mark.parametrize("stance", ["pharma", "balanced", "partner"])
def test_steering_charter_counts_the_go_no_go_steps_as_the_agreement_does(stance: str) -> None:
    texts = built("digital-health-pilot", stance)
    evaluation = section(texts["agreement"], "Evaluation and Go/No-Go Decision")
    assert "after the results of the Success Metrics become Verified Results" in evaluation
    timeline = section(texts["steering-group-charter"], "Pilot Evaluation and Go/No-Go Decision")
    assert re.search(r"\| Within \w+ \(\d+\) days after the results become Verified Results, as Section [\d.]+ of the Agreement provides \|", timeline)
    assert re.search(r"\| Within \w+ \(\d+\) days after the go/no-go meeting \|", timeline)


def test_co_development_charter_decides_after_an_opt_out_as_the_agreement_does() -> None:
    texts = built("co-dev-co-com", "balanced")
    assert "has no members on the JSC, the JSC and its subcommittees consist of the members appointed by" in texts["agreement"]
    decisions = section(texts["jsc-charter"], "Taking and Recording Decisions")
    assert re.search(r"From the Opt-Out Date, and for as long as \w+ has no members on the JSC, the JSC consists of \w+'s members", decisions)


# --- Governance clauses read one variable per period and speak of what the deal has ------------------


def number_of(text: str, title: str) -> str:
    return re.search(rf"^#+ ([\d.]+) {re.escape(title)}$", text, re.M).group(1)


def test_partner_deadlock_mediation_reads_the_charters_periods() -> None:
    texts = variant("research-collaboration", "partner", {"deadlock_mediation_referral_business_days": 15, "deadlock_mediation_days": 45})
    escalation = section(texts["agreement"], "Escalation of Deadlocks")
    assert "any Party may, within fifteen (15) Business Days, refer it to non-binding mediation" in escalation
    assert "the mediation shall end no later than forty-five (45) days after the referral" in escalation
    path = section(texts["jsc-charter"], "Escalation Path")
    assert "Any Party may refer the matter to mediation within fifteen (15) Business Days" in path
    assert "Ends forty-five (45) days after the referral" in path


@pytest.mark.parametrize("stem", ["research-collaboration", "exclusive-license", "data-sharing-rwe", "digital-health-pilot"])
def test_alliance_managers_escalate_after_the_deals_period_and_name_only_the_deals_plans(stem: str) -> None:
    managers = section(variant(stem, "partner", {"alliance_issue_escalation_days": 20})["agreement"], "Alliance Managers")
    assert "have not resolved within twenty (20) days" in managers
    expected = {
        "research-collaboration": "within the times this Agreement and the approved plan require",
        "exclusive-license": "within the times this Agreement requires",
        "data-sharing-rwe": "within the times this Agreement requires",
        "digital-health-pilot": "within the times this Agreement and the pilot plan require",
    }[stem]
    assert expected in managers


def test_pilot_charter_escalation_falls_back_on_the_pilot_plan() -> None:
    path = section(built("digital-health-pilot", "balanced")["steering-group-charter"], "Escalation Path")
    assert "approved plan and budget" not in path
    assert "the status quo continues, including the pilot plan as last agreed by the JSC" in path


def test_consortium_precedence_and_amendment_speak_of_consortium_bodies() -> None:
    agreement = built("multi-party-consortium", "balanced")["agreement"]
    assert "joint committee" not in agreement
    precedence = section(agreement, "Order of Precedence")
    assert "any charter of a Consortium Body adopted under this Agreement" in precedence
    assert "the minutes and other records of any Consortium Body" in precedence
    assert "No decision of a Consortium Body, no minutes of its meetings" in section(agreement, "Amendment and Waiver")
    assert "within the decision-making authority of a Consortium Body" in agreement
    research = built("research-collaboration", "balanced")["agreement"]
    assert "any charter of a joint committee adopted under this Agreement" in section(research, "Order of Precedence")


@pytest.mark.parametrize("stance", ["pharma", "balanced", "partner"])
@pytest.mark.parametrize("stem", ["co-dev-co-com", "research-collaboration"])
def test_charter_decision_matters_are_the_agreements_own_list(stem: str, stance: str) -> None:
    texts = built(stem, stance)
    remit = "Responsibilities of the JSC"
    number = number_of(texts["agreement"], remit)
    authority = section(texts["jsc-charter"], "Scope of Authority")
    decisions = next(line for line in authority.splitlines() if line.startswith("| Decision matters |"))
    assert f"The matters that Section {number} of the Agreement lists for approval" in decisions
    assert "stage-gate" not in decisions  # not on the pharma list of a research collaboration, never in a co-development deal
    agreement_remit = section(texts["agreement"], remit)
    if stem == "co-dev-co-com":
        assert "Development Plan and its budget" in decisions and "Development Plan" in agreement_remit
        assert "setting prices, discounts or contracts with payers" in authority
    else:
        assert "annual update of the Research Plan" in decisions and "annual update of the Research Plan" in agreement_remit


# --- One default for one variable, and the pilot's KPI baseline independent of the pilot -----------------


def test_a_variable_declared_by_several_clauses_has_one_default() -> None:
    declared: dict[str, dict[str, Any]] = {}
    for clause_id, clause in sorted(library().clauses.items()):
        for name, spec in clause.spec.variables.items():
            declared.setdefault(name, {})[clause_id] = spec.default
    differing = {name: sorted(by_clause) for name, by_clause in declared.items() if len({repr(d) for d in by_clause.values()}) > 1}
    assert differing == {}, f"defaults differ between the clauses that declare: {differing}"
    kpis = library().clauses["plans.kpi.pilot_metrics"].spec.variables["at_risk_kpis"].default
    kappa = next(k for k in kpis if "kappa" in k["kpi"])
    assert "measured in the pilot" not in kappa["baseline"] and "pre-pilot reference set" in kappa["baseline"]


# --- Plans carry the deal's own dates: pilot timeline and sites, go-live, development targets --------------


def test_pilot_kpi_plan_shows_the_timeline_and_each_sites_go_live() -> None:
    texts = built("digital-health-pilot", "balanced")
    timeline = section(texts["milestone-kpi-plan"], "Pilot Timeline and Site Go-Live")
    assert "| The Pilot Period starts, with all twelve (12) sites live | As Section" in timeline
    assert "| 5 April 2027 |" in timeline and "| In August 2027 |" in timeline
    for site in example("digital-health-pilot")["terms"]["pilot_site_list"]:
        assert re.search(rf"\| \d+ \| {re.escape(site['site'])} \| {site['country']} \| \d+ March 2027 \|", timeline)
    scale_up = number_of(texts["agreement"], "Scale-Up to the Commercial Phase")
    assert f"| Within sixty (60) days after the go/no-go meeting, under Section {scale_up} of the Agreement |" in timeline
    # Without the planning data the timeline still shows the Agreement's periods.
    bare = variant("digital-health-pilot", drop=("pilot_site_list", "pilot_planned_start_date"))["milestone-kpi-plan"]
    assert "| As recorded under the Agreement |" in section(bare, "Pilot Timeline and Site Go-Live")
    # The site list, when given, is the number of sites everywhere.
    three = example("digital-health-pilot")["terms"]["pilot_site_list"][:3]
    fewer = variant("digital-health-pilot", terms={"pilot_site_list": three})
    assert "make the Services available for the Pilot at three (3) sites" in fewer["agreement"]
    assert "| Pilot sites live before the Pilot Period starts | All three (3) |" in fewer["milestone-kpi-plan"]


@pytest.mark.parametrize("stance", ["pharma", "balanced", "partner"])
def test_saas_kpi_plan_tracks_implementation_to_go_live(stance: str) -> None:
    texts = built("saas-service-purchase", stance)
    implementation = section(texts["milestone-kpi-plan"], "Implementation and Go-Live Milestones")
    assert "| 5 | Acceptance tests complete and go-live in production | Harbridge | Month 4 (ends in July 2027) |" in implementation
    tested = re.search(r"may test them against .*? for (\w+ \(\d+\) Business Days)", section(texts["agreement"], "Implementation, Validation and Acceptance")).group(1)
    assert f"Harbridge tests the Services for {tested}" in implementation


def test_development_milestone_target_dates_appear_in_the_plan_and_never_in_the_agreement() -> None:
    texts = built("co-dev-co-com", "balanced")
    catalogue = section(texts["milestone-kpi-plan"], "Development, Regulatory and Sales Milestone Catalogue")
    assert "| 1 | First dosing of a patient in a phase 3 clinical trial | Regulatory correspondence, trial records or approval letter showing the event | 30 September 2028 | USD 40,000,000 |" in catalogue
    assert "| 5 | Regulatory approval in Japan | Regulatory correspondence, trial records or approval letter showing the event | Set by the governance committee | USD 20,000,000 |" in catalogue
    assert "30 September 2028" not in texts["agreement"]
    licence = section(built("exclusive-license", "balanced")["milestone-kpi-plan"], "Development, Regulatory and Sales Milestone Catalogue")
    assert "| No. | Milestone event | Evidence of achievement | Payment |" in licence  # no dates given: the table is unchanged


def test_pilot_and_data_charters_report_and_staff_for_what_those_deals_do() -> None:
    steering = built("digital-health-pilot", "balanced")["steering-group-charter"]
    annual = section(steering, "Reporting to the Parties")
    assert "spend against budget" not in annual and "milestones achieved" not in annual
    assert "the Success Metrics and Outcome KPIs measured, the fees paid and the at-risk amounts released or forfeited" in annual
    assert "each Party's members cover clinical operations, biostatistics or data science" in section(steering, "Membership and Roles")
    data = built("data-sharing-rwe", "balanced")["data-governance-charter"]
    assert "each Party's members cover epidemiology or real-world evidence, data governance and privacy" in data
    research = built("research-collaboration", "balanced")["jsc-charter"]
    assert "milestones achieved and missed, spend against budget" in section(research, "Reporting to the Parties")
