"""The legal logic of the licensing deal types (research collaboration, option, exclusive licence,
co-development), read from real builds of the shipped examples in each stance.

Each test states one rule a careful reviewer applies to the built agreement (a payment that may not
fall due before antitrust clearance, a cap that fits the deal, a committee that can still decide after
an opt-out, ...) and checks it on the Markdown the tool writes.
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
    """Markdown of every document of an example built in a stance; ``extra`` is YAML merged into the deal."""
    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text("utf-8"))
    data["stance"] = stance
    for key, value in (yaml.safe_load(extra) or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        elif isinstance(value, list) and isinstance(data.get(key), list):
            data[key] = [*data[key], *value]
        else:
            data[key] = value
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), _library(), f"<{example}>")
    files = write_markdown(build_deal(deal, _library()))
    return {Path(name).stem: body.decode("utf-8") for name, body in files.items()}


def agreement(example: str, stance: str = "balanced", extra: str = "") -> str:
    return _build(example, stance, extra)["agreement"]


def section(text: str, title: str) -> str:
    """The body of the first numbered section (or article) whose heading ends with ``title``."""
    for level in ("###", "##"):
        match = re.search(rf"^{level} [\d.]+ {re.escape(title)}\n(.*?)(?=^#{{2,3}} |\Z)", text, re.M | re.S)
        if match and match.group(1).strip():
            return match.group(1)
    raise AssertionError(f"no section {title!r}")


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
