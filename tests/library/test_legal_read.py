"""A legal read of every deal type in every stance, as opposing counsel reads a draft.

Each test states one rule a careful drafter would apply to the built agreement and plans (periods a
deal can negotiate, representations that speak at signing, a paid-up licence that outlasts the Term,
partial termination in the deal's own units, service credits that can be applied, an MTA cap that
does not cap the breaches that matter most, ...) and checks it on the Markdown of a real build.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from assembler.api import build_deal
from assembler.deal.load import parse_deal
from assembler.library import load as library_module
from assembler.writers.markdown import write_markdown

EXAMPLES = ROOT / "examples"
STANCES = ("pharma", "balanced", "partner")


@cache
def _library() -> library_module.Library:
    return library_module.load_library()


@cache
def _build(example: str, stance: str, extra: str = "") -> dict[str, str]:
    """Markdown of every document of an example built in a stance; ``extra`` is YAML whose mappings are
    merged into the deal's and whose other values replace the deal's."""
    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text("utf-8"))
    data["stance"] = stance
    for key, value in (yaml.safe_load(extra) or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), _library(), f"<{example}>")
    files = write_markdown(build_deal(deal, _library()))
    return {Path(name).stem: body.decode("utf-8") for name, body in files.items()}


def agreement(example: str, stance: str = "balanced", extra: str = "") -> str:
    return _build(example, stance, extra)["agreement"]


def section(text: str, title: str) -> str:
    """The body of the first numbered section (or paragraph of a schedule) whose heading ends with ``title``."""
    for level in ("###", "##"):
        match = re.search(rf"^{level} [\d.]+ {re.escape(title)}\n(.*?)(?=^#{{2,3}} |\Z)", text, re.M | re.S)
        if match and match.group(1).strip():
            return match.group(1)
    raise AssertionError(f"no section {title!r}")


def number_of(text: str, title: str) -> str:
    match = re.search(rf"^#{{2,3}} ([\d.]+) {re.escape(title)}$", text, re.M)
    assert match, f"no section {title!r}"
    return match.group(1)


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
        assert number_of(text, title) in section(text, "Antitrust Clearance").split("bind the Parties from")[0], title


def test_representations_without_a_condition_precedent_keep_the_effective_date() -> None:
    text = agreement("research-collaboration")
    assert "as of the Effective Date, that:" in section(text, "Mutual Representations and Warranties")
    assert "Signature Date" not in text
