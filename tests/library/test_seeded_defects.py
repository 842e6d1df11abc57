"""Seeded defects: each case copies the shipped library, injects one defect of
the kinds a legal read found (a role the deal lacks, a concept nothing
provides, a survivor dropped from survival, reversed tiers, a plan period
that contradicts the agreement, a typo in one position …), and asserts that
lint or a build reports it with a message naming the clause.

Run with ``-s`` to see the count caught."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from known_findings import known
from logic_fixtures import copy_shipped

from assembler.base.errors import Problem
from assembler.library import load as library_module
from assembler.review.lint import lint_library


def _block(text: str, clause_id: str) -> tuple[int, int]:
    start = text.index(f"- id: {clause_id}\n")
    end = text.find("\n- id: ", start + 1)
    return start, len(text) if end < 0 else end + 1


def _where(copy: Path, clause_id: str) -> Path:
    for path in sorted(copy.rglob("*.yaml")):
        if f"- id: {clause_id}\n" in path.read_text("utf-8"):
            return path
    raise KeyError(clause_id)


def replace(copy: Path, clause_id: str, old: str, new: str) -> None:
    """Replace text inside one clause (or, with a path-like id, one file)."""
    path = copy / clause_id if clause_id.endswith(".yaml") else _where(copy, clause_id)
    text = path.read_text("utf-8")
    start, end = (0, len(text)) if clause_id.endswith(".yaml") else _block(text, clause_id)
    block = text[start:end]
    assert old in block, f"{old!r} not in {clause_id}"
    path.write_text(text[:start] + block.replace(old, new, 1) + text[end:], "utf-8")


def add_to_text(copy: Path, clause_id: str, position: str, sentence: str) -> None:
    """Put a sentence at the start of a position's text."""
    path = _where(copy, clause_id)
    text = path.read_text("utf-8")
    start, end = _block(text, clause_id)
    block = text[start:end]
    at = block.index(f"\n    {position}:\n")
    body = block.index("      text: |\n", at) + len("      text: |\n")
    block = block[:body] + f"        {sentence}\n\n" + block[body:]
    path.write_text(text[:start] + block + text[end:], "utf-8")


def add_after_summary(copy: Path, clause_id: str, line: str) -> None:
    replace_line = re.compile(r"(\n  summary: [^\n]*\n)")
    path = _where(copy, clause_id)
    text = path.read_text("utf-8")
    start, end = _block(text, clause_id)
    block = replace_line.sub(lambda m: m.group(1) + f"  {line}\n", text[start:end], count=1)
    path.write_text(text[:start] + block + text[end:], "utf-8")


def add_position(copy: Path, clause_id: str, name: str, body: str) -> None:
    replace(copy, clause_id, "  positions:\n", f"  positions:\n    {name}:\n      rationale: A stricter variant.\n      text: |\n        {body}\n")


@dataclass(frozen=True)
class Defect:
    clause: str
    """The clause the report must name (a clause id, or text the message must contain)."""
    expected: str
    """A part of the message."""
    inject: object
    deal_types: frozenset[str] = field(default_factory=frozenset)
    """The deal types lint builds to find it (none: the checks without builds find it)."""


def D(clause: str, expected: str, inject: object, *types: str) -> Defect:
    return Defect(clause, expected, inject, frozenset(types))


DEFECTS: dict[str, Defect] = {
    "a role the deal type lacks": D(
        "term.partner_resiliency", "party('academic'): no party has that role",
        lambda c: replace(c, "term.partner_resiliency", "{{ party('partner') }} shall also provide", "{{ party('academic') }} shall also provide"),
        "research_collaboration",
    ),
    "one party assumed for a role a consortium may repeat": D(
        "consortium.governance.executive_board", "party('academic'): 2 parties have that role",
        lambda c: add_to_text(c, "consortium.governance.executive_board", "balanced", "{{ party('academic') }} chairs the first meeting."),
        "multi_party_consortium",
    ),
    "a clause relying on a concept some deal type lacks": D(
        "boilerplate.costs", "relies on 'fte_funding', which nothing in this exclusive_license deal provides",
        lambda c: add_after_summary(c, "boilerplate.costs", "relies_on: [fte_funding]"),
        "exclusive_license",
    ),
    "a concept's provider removed": D(
        "governance.final_say", "relies on 'approved_plan', which nothing in this research_collaboration deal provides",
        lambda c: replace(c, "scope.plan", "  provides: [approved_plan]\n", ""),
        "research_collaboration",
    ),
    "an unknown concept (a typo)": D(
        "royalties.reports", "relies on 'royalites', which no clause or deal type of the library provides (did you mean 'royalties'?)",
        lambda c: replace(c, "royalties.reports", "relies_on: [royalties]", "relies_on: [royalites]"),
    ),
    "a survivor dropped from the survival list": D(
        "confidentiality.duration", "does not say survives: true, so the survival clause does not list it",
        lambda c: replace(c, "confidentiality.duration", "  survives: true\n", ""),
    ),
    "a survival clause typed by hand": D(
        "clause term.survival lists survivors by hand", "no clause of a research_collaboration deal lists them with surviving()",
        lambda c: replace(c, "term.survival", "{{ surviving() }}", "{{ ref('confidentiality.obligations') }}"),
    ),
    "reversed royalty tiers": D(
        "royalties.royalty_rates", "terms.royalty_tiers[1].up_to",
        lambda c: replace(c, "deal-types/exclusive_license.yaml", "\ndefaults:\n", "\ndefaults:\n  royalty_tiers: [{up_to: 1000000000, rate: 9}, {up_to: 500000000, rate: 7}]\n"),
        "exclusive_license",
    ),
    "a plan period typed as a number": D(
        "plans.comms.external", "types the public statement review period as business_days(10)",
        lambda c: add_to_text(c, "plans.comms.external", "balanced", "The public statement review period is {{ business_days(10) }}."),
    ),
    "a plan period defaulting otherwise than the agreement": D(
        "plans.comms.external", "governs the public statement review period",
        lambda c: (
            replace(c, "plans.comms.external", "  variables:\n", "  variables:\n    plan_review_business_days:\n      type: business_days\n      period: public_statement_review\n      default: 10\n      description: Review of a public statement under the plan.\n"),
            add_to_text(c, "plans.comms.external", "balanced", "A public statement is reviewed within {{ business_days(plan_review_business_days) }}."),
        ),
    ),
    "a typo'd variable in a position no stance chooses": D(
        "term.survival", "reads variable 'confidentiality_yeras' in its strict position",
        lambda c: add_position(c, "term.survival", "strict", "{{ surviving() }} survive for {{ years(confidentiality_yeras) }}."),
    ),
    "a typo'd variable in a stance position": D(
        "term.term", "reads variable 'term_renewl_years' in its pharma position",
        lambda c: replace(c, "term.term", "successive periods of {{ years(term_renewal_years) }} on the existing terms", "successive periods of {{ years(term_renewl_years) }} on the existing terms"),
    ),
    "a constraint broken by the defaults": D(
        "scope.plan", "terms.research_term_months: 24 months (research_collaboration deal type) must be at least the largest target_month",
        lambda c: replace(c, "deal-types/research_collaboration.yaml", "  research_term_months: 36\n", "  research_term_months: 24\n"),
        "research_collaboration",
    ),
    "a constraint naming an unknown variable": D(
        "unknown variable 'exec_resolution_dayz'", "did you mean 'exec_resolution_days'",
        lambda c: replace(c, "deal-types/research_collaboration.yaml", "jsc_deadlock_days + exec_resolution_days <= 90", "jsc_deadlock_days + exec_resolution_dayz <= 90"),
    ),
    "a position favouring the wrong side": D(
        "term.termination_convenience", "the pharma position favours 'partner', but the pharma stance argues for 'pharma'",
        lambda c: replace(c, "term.termination_convenience", "favours: {pharma: pharma,", "favours: {pharma: partner,"),
    ),
    "a position favouring a role no deal has": D(
        "consortium.confidentiality.period", "favours 'investor', which is not a role of its deal types",
        lambda c: replace(c, "consortium.confidentiality.period", "partner: academic}", "partner: investor}"),
    ),
    "a text written for the wrong side": D(
        "term.change_of_control", "written for the wrong side?",
        lambda c: add_to_text(c, "term.change_of_control", "pharma", "{{ party('pharma') }} shall not terminate this Agreement. {{ party('pharma') }} may not object to the acquirer."),
    ),
    "a reference to an optional clause that may be left out": D(
        "governance.minutes", "ref('governance.observers') cannot be resolved",
        lambda c: add_to_text(c, "governance.minutes", "balanced", "Observers under {{ ref('governance.observers') }} may receive the minutes."),
        "research_collaboration",
    ),
    "an undefined term in a plan": D(
        "plans.jsc.purpose", "term('Steering Plan') is not defined by any clause",
        lambda c: add_to_text(c, "plans.jsc.purpose", "balanced", "The JSC follows the {{ term('Steering Plan') }}."),
    ),
    "a template error in one position": D(
        "governance.decision_rule", "template syntax error",
        lambda c: add_to_text(c, "governance.decision_rule", "partner", "{% if %}Broken.{% endif %}"),
    ),
    "a defect only a condition scenario shows": D(
        "licence.antitrust_clearance", "date() needs a date",
        lambda c: add_to_text(c, "licence.antitrust_clearance", "partner", "The outside date is {{ date(antitrust_outside_date_days) }}."),
        "exclusive_license",
    ),
    "a period typed into a text": D(
        "saas.services", "types 'days(30)' as a number",
        lambda c: replace(c, "saas.services", "{{ days(suspension_notice_days) }}' notice of undisputed fees", "{{ days(30) }}' notice of undisputed fees"),
    ),
    "a period spelled out in a text": D(
        "term.partner_resiliency", "types 'thirty (30) days' as a number",
        lambda c: replace(c, "term.partner_resiliency", "{{ days(financial_statements_days) }} after they are approved", "thirty (30) days after they are approved"),
    ),
    "representations only at a deferred Effective Date": D(
        "warranties.mutual", "gives representations only 'as of the Effective Date'",
        lambda c: replace(c, "warranties.mutual", "as of the {% if provided('clearance_condition') %}{{ term('Signature Date') }} and again as of the {{ term('Effective Date') }}{% else %}{{ term('Effective Date') }}{% endif %}", "as of the {{ term('Effective Date') }}"),
    ),
    "a perpetual licence that does not survive": D(
        "licence.grant", "grants something 'perpetual'",
        lambda c: replace(c, "licence.grant", "  survives: true\n", ""),
    ),
    "a deal fact decided from the deal type": D(
        "governance.deadlock_escalation", "decides 'final_say' from the deal type",
        lambda c: replace(c, "governance.deadlock_escalation", "{% set final_say = provided('final_say') %}", "{% set final_say = deal.deal_type in ['research_collaboration', 'co_dev_co_com'] %}"),
    ),
    "royalties that end with the Term under surviving royalty reports": D(
        "royalties.reports", "survives the Term and relies on 'royalties'",
        lambda c: replace(c, "royalties.royalty_rates", "  survives: true\n", ""),
    ),
    "an optional variable a text shows as a blank": D(
        "economics.late_payment", "variable 'late_payment_reference_rate' is optional",
        lambda c: add_to_text(c, "economics.late_payment", "balanced", "The reference rate is {{ late_payment_reference_rate }}."),
        "exclusive_license",
    ),
    "a misspelt start": D(
        "licence.antitrust_clearance", "starts",
        lambda c: add_after_summary(c, "licence.antitrust_clearance", "starts: signing"),
    ),
}

CAUGHT: list[str] = []


def found(problems: list[Problem], defect: Defect) -> list[Problem]:
    """New problems (not a known finding of the shipped texts) that name the clause."""
    return [
        p for p in problems
        if defect.expected in p.message + str(p) and (p.clause == defect.clause or defect.clause in str(p)) and known(p) is None
    ]


@pytest.mark.parametrize("name", list(DEFECTS))
def test_a_seeded_defect_is_caught(name: str, tmp_path: Path) -> None:
    defect = DEFECTS[name]
    copy = copy_shipped(tmp_path)
    defect.inject(copy)  # type: ignore[operator]
    library = library_module.load_library([copy], builtin=False)
    problems = library.errors() if library.errors() else lint_library(library, deal_types=defect.deal_types)
    hits = found(problems, defect)
    assert hits, [str(p) for p in problems if known(p) is None][:10]
    CAUGHT.append(name)


def test_how_many_seeded_defects_are_caught() -> None:
    if len(CAUGHT) < len(DEFECTS):
        pytest.skip("run the whole module to count")
    print(f"\nseeded defects caught: {len(CAUGHT)} of {len(DEFECTS)}")
    assert len(CAUGHT) >= 15
