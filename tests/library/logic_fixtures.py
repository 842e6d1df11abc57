"""Small libraries written on the fly for the tests of the library's logic
(concepts, survival, constraints, stance sides, lint combinations)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from assembler.base.errors import DealdraftError, Problem
from assembler.deal.load import parse_deal
from assembler.deal.scaffold import sample_deal
from assembler.library import load as library_module
from assembler.library.model import Library

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "clauses"


def clause(clause_id: str, text: str = "Text of {{ party('pharma') }}.", **extra: Any) -> dict[str, Any]:
    """A clause with one balanced position (``positions=`` gives others)."""
    data: dict[str, Any] = {"id": clause_id, "title": clause_id.split(".")[-1].title(), "summary": "S", "version": "1.0.0", "deal_types": "all"}
    positions = extra.pop("positions", None) or {"balanced": {"rationale": "R", "text": text}}
    data.update(extra)
    data["positions"] = positions
    return data


def positions(**texts: str) -> dict[str, Any]:
    return {name: {"rationale": "R", "text": text} for name, text in texts.items()}


def deal_type(type_id: str, articles: list[Any], roles: tuple[str, ...] = ("pharma", "partner"), **extra: Any) -> dict[str, Any]:
    """A deal type with one agreement made of ``articles`` ([title, [clause ids]] pairs or article mappings)."""
    outline = [a if isinstance(a, dict) else {"title": a[0], "clauses": a[1]} for a in articles]
    data: dict[str, Any] = {
        "id": type_id,
        "name": type_id.title(),
        "summary": "S",
        "parties": {"roles": list(roles), "min": 2, "max": len(roles)},
    }
    data.update(extra)
    data["documents"] = [{"id": "agreement", "title": "Agreement", "kind": "agreement", "ref_name": "the Agreement", "articles": outline}]
    return data


def write_library(root: Path, clauses: list[dict[str, Any]], deal_types: list[dict[str, Any]]) -> Library:
    """Write and load a library of its own (no built-in clauses)."""
    (root / "lib" / "deal-types").mkdir(parents=True, exist_ok=True)
    (root / "lib" / "c.yaml").write_text(yaml.safe_dump(clauses, sort_keys=False, allow_unicode=True), "utf-8")
    for spec in deal_types:
        (root / "lib" / "deal-types" / f"{spec['id']}.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), "utf-8")
    return library_module.load_library([root / "lib"], builtin=False)


def deal_text(library: Library, type_id: str, stance: str = "balanced", **changes: Any) -> str:
    data = sample_deal(library, library.deal_types[type_id].spec, stance)
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def plan_problems(library: Library, type_id: str, stance: str = "balanced", **changes: Any) -> list[Problem]:
    """The problems of building a sample deal (empty when it builds)."""
    from assembler.assembly.assemble import assemble
    from assembler.assembly.plan import make_plan

    try:
        deal = parse_deal(deal_text(library, type_id, stance, **changes), library, "<deal>")
        assemble(make_plan(deal, library), library, _renderer())
    except DealdraftError as exc:
        return exc.problems
    return []


def _renderer() -> Any:
    from assembler.assembly.render import Renderer

    return Renderer()


def copy_shipped(tmp_path: Path) -> Path:
    """A copy of the shipped clause library to change in a test."""
    target = tmp_path / "clauses"
    shutil.copytree(SHIPPED, target)
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a library file, failing when the text is not there."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")
