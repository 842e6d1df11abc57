"""Builds of the shipped examples for the legal-read tests: the Markdown of every document of an
example in a stance, read as typed (the typographic pass's quotes and ties aside), and the
sections of it a test reads."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from conftest import ROOT
from known_findings import build_tolerating_known
from untypeset import untypeset_markdown

from assembler.deal.load import parse_deal
from assembler.library import load as library_module
from assembler.writers.markdown import write_markdown

EXAMPLES = ROOT / "examples"
STANCES = ("pharma", "balanced", "partner")


@cache
def shipped_library() -> library_module.Library:
    return library_module.load_library()


@cache
def documents(example: str, stance: str, extra: str = "") -> dict[str, str]:
    """Markdown of every document of an example built in a stance; ``extra`` is YAML whose mappings are
    merged into the deal's and whose other values replace the deal's."""
    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text("utf-8"))
    data["stance"] = stance
    for key, value in (yaml.safe_load(extra) or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), shipped_library(), f"<{example}>")
    files = write_markdown(build_tolerating_known(deal, shipped_library()))  # shipped findings set aside: tests/known_findings.yaml
    return {Path(name).stem: untypeset_markdown(body.decode("utf-8")) for name, body in files.items()}


def agreement(example: str, stance: str = "balanced", extra: str = "") -> str:
    return documents(example, stance, extra)["agreement"]


def section(text: str, title: str) -> str:
    """The body of the first numbered section (or article, or paragraph of a schedule) whose heading
    ends with ``title``."""
    for level in ("###", "##"):
        match = re.search(rf"^{level} [\d.]+ {re.escape(title)}\n(.*?)(?=^#{{2,3}} |\Z)", text, re.M | re.S)
        if match and match.group(1).strip():
            return match.group(1)
    raise AssertionError(f"no section {title!r}")


def number_of(text: str, title: str) -> str:
    match = re.search(rf"^#{{2,3}} ([\d.]+) {re.escape(title)}$", text, re.M)
    assert match, f"no section {title!r}"
    return match.group(1)
