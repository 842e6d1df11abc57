"""Legal logic of the data, SaaS, pilot, consortium and MTA deal types, read from built text.

Each test builds a shipped example (or a variant of it) with the shipped library and reads the
Markdown a lawyer would read: one event has one notice period, the privacy wording follows the
deal's data regime, the standard contractual clauses match the transfer, the consortium's veto,
duration and data terms agree with its charter and plans, and the pilot's fee formulas cannot invert.
"""

from __future__ import annotations

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
from assembler.writers.markdown import write_markdown

STANCES = ["pharma", "balanced", "partner"]


@cache
def library() -> library_module.Library:
    return library_module.load_library()


def example(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text("utf-8"))


def build_docs(data: dict[str, Any]) -> dict[str, str]:
    """Build a deal given as a dict; return each Markdown document's text by file stem."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    deal = parse_deal(text, library(), "<test deal>")
    files = write_markdown(build_tolerating_known(deal, library()))  # shipped findings set aside: tests/known_findings.yaml
    return {name.removesuffix(".md"): untypeset_markdown(body.decode("utf-8")) for name, body in files.items() if name.endswith(".md")}


def variant(
    name: str,
    *,
    stance: str | None = None,
    terms: dict[str, Any] | None = None,
    positions: dict[str, str] | None = None,
    drop_positions: bool = False,
) -> dict[str, str]:
    data = example(name)
    if stance:
        data["stance"] = stance
    if drop_positions:
        data["positions"] = {}
    if positions:
        data.setdefault("positions", {}).update(positions)
    if terms:
        data.setdefault("terms", {}).update(terms)
    return build_docs(data)


def section(text: str, title: str) -> str:
    """The body of the section whose heading ends with ``title`` (up to the next heading)."""
    match = re.search(rf"^#{{2,4}} (?:[\d.]+ )?{re.escape(title)}\n(.*?)(?=^#{{1,4}} |\Z)", text, re.S | re.M)
    assert match, f"no section {title!r}"
    return match.group(1)


def all_text(docs: dict[str, str]) -> str:
    return "\n".join(docs.values())


# -- point 4: one event, one period (SaaS business associate terms) -------------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_ba_terms_report_security_incidents_within_the_security_incident_period(stance: str) -> None:
    docs = variant("saas-service-purchase", stance=stance, drop_positions=True)
    agreement = docs["agreement"]
    incident = section(agreement, "Security Incidents")
    hours = re.search(r"in any event within (.+?) after (?:becoming aware|confirming)", incident)
    assert hours, incident
    ba = section(agreement, "Business Associate Reporting and Permitted Uses")
    reported = re.search(r"report each security incident and each breach of unsecured PHI to \w+ within (.+?) after discovery", ba)
    assert reported, ba
    assert reported.group(1) == hours.group(1)
    # the days period covers only other unpermitted uses, never a security incident or breach
    assert not re.search(r"make each report required by the business associate terms within", ba)
    assert "shorter period or a stricter standard" in section(agreement, "HIPAA Status")


# -- point 9: privacy wording follows the data regime ---------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_hipaa_only_deal_carries_no_gdpr_wording(stance: str) -> None:
    text = all_text(variant("saas-service-purchase", stance=stance))
    for phrase in ("GDPR", "72 hours", "supervisory authority", "data subject", "controller of the"):
        assert phrase not in text, phrase
    dmp = variant("saas-service-purchase", stance=stance)["data-management-plan"]
    assert "The covered entity for the affected data" in dmp


def test_gdpr_deal_keeps_the_72_hour_step_and_drops_hipaa() -> None:
    docs = variant("data-sharing-rwe")
    assert "72 hours under the GDPR" in docs["data-management-plan"]
    assert "HIPAA" not in docs["agreement"]


# -- point 5: data sharing: sub-processors, SCC modules, data roles -------------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_rwe_transfers_to_processors_use_modules_two_and_three(stance: str) -> None:
    agreement = variant("data-sharing-rwe", stance=stance, drop_positions=True)["agreement"]
    assert "sub-processor terms of this Agreement" not in agreement
    scc = section(agreement, "Standard Contractual Clauses")
    assert re.search(r"Module One \(transfer controller to controller\), for a transfer between the Parties", scc)
    assert re.search(r"Module Two \(transfer controller to processor\), for a transfer by a Party, as controller, to a processor", scc)
    assert re.search(r"Module Three \(transfer processor to processor\), for a transfer by such a processor to its sub-processor", scc)
    processors = section(agreement, "Processors and Sub-processors")
    number = re.search(r"^### ([\d.]+) Processors and Sub-processors$", agreement, re.M).group(1)
    assert f"engages under Section {number}" in scc
    assert f"follows Section {number}" in scc
    assert "liable to the other Party for the acts and omissions of its processors" in processors
    assert "Article 28(3)" in processors


def test_saas_gdpr_variant_keeps_module_two_and_three_for_the_processor_chain() -> None:
    terms = {"data_regime": "gdpr", "includes_personal_data": True}
    agreement = variant("saas-service-purchase", terms=terms)["agreement"]
    scc = section(agreement, "Standard Contractual Clauses")
    assert "Module One" not in scc
    assert "Module Two (transfer controller to processor), for a transfer by Harbridge to Parsewell" in scc
    number = re.search(r"^### ([\d.]+) Sub-processors$", agreement, re.M).group(1)
    assert f"sub-processor engaged under Section {number}" in scc


def test_rwe_pharma_position_leaves_the_provider_controller_of_its_own_data() -> None:
    agreement = variant("data-sharing-rwe", stance="pharma", drop_positions=True)["agreement"]
    roles = section(agreement, "Roles of the Parties")
    assert "shall not act as a controller" not in roles
    assert "The Data Provider is the controller of the Data" in roles
    assert "Kestrel shall not use, for any purpose of its own, any information about Meridian's studies" in roles
    # pharma as the provider: pharma keeps control, the partner may not use the data for itself
    flipped = variant("data-sharing-rwe", stance="pharma", drop_positions=True, terms={"data_provider_role": "pharma"})
    roles = section(flipped["agreement"], "Roles of the Parties")
    assert "Meridian, as the Data Provider, remains the controller of the Data" in roles


# -- point 6: consortium ----------------------------------------------------------------------------

# The pharma stance of the shipped communication plan's crisis clause is fixed elsewhere; pinning it
# keeps these consortium tests about the consortium's own clauses.
COMMS_PIN = {"plans.comms.crisis": "balanced"}


def consortium(stance: str = "balanced", **changes: Any) -> dict[str, str]:
    return variant("multi-party-consortium", stance=stance, positions=COMMS_PIN, **changes)


@pytest.mark.parametrize("stance", STANCES)
def test_consortium_has_a_joint_controller_arrangement_and_transfer_rules(stance: str) -> None:
    agreement = consortium(stance)["agreement"]
    arrangement = section(agreement, "Controllers and Joint Controller Arrangement")
    assert "joint controllers of that activity under Article 26 of the GDPR" in arrangement
    assert "Contributing Party is the controller of the Personal Data it contributes" in arrangement
    assert "| Contact point for data subjects" in arrangement
    assert "essence of this arrangement" in arrangement
    transfers = section(agreement, "Use, Sharing and Transfer of Personal Data")
    assert "Module One between the Parties as controllers" in transfers
    assert "withdrawn consent" in transfers
    assert "“**Contributing Party**” means" in agreement


@pytest.mark.parametrize("stance", STANCES)
def test_consortium_dmp_covers_fair_open_access_hospitals_and_preservation(stance: str) -> None:
    dmp = consortium(stance)["data-management-plan"]
    fair = section(dmp, "FAIR Data")
    assert all(word in fair for word in ("| Findable", "| Accessible", "| Interoperable", "| Reusable"))
    open_access = section(dmp, "Open Access to Publications and Research Data")
    assert "European Genome-phenome Archive" in open_access
    assert re.search(r"within \w+ \(\d+\) months after the end of the task", open_access)
    hospitals = section(dmp, "Data and Samples from Hospitals and Biobanks")
    assert "biobank's own access committee" in hospitals
    agreement = consortium(stance)["agreement"]
    withdrawal = re.search(r"within (\w+ \(\d+\) days) after the Contributing Party notifies it", agreement).group(1)
    assert f"within {withdrawal}" in hospitals
    preservation = section(dmp, "Preservation, Retention and Deletion")
    assert "after the Funding Authority pays the balance" in preservation


MAJORITY = {"a simple majority": "Simple majority", "a two-thirds majority": "Two-thirds majority", "a three-quarters majority": "Three-quarters majority"}


@pytest.mark.parametrize("stance", STANCES)
def test_party_concerned_has_no_veto_over_its_own_declaration_in_agreement_and_charter(stance: str) -> None:
    docs = consortium(stance)
    agreement, charter = docs["agreement"], docs["consortium-governance-charter"]
    procedure_no = re.search(r"^### ([\d.]+) Breach and Defaulting Party Procedure$", agreement, re.M).group(1)
    veto = section(agreement, "Veto Rights")
    assert re.search(rf"(has no veto over|No Party may veto)[^.]*a decision to declare it a Defaulting Party under Section {procedure_no}", veto)
    procedure = section(agreement, "Breach and Defaulting Party Procedure")
    assert "has no veto over it" in procedure
    majority = re.search(r"declare the Party a Defaulting Party by (a [\w-]+ majority) of the votes of the other Parties", procedure).group(1)
    row = re.search(r"^\| Declaration of a Defaulting Party \|.*$", charter, re.M).group(0)
    assert MAJORITY[majority] in row
    assert "The Party concerned has no vote and no veto" in row
    assert "None for the Party concerned" not in charter


def test_consortium_states_its_duration_and_default_deliverables_fit_it() -> None:
    data = example("multi-party-consortium")
    data["positions"] = dict(COMMS_PIN)
    for name in ("consortium_deliverables", "project_duration_months"):
        data["terms"].pop(name, None)
    docs = build_docs(data)
    months = re.search(r"The Project is planned to run for [\w-]+ \((\d+)\) months", docs["agreement"])
    assert months, "the agreement does not state the project duration"
    table = section(docs["milestone-kpi-plan"], "Deliverable and Milestone Catalogue")
    due = [int(m) for m in re.findall(r"^\| D[\d.]+ \|.*\| (\d+) \|$", table, re.M)]
    assert due and max(due) <= int(months.group(1))
    shipped = consortium()
    stated = re.search(r"planned to run for [\w-]+ \((\d+)\) months", shipped["agreement"]).group(1)
    due = [int(m) for m in re.findall(r"^\| D[\d.]+ \|.*\| (\d+) \|$", section(shipped["milestone-kpi-plan"], "Deliverable and Milestone Catalogue"), re.M)]
    assert max(due) == int(stated) == 48


# -- point 10: formulas and definitions -------------------------------------------------------------


def kpi_rows(text: str) -> dict[str, list[str]]:
    rows = re.findall(r"^\| (.+?) \|$", section(text, "At-Risk Fees and Outcome KPIs"), re.M)
    return {cells.split(" | ")[0]: cells.split(" | ") for cells in rows if not cells.startswith(("Outcome KPI", "---"))}


def test_kappa_baseline_is_independent_of_the_pilot_by_default_and_in_the_example() -> None:
    shipped = variant("digital-health-pilot")["agreement"]
    data = example("digital-health-pilot")
    del data["terms"]["at_risk_kpis"]
    default = build_docs(data)["agreement"]
    for text in (shipped, default):
        kappa = next(row for name, row in kpi_rows(text).items() if "kappa" in name)
        assert "measured in the pilot" not in kappa[1]
        assert "reading centre" in kappa[1]


@pytest.mark.parametrize("stance", ["balanced", "partner"])
def test_proportional_release_cannot_invert_when_the_baseline_meets_the_target(stance: str) -> None:
    kpis = [{"kpi": "Kappa on the audit sample", "baseline": "Kappa measured in the pilot (0.84)", "target": "0.80 or more",
             "weight": 100, "data_source": "Reading-centre audit records"}]
    text = variant("digital-health-pilot", stance=stance, drop_positions=True, terms={"at_risk_kpis": kpis})["agreement"]
    rules = section(text, "At-Risk Fees and Outcome KPIs")
    assert "Where the Baseline of an Outcome KPI is not a measured value worse than its target, including where it already meets the target, its tranche is released in full if the target is met and not at all otherwise." in rules


def test_no_unit_price_from_fee_terms_that_do_not_exist() -> None:
    pilot = variant("digital-health-pilot")["agreement"]
    saas = variant("saas-service-purchase")["agreement"]
    for text in (pilot, saas):
        assert "unit price agreed in the fee terms" not in text
    fees_no = re.search(r"^### ([\d.]+) Subscription Fees$", saas, re.M).group(1)
    assert f"charged at the pro-rata rate of the subscription line that covers Users under Section {fees_no}" in section(saas, "Services and Access")
    assert "may add Users at any time without additional fees" in section(pilot, "Services and Access")


def test_mta_commercial_purposes_leave_the_research_purpose_standing() -> None:
    agreement = variant("material-transfer")["agreement"]
    definition = re.search(r"^“\*\*Commercial Purposes\*\*” means (.*)$", agreement, re.M).group(1)
    assert "to screen or develop compounds or products intended for sale" not in definition
    assert "other than those the Research Purpose describes" in definition
    assert "but not their use for the Research Purpose" in definition
    # the Schedule 1 purpose is screening the recipient's own compounds, which the definition leaves alone
    assert re.search(r"^\| Research purpose \| In-vitro evaluation of the sensitivity .* Nordhaven KRAS G12C inhibitor compounds", agreement, re.M)


# -- point 11: at-risk part as a fixed amount; the floor and the base fee ----------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_outcomes_pilot_can_put_a_fixed_amount_of_the_base_fee_at_risk(stance: str) -> None:
    terms = {"at_risk_basis": "fixed_amount", "at_risk_amount": 100000, "commercial_base_fee": 400000, "commercial_fee_floor": 500000}
    text = variant("digital-health-pilot", stance=stance, drop_positions=True, terms=terms)["agreement"]
    fees = section(text, "Commercial Fees")
    assert "| At-risk portion | USD 100,000 of the base fee per contract year |" in fees
    assert re.search(r"\| Base fee \(platform, hosting and support\) \| USD 400,000 per contract year \| [^|]*less the at-risk portion \|", fees)
    assert "withhold the at-risk portion of the base fee" in section(text, "At-Risk Fees and Outcome KPIs")


def test_default_floor_is_not_below_the_base_fee_and_forfeits_are_not_restored() -> None:
    data = example("digital-health-pilot")
    data["positions"] = {}
    for name in ("commercial_fee_floor", "commercial_base_fee"):
        data["terms"].pop(name)
    fees = section(build_docs(data)["agreement"], "Commercial Fees")
    base = int(re.search(r"\| Base fee[^|]*\| USD ([\d,]+) per contract year", fees).group(1).replace(",", ""))
    floor = int(re.search(r"\| Annual floor \| USD ([\d,]+) in total per contract year, including the base fee", fees).group(1).replace(",", ""))
    assert floor > base
    assert "count towards the floor whether or not they are released" in fees
    partner = section(variant("digital-health-pilot", stance="partner", drop_positions=True)["agreement"], "Commercial Fees")
    assert "amounts withheld and not released do not" in partner


# -- missing topic: feedback licence ----------------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("name", ["saas-service-purchase", "digital-health-pilot"])
def test_feedback_is_licensed_without_breach_of_confidence_or_transfer_of_customer_data(name: str, stance: str) -> None:
    text = variant(name, stance=stance, drop_positions=True)["agreement"]
    feedback = section(text, "Feedback")
    confidentiality_no = re.search(r"^### ([\d.]+) Confidentiality Obligations$", text, re.M).group(1)
    assert "licence to use Feedback" in feedback
    assert f"not a breach of Section {confidentiality_no}" in feedback or "is not Confidential Information" in feedback
    assert "grants no right or licence in any Customer Data, Output or other Confidential Information" in feedback
    assert "assign" not in feedback
    assert "“**Feedback**” means" in text
    assert "feedback" not in section(text, "Ownership of the Services and Deliverables").lower()


# -- pilot timeline: go/no-go on verified results, scale-up window after the meeting ---------------


@pytest.mark.parametrize("stance", STANCES)
def test_go_no_go_meeting_waits_for_verified_results_and_opens_the_scale_up_window(stance: str) -> None:
    text = variant("digital-health-pilot", stance=stance, drop_positions=True)["agreement"]
    evaluation = section(text, "Evaluation and Go/No-Go Decision")
    assert re.search(r"^Within [\w-]+ \(\d+\) days after the results of the Success Metrics become Verified Results", evaluation, re.M)
    assert "after the end of the Pilot Period, the JSC" not in evaluation
    evaluation_no = re.search(r"^### ([\d.]+) Evaluation and Go/No-Go Decision$", text, re.M).group(1)
    scale_up = section(text, "Scale-Up to the Commercial Phase")
    assert re.search(rf"given within [\w-]+ \(\d+\) days after the go/no-go meeting held under Section {evaluation_no}", scale_up)


def test_saas_carries_no_pilot_fee_vocabulary() -> None:
    for stance in STANCES:
        text = variant("saas-service-purchase", stance=stance)["agreement"]
        assert "at-risk" not in text
        assert "pilot plan" not in text


# -- governance of the data and pilot deals: deadlocks end in what the deal has ----------------------


def number_of(text: str, title: str) -> str:
    return re.search(rf"^#+ ([\d.]+) {re.escape(title)}$", text, re.M).group(1)


@pytest.mark.parametrize("stance", STANCES)
def test_data_sharing_deadlock_goes_to_no_final_say_and_no_approved_plan(stance: str) -> None:
    agreement = variant("data-sharing-rwe", stance=stance)["agreement"]
    assert "Final Decision-Making Authority" not in agreement
    escalation = section(agreement, "Escalation of Deadlocks")
    assert "final say" not in escalation
    assert "approved plan" not in escalation
    assert "each Party keeps the decisions that this Agreement gives it" in escalation


@pytest.mark.parametrize("stance", STANCES)
def test_pilot_final_say_speaks_of_the_pilot_plan_and_its_metrics(stance: str) -> None:
    data = example("digital-health-pilot")
    data["stance"] = stance
    data["exclude"] = []  # the example leaves the final say out; a pilot may have one
    agreement = build_docs(data)["agreement"]
    final_say = section(agreement, "Final Decision-Making Authority")
    for phrase in ("approved plan", "budget", "compounds", "milestone", "develop a product"):
        assert phrase not in final_say, phrase
    assert "pilot plan" in final_say
    assert "Success Metric" in final_say
    assert "approved plan and budget" not in section(agreement, "Escalation of Deadlocks")
    if stance == "balanced":
        assert "the status quo continues, including the pilot plan as last agreed by the JSC" in section(agreement, "Escalation of Deadlocks")
        assert "for the choice of the sites, studies and Users that take part in the Pilot" in final_say
    charter = build_docs(data)["steering-group-charter"]
    assert "approved plan" not in charter


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("name", ["data-sharing-rwe", "digital-health-pilot"])
def test_subcommittees_of_a_data_or_pilot_deal_are_its_own_teams(name: str, stance: str) -> None:
    data = example(name)
    data["stance"] = stance
    data.setdefault("include", []).append("governance.subcommittees")
    text = section(build_docs(data)["agreement"], "Subcommittees")
    assert "Joint Research Team" not in text and "Joint Patent Committee" not in text
    assert "approved plan" not in text
    team = "Data Access Working Group" if name == "data-sharing-rwe" else "Pilot Operations Team"
    assert team in text


# -- term and effects of termination: what the deal has ------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_pilot_term_ends_with_the_scale_up_window_or_the_commercial_phase(stance: str) -> None:
    agreement = variant("digital-health-pilot", stance=stance)["agreement"]
    term = section(agreement, "Term")
    scale_up = number_of(agreement, "Scale-Up to the Commercial Phase")
    assert f"when the period for starting the Commercial Phase under Section {scale_up} expires, if Corvanta has not started the Commercial Phase by then, and otherwise at the end of the Commercial Phase" in term
    assert "last obligation of any Party to make payments" not in term


def test_mta_renewal_negotiates_no_fees() -> None:
    term = section(variant("material-transfer")["agreement"], "Term")
    assert "negotiate in good faith the terms that apply to the renewal period" in term
    assert "fees" not in term


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("name", ["saas-service-purchase", "data-sharing-rwe", "digital-health-pilot"])
def test_effects_of_termination_speak_only_of_what_a_service_or_data_deal_has(name: str, stance: str) -> None:
    agreement = variant(name, stance=stance)["agreement"]
    effects = section(agreement, "Effects of Expiry and Termination")
    assert "animal welfare" not in effects
    assert "final report of the results" not in effects
    assert ("study participants" in effects) == (name == "digital-health-pilot")
    if name != "data-sharing-rwe":
        exit_no = number_of(agreement, "Transition and Exit")
        assert f"shall not start new activities, except that {'Parsewell' if name.startswith('saas') else 'Lumisight'} shall continue to provide the Services and transition assistance during the transition period under Section {exit_no}" in effects


def test_saas_export_period_is_a_term_of_the_deal() -> None:
    for stance, phrase in (("pharma", "Within twenty (20) days after each request"), ("balanced", "Within twenty (20) days after Harbridge's request"),
                           ("partner", "during twenty (20) days after the end of the Services")):
        exit_clause = section(variant("saas-service-purchase", stance=stance, terms={"saas_data_export_days": 20})["agreement"], "Transition and Exit")
        assert phrase in exit_clause


# -- boilerplate of the service, pilot and data deals speaks of what they have ----------------------


@pytest.mark.parametrize("stance", STANCES)
def test_data_sharing_ethics_clause_speaks_of_data_research_not_animals(stance: str) -> None:
    agreement = variant("data-sharing-rwe", stance=stance)["agreement"]
    ethics = section(agreement, "Research Ethics and Standards")
    for phrase in ("animal", "laboratory practice", "human biological samples"):
        assert phrase not in ethics, phrase
    lawful = number_of(agreement, "Lawful Basis and Ethics Approvals")
    assert f"The lawful basis for the Data and the ethics approval of each study are governed by Section {lawful}." in ethics
    research = section(build_docs({**example("research-collaboration"), "stance": stance})["agreement"], "Research Ethics and Standards")
    assert "animal" in research


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("name", ["saas-service-purchase", "digital-health-pilot", "data-sharing-rwe"])
def test_deals_without_licences_to_pass_on_name_no_licensees_or_experimental_services(name: str, stance: str) -> None:
    agreement = variant(name, stance=stance)["agreement"]
    assert "licensees" not in section(agreement, "Permitted Disclosures")
    assert "experimental" not in section(agreement, "Disclaimer of Warranties")


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("name", ["digital-health-pilot", "data-sharing-rwe"])
def test_jsc_limits_name_the_deals_own_plans_and_measures(name: str, stance: str) -> None:
    limits = section(variant(name, stance=stance)["agreement"], "Limits on the Authority of the JSC")
    assert "milestone" not in limits and "plan and budget" not in limits
    if name == "digital-health-pilot":
        assert "(f) change the definition, Baseline or target of any Success Metric or Outcome KPI, or any fee or other payment." in limits
    else:
        assert "(f) change any fee or other payment." in limits


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("name", ["saas-service-purchase", "digital-health-pilot"])
def test_infringement_claims_against_the_services_go_only_to_the_capped_ip_indemnity(name: str, stance: str) -> None:
    agreement = variant(name, stance=stance)["agreement"]
    ip = number_of(agreement, "Third-Party IP Indemnity")
    indemnity = section(agreement, "Indemnification")
    assert f"A claim that the Services or the Documentation infringe or misappropriate the intellectual property rights of a Third Party is dealt with only under Section {ip}, and not under this Section." in indemnity


def test_balanced_data_breach_claims_stay_under_the_super_cap_when_brought_under_the_indemnity() -> None:
    limitation = section(variant("saas-service-purchase", stance="balanced")["agreement"], "Limitation of Liability")
    assert "except Losses that result from a breach of Section" in limitation
    assert "or of an obligation relating to personal data or information security, which are subject to, and count towards, the limit for those breaches" in limitation


@pytest.mark.parametrize("stance", ["pharma", "balanced"])
def test_pilot_transition_services_have_a_price_when_no_commercial_phase_started(stance: str) -> None:
    agreement = variant("digital-health-pilot", stance=stance)["agreement"]
    fees = number_of(agreement, "Commercial Fees")
    assert f"(or, where the Commercial Phase has not started, at the fees set out in Section {fees}, pro rata)" in section(agreement, "Transition and Exit")


@pytest.mark.parametrize("stance", STANCES)
def test_customer_data_outlives_termination_only_as_long_as_the_transition(stance: str) -> None:
    agreement = variant("saas-service-purchase", stance=stance)["agreement"]
    exit_no = number_of(agreement, "Transition and Exit")
    baa = section(agreement, "Business Associate Terms")
    assert f"on termination of this Agreement or, where the Services continue during a transition period under Section {exit_no}, at the end of that period" in baa
    ret = section(agreement, "Return and Destruction")
    assert "to exercise rights, or to perform obligations, that continue after expiry or termination" in ret
    assert "Where another Section of this Agreement sets when and how particular data" in ret


@pytest.mark.parametrize(("name", "title", "payer"), [("saas-service-purchase", "Subscription Fees", "Harbridge"), ("data-sharing-rwe", "Data Access Fees", "the Data Recipient")])
def test_renewal_price_increase_is_announced_before_the_renewal_notice_deadline(name: str, title: str, payer: str) -> None:
    agreement = variant(name, stance="balanced", terms={"price_increase_notice_lead_days": 45})["agreement"]
    term = number_of(agreement, "Term")
    assert f"by notice given at least forty-five (45) days before the last day on which notice about the renewal may be given under Section {term}, so that {payer} can decide on the renewal knowing the new fees" in section(agreement, title)


def test_saas_balanced_fees_start_on_acceptance_and_correction_period_is_a_term() -> None:
    acceptance = section(variant("saas-service-purchase", stance="balanced", terms={"acceptance_correction_business_days": 7})["agreement"], "Implementation, Validation and Acceptance")
    assert "and subscription fees accrue from acceptance" in acceptance
    assert "resubmit within seven (7) Business Days" in acceptance


@pytest.mark.parametrize(("stance", "role", "days"), [("pharma", "pharma", "thirty (30)"), ("balanced", "pharma", "sixty (60)"), ("partner", "partner", "thirty (30)")])
def test_mta_results_report_period_is_a_term_of_the_deal(stance: str, role: str, days: str) -> None:
    default = section(variant("material-transfer", stance=stance, drop_positions=True, terms={"material_provider_role": role})["agreement"], "Reports and Notice of Inventions")
    assert f"within {days} days after completing the Research Purpose" in default
    changed = section(variant("material-transfer", stance=stance, drop_positions=True, terms={"material_provider_role": role, "mta_results_report_days": 45})["agreement"], "Reports and Notice of Inventions")
    assert "within forty-five (45) days after completing the Research Purpose" in changed


def test_pilot_updates_in_the_partner_position_take_the_model_update_clauses_notice() -> None:
    agreement = variant("digital-health-pilot", stance="partner", drop_positions=True)["agreement"]
    updates = number_of(agreement, "Model Updates and Change Control")
    pilot = section(agreement, "The Pilot")
    assert f"with release notes and on the notice that Section {updates} requires for the update concerned" in pilot
    assert "ten (10) days' notice" not in pilot
