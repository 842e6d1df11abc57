"""``dealdraft show`` and ``dealdraft why``: one clause, looked at closely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assembler.api import build_deal, load_deal
from assembler.assembly.lockfile import clause_nodes
from assembler.assembly.tree import Article, Schedule, Section
from assembler.base.errors import InputError, Problem
from assembler.deal.load import parse_deal
from assembler.deal.scaffold import sample_deal
from assembler.library.model import Library, outline_entries
from assembler.library.validation import closest
from assembler.review.explain import explain_clause, explanation_lines
from assembler.writers.markdown import blocks_md


def _clause(library: Library, clause_id: str) -> Any:
    clause = library.clauses.get(clause_id)
    if clause is None:
        raise InputError([Problem("unknown clause" + closest(clause_id, library.clauses), clause=clause_id, field="CLAUSE_ID")])
    return clause


def _outline_home(library: Library, clause_id: str) -> tuple[str, bool] | None:
    """A deal type whose outline uses the clause, and whether it is optional there."""
    for type_id, sourced in sorted(library.deal_types.items()):
        for entry in sourced.spec.documents:
            for _where, cid, optional in outline_entries(library.document_spec(entry)):
                if cid == clause_id and library.clauses[cid].spec.applies_to(type_id):
                    return type_id, optional
    return None


def show_clause(library: Library, clause_id: str, position: str | None, deal_path: Path | None) -> str:
    """The clause as it reads in a draft, with its number and defined terms."""
    clause = _clause(library, clause_id)
    position = position or "balanced"
    if position not in clause.spec.positions:
        raise InputError(
            [Problem(f"unknown position {position!r}; this clause has {', '.join(clause.spec.positions)}" + closest(position, clause.spec.positions), clause=clause_id, field="--position")]
        )
    if deal_path is not None:
        deal = load_deal(deal_path, library)
        data = yaml.safe_load(Path(deal_path).read_text("utf-8"))
        name = str(deal_path)
        del deal
    else:
        home = _outline_home(library, clause_id)
        if home is None:
            raise InputError([Problem("the clause is not in any deal type's outline; show it with --deal DEAL.yaml", clause=clause_id)])
        home_spec = library.deal_types[home[0]].spec
        data = sample_deal(library, home_spec, position if position in home_spec.stance_names() else home_spec.stance_default())
        name = f"<sample {home[0]} deal>"
    data.setdefault("positions", {})[clause_id] = position
    data.setdefault("include", [])
    if clause_id not in data["include"]:
        optional = {cid for e in library.deal_types[data["deal_type"]].spec.documents for _w, cid, opt in outline_entries(library.document_spec(e)) if opt}
        if clause_id in optional:
            data["include"].append(clause_id)
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), library, name)
    build = build_deal(deal, library)
    for document in build.documents:
        for node in clause_nodes(document):
            if node.clause_id == clause_id:
                return _format(clause, position, node, document.title)
    raise InputError([Problem("the clause is not part of this deal (see `dealdraft why`)", clause=clause_id)])


def _format(clause: Any, position: str, node: Section | Article | Schedule, doc_title: str) -> str:
    spec = clause.spec
    pos = spec.positions[position]
    number = f"Schedule {node.number}" if isinstance(node, Schedule) else node.number
    lines = [
        f"{spec.id} {spec.version} — {position} position" + (f": {pos.rationale.strip()}" if pos.rationale.strip() else ""),
        f"in {doc_title}" + (f", {number}" if number else ""),
        "",
        f"{number} {spec.title}".strip(),
        "",
    ]
    lines += [line + "\n" for line in blocks_md(node.blocks)]
    if spec.defines:
        lines.append("Defines: " + ", ".join(sorted(spec.defines)))
    if spec.notes.strip():
        lines.append("Notes: " + " ".join(spec.notes.split()))
    return "\n".join(lines).rstrip() + "\n"


def explain(library: Library, clause_id: str, deal_path: Path) -> str:
    """Why a clause is in or out of a deal: outline, conditions, position, values."""
    _clause(library, clause_id)
    return "\n".join(explanation_lines(explain_clause(library, clause_id, load_deal(deal_path, library))))
