"""The interview form ⇄ deal data ⇄ deal-file text.

Input names are the deal file's own field paths (``stance``,
``parties[0].legal_name``, ``terms.upfront_payment``,
``positions.governance.final_say``), so a problem the deal loader reports
for a field lands on the input that holds it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from assembler.base.errors import InputError
from assembler.library.deal_type_schema import DealTypeSpec
from assembler.library.model import Library
from assembler.library.values import to_json
from assembler.library.yamlio import loads, plain

TEXT_TYPES = ("string", "text", "choice", "party")
PARTY_FIELDS = ("role", "legal_name", "short_name", "entity_type", "address", "signatory_name", "signatory_title")
DEAL_FIELDS = ("title", "effective_date", "date", "governing_law", "currency", "stance", "draft_version", "marking")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
MAX_PARTIES = 30


def deal_data(text: str, name: str) -> dict[str, Any]:
    """A deal file's content as plain data; InputError when it is not a mapping."""
    data = plain(loads(text, name))
    if not isinstance(data, dict):
        from assembler.base.errors import Problem

        raise InputError([Problem("a deal file must be a mapping (deal_type, parties, terms …)", name, 1)])
    return data


def value_text(value: Any, kind: str = "") -> str:
    """How a value reads in an input: what a person would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict) and set(value) <= {"amount", "currency"} and "amount" in value and kind == "money":
        return f"{value.get('currency', '')} {value_text(value['amount'])}".strip()
    if isinstance(value, list | tuple | dict):
        return _dump(to_json(value)).strip()
    return str(value)


def parse_typed(answer: str) -> Any:
    """A typed answer as YAML data: numbers (also 5,000,000), dates, booleans, lists."""
    if _THOUSANDS.fullmatch(answer.strip()):
        answer = answer.replace(",", "")
    return plain(loads(answer, "value"))


def _date(text: str) -> Any:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def form_to_data(form: Mapping[str, str], exclude: list[str], library: Library, deal_type: DealTypeSpec) -> tuple[dict[str, Any], dict[str, str]]:
    """The deal data an interview form describes, and the inputs that do not parse."""
    unparsed: dict[str, str] = {}
    data: dict[str, Any] = {"deal_type": deal_type.id}
    for key in DEAL_FIELDS:
        value = form.get(key, "").strip()
        if value:
            data[key] = _date(value) if key in ("effective_date", "date") else value
    parties = []
    count = min(_int(form.get("party_count", "0")), MAX_PARTIES)
    for index in range(count):
        party = {}
        for key in PARTY_FIELDS:
            value = form.get(f"parties[{index}].{key}", "").strip()
            if value or key not in ("signatory_name", "signatory_title"):
                party[key] = value
        parties.append(party)
    data["parties"] = parties
    positions = {}
    include = []
    for key, value in form.items():
        if key.startswith("positions.") and value:
            positions[key.removeprefix("positions.")] = value
        elif key.startswith("include.") and value:
            include.append(key.removeprefix("include."))
    data["positions"] = positions
    data["include"] = include
    data["exclude"] = [c for c in exclude if c]
    terms: dict[str, Any] = {}
    for key, raw in form.items():
        if not key.startswith("terms.") or not raw.strip():
            continue
        name = key.removeprefix("terms.")
        var = library.variables.get(name)
        if var is not None and var.type in TEXT_TYPES:
            terms[name] = raw.strip() if var.type != "text" else raw.strip("\n")
            continue
        try:
            terms[name] = parse_typed(raw)
        except InputError as exc:
            unparsed[key] = exc.problems[0].message if exc.problems else "is not valid"
    data["terms"] = terms
    return data, unparsed


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(value: Any) -> str:
    # libyaml's emitter: the pure-Python one is most of a live preview's time
    text: str = yaml.dump(value, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return text


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line if line.strip() else line for line in text.splitlines(keepends=True))


def data_to_text(data: dict[str, Any], library: Library, deal_type: DealTypeSpec) -> str:
    """A readable deal file: fields in a fixed order, each term under a comment
    with its description. The CLI builds it like any other deal file."""
    lines = [
        "# yaml-language-server: $schema=./deal.schema.json",
        f"# {deal_type.name} — kept with `dealdraft serve`; edit it here or by hand.",
        "# Build it with: dealdraft build THIS_FILE -o out/ --format docx,pdf",
    ]
    out = "\n".join(lines) + "\n" + _dump({"deal_type": data["deal_type"]})
    if data.get("title"):
        out += _dump({"title": data["title"]})
    out += _dump({"parties": data.get("parties", [])})
    for key in DEAL_FIELDS[1:]:
        if key in data:
            out += _dump({key: data[key]})
    for key in ("positions", "include", "exclude"):
        value = data.get(key) or ({} if key == "positions" else [])
        out += _dump({key: value}) if value else f"{key}: {'{}' if key == 'positions' else '[]'}\n"
    terms = data.get("terms") or {}
    if not terms:
        return out + "terms: {}\n"
    out += "terms:\n"
    for name, value in terms.items():
        var = library.variables.get(name)
        if var is not None and var.description.strip():
            out += f"  # {' '.join(var.description.split())}\n"
        out += _indent(_dump({name: value}), 2)
    return out
