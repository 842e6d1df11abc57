"""The absorbed deal file keeps what the user wrote: comments, key order,
quoting, flow style; only the absorbed keys change."""

from __future__ import annotations

import datetime as dt

import yaml

from assembler.review.negotiation.dealfile import absorbed_deal_text

DEAL = """\
# Nordhaven / Helixa: round 1
deal_type: research_collaboration   # the playbook
stance: balanced
positions: {ip.joint_ip: partner}
include:
  - governance.observers          # their experts at the JSC
terms:
  publication_review_days: 45     # academic partner: 45 is our floor
  milestones:
    - {event: "Validation", amount: 1000000}   # first gate
    - {event: "Lead series", amount: 2000000}
  effective: 2027-01-04
"""


def test_only_the_absorbed_keys_change() -> None:
    text = absorbed_deal_text(
        DEAL, "deal.yaml",
        terms={"publication_review_days": 30, "milestones": [{"event": "Validation", "amount": 1500000}, {"event": "Lead series", "amount": 2000000}]},
        positions={"governance.final_say": "partner"},
        exclude=["governance.observers"],
        overrides={"ip.joint_ip": {"text": "Each Party may exploit Joint IP.\n\n1. with notice;\n"}},
        source="theirs.docx",
    )
    lines = text.splitlines()
    assert lines[:3] == DEAL.splitlines()[:3]  # comments and layout above the changes stay
    assert "  publication_review_days: 30     # academic partner: 45 is our floor" in lines
    assert '    - {event: "Validation", amount: 1500000}   # first gate' in lines
    assert "positions: {ip.joint_ip: partner, governance.final_say: partner}" in lines
    assert "include:" not in text  # the one clause it included is now excluded
    assert text.index("terms:") < text.index("exclude:") < text.index("overrides:")
    assert "# clauses as the other side marked them up (theirs.docx)" in text
    data = yaml.safe_load(text)
    assert data["overrides"]["ip.joint_ip"]["text"] == "Each Party may exploit Joint IP.\n\n1. with notice;\n"
    assert data["terms"]["effective"] == dt.date(2027, 1, 4)
    assert list(data) == ["deal_type", "stance", "positions", "terms", "exclude", "overrides"]


def test_no_change_is_the_same_text() -> None:
    assert absorbed_deal_text(DEAL, "deal.yaml") == DEAL
