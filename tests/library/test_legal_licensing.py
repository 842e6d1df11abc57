"""The legal logic of the licensing deal types (research collaboration, option, exclusive licence,
co-development), read from real builds of the shipped examples in each stance.

Each test states one rule a careful reviewer applies to the built agreement (a payment that may not
fall due before antitrust clearance, a cap that fits the deal, a committee that can still decide after
an opt-out, ...) and checks it on the Markdown the tool writes.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
import yaml
from legal_builds import EXAMPLES, STANCES, agreement, section, shipped_library

from assembler.api import build_deal
from assembler.deal.load import parse_deal
from assembler.writers.markdown import write_markdown


def sentences(text: str, word: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:])\s+", text) if word in s]


# --- 2. Effective Date vs antitrust clearance ---------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com"])
def test_no_payment_or_integration_clock_runs_before_clearance(example: str, stance: str) -> None:
    """Where the agreement takes effect only on the Clearance Date, the upfront payment, the know-how
    transfer, the JSC and the diligence deadlines run from clearance, never from signature."""
    text = agreement(example, stance)
    assert "this Agreement takes effect on the Clearance Date" in text
    for title in ("Upfront Payment", "Technology Transfer", "Joint Steering Committee"):
        body = section(text, title)
        assert "Clearance Date" in body, title
        assert "Effective Date" not in body, title
    if example == "exclusive-license":
        assert "measured from the Clearance Date" in section(text, "Specific Diligence Obligations")
    else:
        assert "after the Clearance Date in performing activities under the Development Plan" in text
        assert "Effective Date" not in section(text, "Pharmacovigilance")


def test_without_a_clearance_condition_the_clocks_run_from_the_effective_date() -> None:
    text = agreement("exclusive-license", extra="terms: {antitrust_filing_required: false}")
    assert "Clearance Date" not in text
    assert "after the later of the Effective Date" in section(text, "Upfront Payment")
    assert "measured from the Effective Date" in section(text, "Specific Diligence Obligations")


# --- 3. Caps that fit the deal ------------------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com", "option-to-license", "research-collaboration"])
def test_licence_and_collaboration_caps_follow_the_whole_deal_value(example: str, stance: str) -> None:
    """A licence whose upfront was paid years ago must not be capped at the payments of the last
    twelve months: the general cap counts every amount paid under the Agreement before the claim."""
    cap = section(agreement(example, stance), "Limitation of Liability")
    assert "twelve (12) months" not in cap
    assert re.search(r"the total amounts (paid and payable|actually paid) under this Agreement before the event", cap)


def _section_number(text: str, title: str) -> str:
    match = re.search(rf"^### ([\d.]+) {re.escape(title)}$", text, re.M)
    assert match, title
    return match.group(1)


SERVICE_EXAMPLES = ["saas-service-purchase", "digital-health-pilot", "data-sharing-rwe"]


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com", "option-to-license", "research-collaboration", *SERVICE_EXAMPLES])
def test_what_is_carved_out_of_the_exclusion_is_not_left_under_the_general_cap(example: str, stance: str) -> None:
    """Misuse of another Party's intellectual property (and gross negligence) is carved out of the
    exclusion of indirect losses, so the cap clause must lift it out of the general cap too."""
    text = agreement(example, stance)
    exclusion = section(text, "Exclusion of Indirect Losses")
    cap = section(text, "Limitation of Liability")
    assert "misuse or misappropriation of another Party's intellectual property" in exclusion
    assert "misuse or misappropriation of another Party's intellectual property" in cap
    if "gross negligence" in exclusion:
        assert "gross negligence" in cap


def short_name(example: str, role: str) -> str:
    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text("utf-8"))
    return next(p["short_name"] for p in data["parties"] if p["role"] == role)


@pytest.mark.parametrize("example", ["saas-service-purchase", "digital-health-pilot"])
def test_vendor_ip_indemnity_sits_under_a_super_cap_by_position(example: str) -> None:
    """The vendor's infringement indemnity is uncapped (pharma), under its own super-cap (balanced)
    or inside the single super-cap (partner), never under the general cap like ordinary claims."""
    texts = {stance: agreement(example, stance) for stance in STANCES}
    ref = {stance: "Section " + _section_number(text, "Third-Party IP Indemnity") for stance, text in texts.items()}
    caps = {stance: section(text, "Limitation of Liability") for stance, text in texts.items()}
    general, _, uncapped = caps["pharma"].partition("No limit of liability applies to:")
    assert ref["pharma"] in uncapped and ref["pharma"] not in general
    vendor = short_name(example, "partner")
    assert f"The total liability of {vendor} under {ref['balanced']} is limited to a further, separate amount" in caps["balanced"]
    super_capped, _, uncapped = caps["partner"].partition("No limit of liability applies to:")
    number = ref["partner"].removeprefix("Section ")
    # "under Sections 9.4 and 12.1, for breach of ...": the vendor's indemnity in the list of super-capped claims
    assert re.search(rf"\bSections? (?:[\d.]+(?:, | and ))*{re.escape(number)}\b", super_capped.split("is limited, in aggregate")[0])
    assert ref["partner"] not in uncapped
    assert ref["balanced"] in section(texts["balanced"], "Exclusion of Indirect Losses")


# --- 7. Term and survival -----------------------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_research_exclusivity_tail_outlasts_a_term_that_ends_with_the_research_term(stance: str) -> None:
    """The Term of a research collaboration ends with the Research Term, so an exclusivity that runs
    twelve months longer must say that it continues after the Term, and survive."""
    text = agreement("research-collaboration", stance)
    assert "ends on the expiry of the Research Term" in section(text, "Term")
    exclusivity = section(text, "Exclusivity")
    assert "for twelve (12) months after it ends" in exclusivity
    assert re.search(r"continues? (to apply )?for the (full )?period stated above after the (end of the )?Term", exclusivity)
    assert shipped_library().clauses["scope.exclusivity"].spec.survives


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["research-collaboration", "option-to-license"])
def test_joint_patents_have_a_regime_after_the_term(example: str, stance: str) -> None:
    """Joint patents run for twenty years: someone must keep prosecuting and paying after the Term, and
    a co-owner may step out only by handing over its interest."""
    text = agreement(example, stance)
    regime = section(text, "Joint Patent Rights after the Term")
    assert regime.startswith("\nAfter this Agreement expires or is terminated,")
    assert "continues to prepare, file, prosecute and maintain the Patent Rights on Joint IP" in regime or (
        "continues to prepare, file, prosecute and maintain them" in regime
    )
    assert "assign" in regime
    assert shipped_library().clauses["ip.joint_patents_after_term"].spec.survives


@pytest.mark.parametrize("stance", STANCES)
def test_the_jsc_never_outlives_the_research_collaboration(stance: str) -> None:
    """The JSC is disbanded with the Agreement at the latest; what it still has to approve (the final
    report) no longer depends on it."""
    text = agreement("research-collaboration", stance)
    disband = section(text, "Duration and Disbanding of the JSC")
    assert "no further payment can become due" not in disband
    assert "disbanded when this Agreement expires or is terminated" in disband or "continues until the end of the Term" in disband
    reports = section(text, "Research Reports")
    assert "approve through the JSC a final report" not in reports
    assert shipped_library().clauses["governance.disband"].spec.survives
    assert shipped_library().clauses["governance.reporting"].spec.survives


# --- 8. Governance that works ---------------------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
def test_co_development_jsc_has_a_list_of_responsibilities(stance: str) -> None:
    text = agreement("co-dev-co-com", stance)
    remit = section(text, "Responsibilities of the JSC")
    assert "approve each annual update and amendment of the Development Plan and its budget" in remit
    assert "financial reporting procedures under which Development Costs, Allowable Expenses and Operating Profit or Loss are determined" in remit
    assert "are not subject to Section" in remit  # review items never deadlock
    assert "no role in pricing" in remit


@pytest.mark.parametrize("stance", STANCES)
def test_after_an_opt_out_the_jsc_can_still_decide(stance: str) -> None:
    """Aurelian's members leave the JSC on the Opt-Out Date; quorum and voting, which need each Party,
    are adjusted and Kestara decides alone within the protected limits of the final say."""
    text = agreement("co-dev-co-com", stance)
    quorum = _section_number(text, "Quorum")
    decisions = _section_number(text, "Decisions of the JSC")
    final_say = _section_number(text, "Final Decision-Making Authority")
    opt_out = section(text, "Right to Opt Out")
    assert f"Sections {quorum} and {decisions} apply as if Kestara were the only Party" in opt_out
    assert "Kestara decides alone every matter that this Agreement submits to the JSC" in opt_out
    assert f"Section {final_say}" in opt_out
    assert "sponsorship of its ongoing clinical trials" in opt_out


def test_co_development_non_compete_binds_both_parties_or_says_why_not() -> None:
    balanced = section(agreement("co-dev-co-com", "balanced"), "Field, Territory and Exclusivity")
    assert "no Party and none of its Affiliates shall develop or commercialise any Competing Product" in balanced
    partner = section(agreement("co-dev-co-com", "partner"), "Field, Territory and Exclusivity")
    assert "Kestara and its Affiliates shall not commercialise any Competing Product in the Co-Co Territory" in partner
    pharma_position = shipped_library().clauses["licence.exclusivity"].spec.positions["pharma"]
    assert "pharma" in pharma_position.rationale and "not restricted" in pharma_position.rationale
    # the exclusive licence keeps its one-sided licensor covenant
    licence = section(agreement("exclusive-license", "balanced"), "Field, Territory and Exclusivity")
    assert "Inflamyx and its Affiliates shall not develop or commercialise any Competing Product" in licence


@pytest.mark.parametrize("stance", STANCES)
def test_co_development_has_an_optional_tax_partnership_clause(stance: str) -> None:
    text = agreement("co-dev-co-com", stance)
    tax = section(text, "Tax Treatment of the Co-Development Arrangement")
    assert "Kestara is the partnership representative under section 6223 of the Code" in tax
    assert "section 704(b) of the Code" in tax
    assert "“**Tax Partnership**” means" in text
    elected = section(agreement("co-dev-co-com", stance, "terms: {codev_tax_partnership: elect}"), "Tax Treatment of the Co-Development Arrangement")
    assert "they elect to treat the activities in the Co-Co Territory" in elected
    without = agreement("co-dev-co-com", stance, "exclude: [codev.tax_treatment]\ninclude: [codev.opt_in, disputes.expert_determination]")
    assert "Tax Partnership" not in without


@pytest.mark.parametrize("stance", STANCES)
def test_exclusive_licence_jsc_has_a_remit_and_a_deadlock_rule_that_resolves(stance: str) -> None:
    """The committee of an exclusive licence decides something, and a deadlock ends in a final say that
    the Agreement actually gives, never in a 'last approved plan and budget' that does not exist."""
    text = agreement("exclusive-license", stance)
    remit = section(text, "Responsibilities of the JSC")
    assert "are put to a decision" in remit
    assert re.search(r"(Corvanta|Inflamyx) has the final say", remit)
    escalation = section(text, "Escalation of Deadlocks")
    assert "last approved plan" not in escalation


# --- Missing topics: trademarks, infringement claims, a downstream option ------------------------


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com", "option-to-license"])
def test_licences_say_who_chooses_and_owns_the_product_marks(example: str, stance: str) -> None:
    text = agreement(example, stance)
    marks = section(text, "Trademarks")
    pharma = {"exclusive-license": "Corvanta", "co-dev-co-com": "Kestara", "option-to-license": "Halvorsen"}[example]
    assert re.search(rf"{pharma} (alone )?(selects|shall propose) the Product Marks", marks)
    assert f"{pharma} registers, owns, maintains and enforces" in marks or "registers, owns, maintains and enforces them" in marks
    assert "“**Product Marks**” means" in text
    if example == "co-dev-co-com":
        assert "Co-Promotion" in marks


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com", "option-to-license", "research-collaboration"])
def test_third_party_infringement_claims_have_a_defence_regime(example: str, stance: str) -> None:
    """Who defends a claim that the product (or the research) infringes, who pays, and that no
    settlement binds the other Party or gives away its patents without consent."""
    claims = section(agreement(example, stance), "Third-Party Infringement Claims")
    assert "shall notify the other within ten (10) Business Days after it receives a claim" in claims
    assert re.search(r"(defend|defends|defence)", claims)
    assert re.search(r"settle .*without (its|the other Party's|that Party's|\w+'s) (prior written )?consent", claims)


def test_research_collaboration_offers_an_optional_downstream_option() -> None:
    text = agreement("research-collaboration", "balanced", "include: [governance.observers, ip.research_option]")
    option = section(text, "Option for a Product Licence")
    assert "Helixa grants Nordhaven an exclusive option, for each Collaboration Target" in option
    assert "within ninety (90) days after delivery" in option
    assert "an exercise fee of USD 5,000,000" in option and "royalties of five percent (5%) of net sales" in option
    assert "continues to apply after the Term" in option
    assert shipped_library().clauses["ip.research_option"].spec.survives
    assert "Option for a Product Licence" not in agreement("research-collaboration", "balanced")
    with pytest.raises(Exception, match="ip.commercial_negotiation"):
        agreement("research-collaboration", "balanced", "include: [ip.research_option, ip.commercial_negotiation]")


# --- 11. Royalty tiers read correctly ---------------------------------------------------------------


def _royalty_rows(text: str) -> list[tuple[int, int | None]]:
    rows = re.findall(r"^\| (Up to and including|Above) (USD|EUR) ([\d,]+)(?:, up to and including \w+ ([\d,]+))? \|", text, re.M)
    out = []
    for kind, _cur, first, second in rows:
        low = 0 if kind.startswith("Up to") else int(first.replace(",", ""))
        high = int(first.replace(",", "")) if kind.startswith("Up to") else (int(second.replace(",", "")) if second else None)
        out.append((low, high))
    return out


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com", "option-to-license"])
def test_royalty_bands_are_contiguous_and_ascending(example: str, stance: str) -> None:
    rows = _royalty_rows(section(agreement(example, stance), "Royalties"))
    assert len(rows) >= 2
    for (low, high), (next_low, _) in pairwise(rows):
        assert high is not None and low < high == next_low
    assert rows[-1][1] is None


@pytest.mark.parametrize("tiers", ["[{up_to: 0, rate: 7}]", "[{up_to: 500000000, rate: 70}]", "[{up_to: 500000000, rate: -1}]"])
def test_a_royalty_band_without_a_positive_limit_or_with_an_absurd_rate_is_refused(tiers: str) -> None:
    with pytest.raises(Exception, match="royalty_tiers"):
        agreement("exclusive-license", "balanced", f"terms: {{royalty_tiers: {tiers}}}")


@pytest.mark.parametrize("stance", ["balanced", "partner"])
def test_co_co_territory_sales_after_an_opt_out_count_towards_the_royalty_bands(stance: str) -> None:
    opt_out = section(agreement("co-dev-co-com", stance), "Right to Opt Out")
    assert re.search(r"count(ing)? towards the bands of that Section together with the Net Sales in the Royalty Territory", opt_out)


# --- Two-party wording ------------------------------------------------------------------------------


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com", "option-to-license", "research-collaboration"])
def test_two_party_licensing_deals_speak_of_the_other_party(example: str, stance: str) -> None:
    """Governance, IP, liability and warranty clauses written for any number of Parties read "the other
    Party" in a two-party deal, never "the other Parties"."""
    text = agreement(example, stance)
    assert "other Parties" not in text
    for title in ("Indemnification", "Mutual Representations and Warranties", "Background IP"):
        assert "each other Party" not in section(text, title)


# --- Defaults that fit the deal type ------------------------------------------------------------


def test_option_default_research_milestones_fall_within_the_research_term() -> None:
    data = yaml.safe_load((EXAMPLES / "option-to-license.yaml").read_text("utf-8"))
    for name in ("research_milestone_criteria", "research_milestones", "research_term_months"):
        data["terms"].pop(name, None)
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), shipped_library(), "<option defaults>")
    text = write_markdown(build_deal(deal, shipped_library()))["agreement.md"].decode("utf-8")
    assert "The Research Term begins on the Effective Date and ends thirty (30) months later." in text
    schedule = re.search(r"^## Schedule \d+ — Research Milestones\n(.*?)(?=^## |\Z)", text, re.M | re.S).group(1)
    months = [int(m) for m in re.findall(r"^\|[^|\n]+\|[^|\n]+\|[^|\n]+\| (\d+) \|$", schedule, re.M)]
    assert months and max(months) <= 30, months


@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("example", ["exclusive-license", "co-dev-co-com"])
def test_background_ip_licence_is_no_second_route_to_the_licensed_technology(example: str, stance: str) -> None:
    text = agreement(example, stance)
    background = section(text, "Background IP")
    found = re.search(r"This Section grants no licence under the Licensed Technology, which is licensed only as Section ([\d.]+) provides\.", background)
    assert found, background
    heading = re.search(rf"^### {re.escape(found.group(1))} (.+)$", text, re.M).group(1)
    assert heading.startswith("Licence Grant"), heading
    assert "Licensed Technology" not in section(agreement("research-collaboration", stance), "Background IP")
