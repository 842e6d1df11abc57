"""Write a deal file with absorbed changes, keeping the user's comments,
key order, quoting and layout (ruamel.yaml's round trip).

Only the keys that change are touched: a value under ``terms``, a clause
under ``positions`` or ``overrides``, an id in ``include`` or ``exclude``.
A missing section is added at the end of the file. Override texts are
written as literal blocks (``|``), one line per paragraph.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from assembler.base.errors import InputError, OutputError, Problem
from assembler.deal.load import parse_deal
from assembler.library.model import Library
from assembler.library.values import ValueContext
from assembler.library.yamlio import read_text

from .absorb_model import Absorption
from .absorb_values import check


def _plain(value: Any) -> Any:
    """A value in the form the YAML writer keeps: maps and lists of plain
    scalars (dates stay dates)."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _plain(item)
        if len(value) <= 3 and all(not isinstance(v, (dict, list)) for v in value.values()):
            out.fa.set_flow_style()
        return out
    if isinstance(value, (list, tuple)):
        return CommentedSeq([_plain(item) for item in value])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _section(data: CommentedMap, key: str, empty: Any) -> Any:
    if key not in data or data[key] is None:
        data[key] = empty
    return data[key]


def _update_in_place(target: Any, value: Any) -> bool:
    """Change a list or map already in the file item by item, so that its
    comments and layout stay; False when the shapes differ."""
    if isinstance(target, list) and isinstance(value, list) and len(target) == len(value):
        for index, item in enumerate(value):
            if isinstance(target[index], (dict, list)) and _update_in_place(target[index], item):
                continue
            if target[index] != item:
                target[index] = _plain(item)
        return True
    if isinstance(target, dict) and isinstance(value, dict):
        for key, item in value.items():
            if key in target and isinstance(target[key], (dict, list)) and _update_in_place(target[key], item):
                continue
            if target.get(key) != item:
                target[key] = _plain(item)
        return True
    return False


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file writes them."""
    mapping, sequence, offset = 2, 4, 2
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for previous, line in zip(lines, lines[1:], strict=False):
        if previous.rstrip().endswith(":") and not previous.startswith(" "):
            spaces = len(line) - len(line.lstrip(" "))
            if line.lstrip().startswith("- "):
                offset, sequence = spaces, spaces + 2
            elif spaces:
                mapping = spaces
    return mapping, max(sequence, offset + 2), offset


def absorbed_deal_text(text: str, name: str, *, terms: dict[str, Any] | None = None, positions: dict[str, str] | None = None,
                       overrides: dict[str, dict[str, str]] | None = None, include: list[str] | None = None, exclude: list[str] | None = None,
                       source: str = "") -> str:
    """The deal file ``text`` with the absorbed changes, as text."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line the user wrote on one line
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise InputError([Problem(f"cannot read the deal file to update it ({exc})", name)]) from None
    if not isinstance(data, CommentedMap):
        raise InputError([Problem("a deal file must be a mapping", name, 1)])
    terms, positions, overrides = terms or {}, positions or {}, overrides or {}
    include, exclude = include or [], exclude or []
    if terms:
        section = _section(data, "terms", CommentedMap())
        for key, value in terms.items():
            if not (key in section and isinstance(section[key], (dict, list)) and _update_in_place(section[key], value)):
                section[key] = _plain(value)
    if positions:
        section = _section(data, "positions", CommentedMap())
        for key, value in positions.items():
            section[key] = value
    for key, ids in (("include", include), ("exclude", exclude)):
        if ids:
            section = _section(data, key, CommentedSeq())
            for clause_id in ids:
                if clause_id not in section:
                    section.append(clause_id)
            if key == "exclude" and "include" in data and isinstance(data["include"], list):
                for clause_id in ids:
                    while clause_id in data["include"]:
                        data["include"].remove(clause_id)
                if not data["include"]:
                    del data["include"]
    if overrides:
        fresh = "overrides" not in data or data["overrides"] is None
        section = _section(data, "overrides", CommentedMap())
        for key, fields in overrides.items():
            entry = section[key] if isinstance(section.get(key), CommentedMap) else CommentedMap()
            for name in ("title", "article", "after", "before", "text"):
                if name in fields:
                    value = fields[name]
                    entry[name] = LiteralScalarString(value if value.endswith("\n") else value + "\n") if name == "text" else value
            section[key] = entry
        if fresh and source:
            data.yaml_set_comment_before_after_key("overrides", before=f"clauses as the other side marked them up ({source})")
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def next_deal_text(result: Absorption, deal_path: Path, library: Library) -> str:
    """The absorbed deal file: the user's deal file with the changes in,
    comments and order kept; checked by loading it again."""
    text = read_text(deal_path, str(deal_path))
    if result.edits.as_json():
        text = absorbed_deal_text(text, str(deal_path), **result.edits.as_json(), source=Path(result.file).name)
    parsed = parse_deal(text, library, str(deal_path))
    ctx = ValueContext(currency=parsed.spec.currency, roles=parsed.roles)
    for name, value in result.edits.terms.items():
        if parsed.terms.get(name) != check(library.variables[name], value, ctx)[0]:
            raise OutputError([Problem(f"the updated deal file would read {name} differently; nothing was written", str(deal_path), field=f"terms.{name}")])
    return text
