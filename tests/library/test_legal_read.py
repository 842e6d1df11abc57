"""A legal read of every deal type in every stance, as opposing counsel reads a draft.

Each test states one rule a careful drafter would apply to the built agreement and plans (periods a
deal can negotiate, representations that speak at signing, a paid-up licence that outlasts the Term,
partial termination in the deal's own units, service credits that can be applied, an MTA cap that
does not cap the breaches that matter most, ...) and checks it on the Markdown of a real build.
"""

from __future__ import annotations

import re

import pytest
from legal_builds import EXAMPLES, STANCES, agreement, documents, number_of, section

# --- periods a deal can negotiate -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("example", "stance", "terms", "expected"),
    [
        ("saas-service-purchase", "balanced", "suspension_notice_days: 20", "after giving twenty (20) days' notice of undisputed fees"),
        ("saas-service-purchase", "balanced", "escrow_deposit_days: 45", "Within forty-five (45) days after the Effective Date"),
        ("saas-service-purchase", "balanced", "chronic_failure_termination_days: 45", "by notice given within forty-five (45) days afterwards"),
        ("digital-health-pilot", "balanced", "repeat_measurement_months: 3", "for no more than three (3) months"),
        ("exclusive-license", "balanced", "generic_filing_notice_business_days: 3", "within three (3) Business Days after receiving any notice of an application"),
        ("exclusive-license", "balanced", "invoice_dispute_notice_days: 20", "with reasons within twenty (20) days after receipt of the invoice"),
    ],
)
def test_a_deal_sets_a_period_that_the_text_used_to_type(example: str, stance: str, terms: str, expected: str | None) -> None:
    """Every period and percentage of a clause is a variable of the deal with today's value as its
    default, so the deal file can negotiate it (an unknown term would be refused)."""
    text = agreement(example, stance, f"terms: {{{terms}}}")
    if expected is not None:
        assert expected in text


# --- representations speak at signature ------------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com"])
def test_representations_are_given_at_signature_and_repeated_at_clearance(example: str, stance: str) -> None:
    """Where the Effective Date is the Clearance Date, representations given only 'as of the Effective
    Date' would say nothing when the Parties sign: they are given at the Signature Date and repeated at
    the Effective Date, and the clauses that give them bind from signature."""
    text = agreement(example, stance)
    for title in ("Mutual Representations and Warranties", "Representations on Contributed Technology"):
        body = section(text, title)
        assert "as of the Signature Date and again as of the Effective Date" in body, title
        assert body.count("as of the Signature Date") == 1, body  # once: no "as of the Signature Date and again as of the Signature Date"
        assert number_of(text, title) in section(text, "Antitrust Clearance").split("bind the Parties from")[0], title


def test_representations_without_a_condition_precedent_keep_the_effective_date() -> None:
    text = agreement("research-collaboration")
    assert "as of the Effective Date, that:" in section(text, "Mutual Representations and Warranties")
    assert "Signature Date" not in text


# --- what outlasts the Term -------------------------------------------------------------------------


def surviving_numbers(text: str) -> set[str]:
    """Every section and article number the survival clause lists ("Sections 7.3 to 7.5, Articles 8 and 15"
    give 7.3, 7.4, 7.5, 8 and 15; "paragraphs 2 and 4 to 5 of Schedule 3" give "S3.2", "S3.4" and "S3.5")."""
    body = section(text, "Survival").split(". The obligations of confidentiality")[0]
    found: set[str] = set()
    for first, last in re.findall(r"\b(\d+\.\d+)(?: to (\d+\.\d+))?", body):
        article, low = first.split(".")
        high = last.split(".")[1] if last else low
        found |= {f"{article}.{n}" for n in range(int(low), int(high) + 1)}
    articles = re.search(r"Articles? ([\d, and]+)", body)
    found |= set(re.findall(r"\d+", articles.group(1))) if articles else set()
    for numbers, schedule in re.findall(r"paragraphs? ((?:\d+(?: to \d+)?(?:, | and )?)+) of Schedule (\d+)", body):
        for low, high in re.findall(r"(\d+)(?: to (\d+))?", numbers):
            found |= {f"S{schedule}.{n}" for n in range(int(low), int(high or low) + 1)}
    return found


def survives(text: str, title: str) -> bool:
    number = number_of(text, title)
    return number in surviving_numbers(text) or number.split(".")[0] in surviving_numbers(text)


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize(("example", "title"), [("exclusive-license", "Licence Grant"), ("co-dev-co-com", "Licence Grants")])
def test_the_paid_up_licence_outlasts_the_term(example: str, stance: str, title: str) -> None:
    """The Term of a licence ends with the last payment obligation; the licence that has become fully
    paid-up after a Royalty Term must survive it (listed in the survival clause, and saying which
    licences survive), and the reversion on termination leaves it alone."""
    text = agreement(example, stance)
    grant = section(text, title)
    assert "becomes fully paid-up" in grant
    assert "has become fully paid-up under this paragraph survives the expiry" in grant
    assert survives(text, title)
    assert "does not affect a licence that has become fully paid-up" in section(text, "Consequences of Termination for the Licence")


def test_the_option_licence_terms_list_the_paid_up_licence_as_surviving() -> None:
    text = agreement("option-to-license")
    assert "S3.2" in surviving_numbers(text)


def test_a_licence_back_of_improvements_granted_for_ever_survives() -> None:
    text = agreement("exclusive-license", extra="exclude: []")
    assert "perpetual licence" in section(text, "Improvements")
    assert survives(text, "Improvements")


@pytest.mark.parametrize("stance", STANCES)
def test_the_tax_partnership_survives_for_its_last_returns(stance: str) -> None:
    text = agreement("co-dev-co-com", stance)
    assert survives(text, "Tax Treatment of the Co-Development Arrangement")


@pytest.mark.parametrize(
    "example", ["research-collaboration", "exclusive-license", "co-dev-co-com", "option-to-license", "data-sharing-rwe", "digital-health-pilot"]
)
def test_currency_conversion_survives_with_the_payments_it_converts(example: str) -> None:
    """Royalty reports and payments survive the Term; the conversion rule they apply must too."""
    text = agreement(example)
    assert survives(text, "Currency Conversion")
    assert survives(text, "Entire Agreement")


# --- termination in the deal's own units ------------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize(
    ("example", "convenience", "breach"),
    [
        ("saas-service-purchase", "in respect of any of the Services", "Where a breach affects only some of the Services"),
        ("digital-health-pilot", "in respect of any of the Services", "Where a breach affects only some of the Services"),
        ("data-sharing-rwe", "in respect of any study", "Where a breach affects only a particular study"),
        ("research-collaboration", "in respect of any programme, product or activity", "Where a breach affects only a particular programme, product or country"),
        # a licence reverts for a Licensed Product or a country (Consequences of Termination for the Licence)
        ("exclusive-license", "in respect of any Licensed Product or country", "Where a breach affects only a particular Licensed Product or country"),
        ("co-dev-co-com", "in respect of any Licensed Product or country", "Where a breach affects only a particular Licensed Product or country"),
    ],
)
def test_partial_termination_speaks_of_what_the_deal_has(example: str, stance: str, convenience: str, breach: str) -> None:
    """A service or data deal has no programme, product or country to terminate: a partial termination
    is of some of the Services or of a study; a licence is terminated, and reverts, for a Licensed Product
    or a country."""
    text = agreement(example, stance)
    if stance != "partner":  # the partner positions allow no partial termination
        assert convenience in section(text, "Termination for Convenience")
        assert breach in section(text, "Termination for Material Breach")
    if example != "research-collaboration":
        assert "programme, product or" not in section(text, "Termination for Convenience") + section(text, "Termination for Material Breach")


# --- service credits that can be applied ------------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_pilot_service_credits_have_monthly_fees_to_work_on(stance: str) -> None:
    """During a Pilot Period paid as a lump sum there is no monthly fee; the credit needs one."""
    body = section(agreement("digital-health-pilot", stance), "Service Credits and Chronic Failure")
    assert "During the Pilot Period, the fees for a month are the pilot fee under Section" in body


@pytest.mark.parametrize(("example", "stance"), [("saas-service-purchase", "pharma"), ("saas-service-purchase", "balanced"), ("digital-health-pilot", "balanced")])
def test_a_credit_no_invoice_can_absorb_is_paid_out(example: str, stance: str) -> None:
    """Fees invoiced annually in advance (or the last month of the Term) leave no next invoice to credit."""
    body = section(agreement(example, stance), "Service Credits and Chronic Failure")
    assert "where no further invoice falls due" in body


def test_a_late_delivery_credit_no_invoice_can_absorb_is_paid_out() -> None:
    assert "where no further invoice falls due, paid to the Data Recipient" in section(agreement("data-sharing-rwe"), "Data Access Fees")


# --- the MTA cap -------------------------------------------------------------------------------------


def test_the_balanced_mta_cap_never_covers_misuse_commercial_use_or_confidentiality() -> None:
    text = agreement("material-transfer", "balanced")
    body = section(text, "Liability")
    exceptions = body.split("Neither limitation applies to")[1]
    uses = [number_of(text, title) for title in ("Permitted Use", "Prohibited Uses", "No Commercial Use")]
    article = uses[0].split(".")[0]
    assert f"Sections {uses[0]} to {uses[-1]}" in exceptions or f"Article {article} " in exceptions  # the whole article when it is all cited
    assert f"of Section {number_of(text, 'Confidentiality Obligations')}" in exceptions


@pytest.mark.parametrize("stance", ["pharma", "partner"])
def test_a_recipient_cap_never_covers_commercial_use_of_the_material(stance: str) -> None:
    text = agreement("material-transfer", stance)
    body = section(text, "Liability")
    if "Recipient's aggregate liability" in body:
        assert f"for Commercial Purposes in breach of Section {number_of(text, 'No Commercial Use')}" in body


# --- no committee where the deal has none -----------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["saas-service-purchase", "material-transfer"])
def test_a_deal_without_a_committee_never_mentions_one(example: str, stance: str) -> None:
    """The Dispute definition, the amendment clause, the order of precedence and change of control
    speak of a joint committee only where the deal has one."""
    text = agreement(example, stance)
    assert "joint committee" not in text
    assert "“**Dispute**” means any dispute, controversy or claim arising out of or in connection with this Agreement, including its formation, validity, interpretation, performance, breach or termination." in text
    amendment = section(text, "Amendment and Waiver")
    if example == "material-transfer":
        assert "No exchange of emails amends or waives any provision of this Agreement." in amendment
        assert "plan" not in amendment
    else:
        assert "No plan adopted under this Agreement, no minutes of a meeting held under such a plan" in amendment
        assert "the minutes and other records of any meeting held under such a plan" in section(text, "Order of Precedence")


def test_a_deal_with_a_committee_keeps_it_in_the_boilerplate() -> None:
    text = agreement("research-collaboration")
    assert "other than a matter within the decision-making authority of a joint committee" in text
    assert "No decision of a joint committee, no minutes of its meetings" in section(text, "Amendment and Waiver")


# --- a final say only where the deal has one ---------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_a_pilot_without_a_final_say_never_hands_a_deadlock_to_one(stance: str) -> None:
    """The pilot example leaves out the final-say clause (the steering group decides by consensus); its
    escalation must not hand a deadlock to 'the Party that has the final say'."""
    docs = documents("digital-health-pilot", stance)
    assert "governance.final_say" in (EXAMPLES / "digital-health-pilot.yaml").read_text("utf-8")
    for name, text in docs.items():
        assert "the Party that has the final say" not in text, name
        assert "The Party with the final say decides" not in text, name
        assert "decision taken under any final say" not in text, name
    assert "including the pilot plan as last agreed by the JSC" in section(docs["agreement"], "Escalation of Deadlocks") or stance != "balanced"


@pytest.mark.parametrize("stance", STANCES)
def test_a_pilot_that_keeps_its_final_say_escalates_to_it(stance: str) -> None:
    text = agreement("digital-health-pilot", stance, "exclude: []")
    assert "final say" in section(text, "Escalation of Deadlocks")


@pytest.mark.parametrize(
    ("example", "title"),
    [
        # the paid-up licence is exclusive "except for the rights retained under" this Section
        ("exclusive-license", "Retained Rights"),
        ("co-dev-co-com", "Retained Rights"),
        # obligations on personal data and PHI last as long as the data are still held or processed
        ("saas-service-purchase", "Business Associate Reporting and Permitted Uses"),
        ("saas-service-purchase", "Security Incidents"),
        ("digital-health-pilot", "Processing on Instructions"),
        # deletion after the end "may be verified under" the audit clause
        ("data-sharing-rwe", "Data Protection Audits"),
        # publications and publicity after the end still name the other side only as agreed
        ("material-transfer", "Acknowledgement of the Provider"),
        ("research-collaboration", "Use of Names and Logos"),
        ("multi-party-consortium", "Acknowledgement of Funding"),
    ],
)
def test_what_a_surviving_clause_relies_on_survives_with_it(example: str, title: str) -> None:
    text = agreement(example)
    assert survives(text, title)


def test_the_option_licence_terms_keep_the_retained_rights_with_the_paid_up_licence() -> None:
    text = agreement("option-to-license")
    assert {"S3.2", "S3.5"} <= surviving_numbers(text)


@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com"])  # the option's: Schedule 3, below
def test_royalties_on_sell_off_sales_survive_with_their_reports(example: str) -> None:
    """A sell-off after termination bears royalties, and the royalty reports survive the Term; the rates,
    Net Sales, the Royalty Term and the reductions that compute those royalties must survive with them."""
    text = agreement(example)
    assert survives(text, "Royalty Reports and Payments")
    for title in ("Net Sales", "Royalties", "Royalty Term", "Royalty Reductions and Floor"):
        assert survives(text, title), title


def test_the_option_survival_list_names_schedule_3_once() -> None:
    """Its licence terms (Schedule 3) keep the paid-up licence, retained rights, sublicences and the royalty
    paragraphs (Net Sales to Combination Products, paragraphs 14 to 19) with their reports (21)."""
    body = section(agreement("option-to-license"), "Survival")
    assert "paragraphs 2, 4 to 6, 14 to 19, 21 and 26 of Schedule 3" in body
    assert body.count("of Schedule 3") == 1


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize(("example", "date"), [("exclusive-license", "Signature Date"), ("co-dev-co-com", "Signature Date"), ("research-collaboration", "Effective Date")])
def test_the_signing_press_release_is_issued_at_signing(example: str, stance: str, date: str) -> None:
    """The announcements bind from signature and the variable promises a release on signing; where
    antitrust clearance defers the Effective Date, a release 'on or after the Effective Date' would
    keep a listed party silent until clearance."""
    text = section(agreement(example, stance), "Public Announcements")
    assert f"joint press release on or after the {date} in the form agreed" in text


@pytest.mark.parametrize("stance", STANCES)
def test_the_caps_follow_the_ip_indemnity_the_deal_has(stance: str) -> None:
    """The indemnity, exclusion and cap clauses speak of the vendor's IP indemnity when the deal includes
    it (provided('ip_indemnity')), not because the deal is of a SaaS or pilot type: a SaaS deal without it
    builds, and no clause refers to it."""
    with_it = agreement("saas-service-purchase", stance)
    assert "IP Indemnity" in with_it or "Infringement Indemnity" in with_it
    without = agreement("saas-service-purchase", stance, extra="exclude: [saas.ip_indemnity]")
    cap = section(without, "Limitation of Liability")
    assert "separate amount" not in cap
    assert "infringe or misappropriate the intellectual property rights of a Third Party is dealt with only under" not in without


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize(("notice", "tail"), [(90, 3), (180, 6), (180, 12)])
def test_the_opt_out_cost_share_runs_at_least_to_the_opt_out_date(stance: str, notice: int, tail: int) -> None:
    """Cost sharing ends on the Opt-Out Date, so the partner's liability for its share never stops
    before it (three months after a notice can be 89 days, six months more than 180 days)."""
    text = section(agreement("co-dev-co-com", stance, f"terms: {{opt_out_notice_days: {notice}, opt_out_cost_tail_months: {tail}}}"),
                   "Right to Opt Out")
    liability = re.search(r"remains liable for its share of[^.]*\.", text)
    assert liability, text
    assert "before the later of the Opt-Out Date and the date" in liability.group(0), liability.group(0)
    assert "during the" not in liability.group(0)
