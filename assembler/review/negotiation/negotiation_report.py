"""The negotiation report of ``dealdraft absorb``: every change of their
copy, what it maps to in the deal file, and which ones the user must decide.
As terminal text, Markdown, a self-contained HTML page, or JSON
(``absorb_format`` 1)."""

from __future__ import annotations

import html
import json
from typing import Any

from ..worddiff import Segment, changed_lines
from .absorb_model import Absorption, Item

ABSORB_FORMAT = 1
_KINDS = {
    "value": "value", "position": "position", "text": "their text", "exclude": "removed", "include": "added (library)",
    "added": "added", "removed": "removed", "moved": "moved", "heading": "heading", "definition": "definition",
}


def _where(item: Item) -> str:
    change = item.change
    if change.kind == "added" and not change.term:
        return change.where
    return change.label()


def _maps_to(item: Item) -> str:
    edits = item.edits
    parts = [f"terms.{k}" for k in edits.terms] + [f"positions.{k}: {v}" for k, v in edits.positions.items()]
    parts += [f"overrides.{k}" for k in edits.overrides] + [f"include: {k}" for k in edits.include]
    parts += [f"exclude: {k}" for k in edits.exclude]
    return ", ".join(parts) or "nothing in the deal file"


def _item_json(item: Item) -> dict[str, Any]:
    change = item.change
    return {
        "kind": item.kind, "change": change.kind, "clause": change.clause or None, "number": change.number or None,
        "title": change.title or None, "term": change.term or None, "where": change.where or None, "tracked": change.tracked,
        "summary": item.summary, "maps_to": item.edits.as_json(), "similarity": None if item.similarity is None else round(item.similarity, 3),
        "closest_position": item.closest or None, "decide": item.decide, "reason": item.reason, "cells": change.cells,
        "words": [{"op": op, "text": text} for op, text in (item.words or change.words)],
    }


def as_json(result: Absorption, output: str | None = None) -> dict[str, Any]:
    by_kind: dict[str, int] = {}
    for item in result.items:
        by_kind[item.kind] = by_kind.get(item.kind, 0) + 1
    return {
        "absorb_format": ABSORB_FORMAT,
        "file": result.file, "deal": result.deal, "document": result.document, "output": output,
        "summary": {"changes": len(result.items), "decisions": len(result.decisions), "by_kind": by_kind,
                    "formatting_only": result.mapping.formatting, "renumbered": result.mapping.renumbered,
                    "reproduced": not result.unreproduced},
        "changes": [_item_json(item) for item in result.items],
        "deal_changes": result.edits.as_json(),
        "unreproduced": result.unreproduced,
    }


def dumps(result: Absorption, output: str | None = None) -> str:
    return json.dumps(as_json(result, output), indent=2, ensure_ascii=False, default=str) + "\n"


def _head(result: Absorption, output: str | None) -> str:
    target = f" \u2192 {output}" if output else ""
    n, d = len(result.items), len(result.decisions)
    return f"{result.file}{target} ({result.document}): {n} change{'s' if n != 1 else ''}, {d} to decide"


def _notes(result: Absorption) -> list[str]:
    notes = []
    if result.mapping.formatting:
        notes.append(f"{result.mapping.formatting} line(s) changed only in formatting or typography (not listed)")
    if result.mapping.renumbered:
        notes.append(f"{result.mapping.renumbered} reference(s) renumbered by their edits (no change)")
    notes += [f"not reproduced by the new deal file: {line}" for line in result.unreproduced]
    return notes


def _next(output: str | None) -> str:
    deal = output or "deal-v2.yaml"
    return (f"next: dealdraft build {deal} -o out-v2/; write your answer as a copy of {deal} (deal-v3.yaml), then "
            f"dealdraft diff {deal} deal-v3.yaml --format docx -o redlines/")


def render_text(result: Absorption, output: str | None = None) -> str:
    lines = [_head(result, output)]
    for item in result.items:
        flag = "  DECIDE" if item.decide else ""
        lines.append(f"  {_KINDS[item.kind]:<12} {_where(item)}: {item.summary}{flag}")
        lines.append(f"  {'':<12} \u2192 {_maps_to(item)}; {item.reason}" + (" (tracked)" if item.change.tracked else ""))
        lines += [f"  {'':<12}   {cell}" for cell in item.change.cells]
        words: list[Segment] = item.words or (item.change.words if item.kind not in ("added", "moved", "removed", "exclude") else [])
        lines += [f"  {'':<12}   {line}" for line in changed_lines(words)[:12]]
    lines += [f"  note: {note}" for note in _notes(result)]
    lines.append(_next(output))
    return "\n".join(lines) + "\n"


def render_markdown(result: Absorption, output: str | None = None) -> str:
    out = [f"# Negotiation round: {result.file}", "", _head(result, output), "",
           "| # | change | where | maps to | decide |", "|---|---|---|---|---|"]
    for index, item in enumerate(result.items, start=1):
        cell = [str(index), f"{_KINDS[item.kind]}: {item.summary}", _where(item), _maps_to(item), ("**yes**: " if item.decide else "no: ") + item.reason]
        out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cell) + " |")
    for index, item in enumerate(result.items, start=1):
        words = item.words or item.change.words
        if words and item.kind not in ("moved",):
            out += ["", f"## {index}. {_where(item)}", "", *(f"- {cell}" for cell in item.change.cells), "```diff",
                    *changed_lines(words)[:40], "```"]
    notes = _notes(result)
    if notes:
        out += ["", *(f"- {note}" for note in notes)]
    out += ["", _next(output)]
    return "\n".join(out) + "\n"


def _segments_html(segments: list[Segment]) -> str:
    tags = {"=": "span", "-": "del", "+": "ins"}
    return "".join(f"<{tags[op]}>{html.escape(text)}</{tags[op]}>" for op, text in segments).replace("\n", "<br>")


def render_html(result: Absorption, output: str | None = None) -> str:
    rows = []
    for item in result.items:
        words = item.words or item.change.words
        diff = f"<div class=diff>{_segments_html(words)}</div>" if words and item.kind != "moved" else ""
        rows.append(
            f"<tr class={'decide' if item.decide else 'ok'}><td>{html.escape(_KINDS[item.kind])}</td>"
            f"<td>{html.escape(_where(item))}</td><td>{html.escape(item.summary)}{diff}</td>"
            f"<td>{html.escape(_maps_to(item))}</td><td>{'yes' if item.decide else 'no'}: {html.escape(item.reason)}</td></tr>"
        )
    notes = "".join(f"<li>{html.escape(note)}</li>" for note in _notes(result))
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Negotiation round</title><style>"
        "body{font:14px/1.4 sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;"
        "padding:4px 6px;vertical-align:top}tr.decide td:last-child{font-weight:bold}del{background:#fdd}ins{background:#dfd}"
        ".diff{margin-top:4px;font-size:13px}</style></head><body>"
        f"<h1>Negotiation round</h1><p>{html.escape(_head(result, output))}</p>"
        "<table><tr><th>change</th><th>where</th><th>what</th><th>maps to</th><th>decide</th></tr>"
        + "".join(rows) + f"</table><ul>{notes}</ul><p>{html.escape(_next(output))}</p></body></html>\n"
    )


RENDERERS = {"text": render_text, "md": render_markdown, "html": render_html, "json": dumps}
