"""The drafting consistency rules are lint rules: each one fires on a bad clause."""

from __future__ import annotations

from pathlib import Path

import pytest

from assembler.library import load as library_module
from assembler.library.rules import consistency_rules

CLAUSE = """- id: {id}
  title: T
  summary: S
  version: 1.0.0
  deal_types: all
  {extra}
  positions:
    balanced:
      rationale: R
      text: "{text}"
"""

CASES = {
    "processor breach notice of 72 hours or more": (
        "data.breach", "variables: {processor_breach_notice_hours: {type: hours, default: 72, max: 96}}",
        "Notice within {{ hours(processor_breach_notice_hours) }}.", "must stay under 72",
    ),
    "HIPAA notice over 60 days": (
        "data.hipaa", "variables: {hipaa_breach_notice_days: {type: days, default: 30, max: 90}}",
        "Notice within {{ days(hipaa_breach_notice_days) }}.", "may not exceed 60 days",
    ),
    "abstract review longer than manuscript review": (
        "pubs.review", "variables: {abstract_review_days: {type: days, default: 45}, manuscript_review_days: {type: days, default: 30}}",
        "{{ days(abstract_review_days) }} {{ days(manuscript_review_days) }}", "abstract review (45 days) is longer than manuscript review (30 days)",
    ),
    "final say without protected exceptions": (
        "gov.final_say", "", "The pharma party has the final decision.", "must list its protected exceptions",
    ),
    "joint IP without an exploitation rule": (
        "ip.joint", "defines: {Joint IP: jointly made inventions}", "{{ term('Joint IP') }} is owned jointly.", "explicit rule on exploitation",
    ),
    "minutes that could amend": (
        "gov.minutes", "", "Minutes are circulated within ten days.", "cannot amend the agreement",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_fires(name: str, tmp_path: Path) -> None:
    clause_id, extra, text, expected = CASES[name]
    (tmp_path / "c.yaml").write_text(CLAUSE.format(id=clause_id, extra=extra, text=text), "utf-8")
    library = library_module.load_library([tmp_path], builtin=False)
    assert library.errors() == []
    messages = [p.message for p in consistency_rules(library) if p.clause == clause_id]
    assert any(expected in m for m in messages), messages


def test_rules_accept_good_clauses(tmp_path: Path) -> None:
    good = CLAUSE.format(
        id="gov.final_say", extra="",
        text="The pharma party has the final decision, except that it may not:\\n\\n1. amend this Agreement; or\\n2. waive a right.",
    )
    (tmp_path / "c.yaml").write_text(good, "utf-8")
    library = library_module.load_library([tmp_path], builtin=False)
    assert consistency_rules(library) == []
