"""How a diff is shown: terminal text (like ``git diff --word-diff``) and a
self-contained HTML page. JSON is ``diff.dumps``; the DOCX redline is
``writers/docx`` with tracked changes."""

from __future__ import annotations

import html
import json
from typing import Any

from .diff import Diff

_LABELS = {
    "added": "added",
    "removed": "removed",
    "moved": "moved",
    "moved_and_changed": "moved and changed",
    "position_changed": "position changed",
    "version_changed": "version changed",
    "text_changed": "text changed",
    "variable_changed": "variable changed",
}
_SIGNS = {"added": "+", "removed": "-", "variable_changed": "="}


def summary_line(diff: Diff) -> str:
    counts = diff.counts()
    if not counts:
        head = "no changes"
    else:
        parts = [f"{n} {_LABELS[k]}" for k, n in sorted(counts.items(), key=lambda kv: list(_LABELS).index(kv[0]))]
        head = f"{len(diff.changes)} change{'s' if len(diff.changes) != 1 else ''} ({', '.join(parts)})"
    extra = []
    if diff.renumbered:
        extra.append(f"{len(diff.renumbered)} clause{'s' if len(diff.renumbered) != 1 else ''} renumbered")
    if diff.references_updated:
        extra.append(f"{len(diff.references_updated)} with updated reference numbers only")
    return head + ("; " + ", ".join(extra) if extra else "")


def _value(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['currency']} {value['amount']}"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _where(change: dict[str, Any]) -> str:
    side = change["new"] or change["old"]
    return f"{side['document']} {side['number']}"


def _heading(change: dict[str, Any]) -> str:
    kind = change["kind"]
    if kind == "variable_changed":
        readers = f" ({', '.join(change['clauses'])})" if change["clauses"] else ""
        return f"{change['variable']}: {_value(change['old'])} → {_value(change['new'])}{readers}"
    text = f"{_where(change)} {change['clause']} — {change['title']}"
    old, new = change["old"], change["new"]
    if kind == "position_changed":
        text += f": position {old['position']} → {new['position']}"
    elif kind == "version_changed":
        text += f": version {old['version']} → {new['version']}"
    elif kind in ("moved", "moved_and_changed"):
        text += f": from {old['document']} {old['number']}"
    return text


def _word_lines(change: dict[str, Any], color: bool) -> list[str]:
    words = change.get("words")
    if not words or change["kind"] in ("added", "removed"):
        return []
    lines: list[list[tuple[str, str]]] = [[]]
    for segment in words:
        op, text = segment["op"], segment["text"]
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if piece:
                lines[-1].append((op, piece))
    out = []
    for line in lines:
        if not any(op != "equal" for op, _ in line):
            continue
        rendered = []
        for op, text in line:
            if op == "equal":
                rendered.append(text)
            elif color:
                import click

                rendered.append(click.style(text, fg="red", strikethrough=True) if op == "delete" else click.style(text, fg="green", underline=True))
            else:
                rendered.append(f"[-{text}-]" if op == "delete" else f"{{+{text}+}}")
        out.append("    " + "".join(rendered))
    return out


def render_text(diff: Diff, color: bool = False) -> str:
    """A summary line, then each change with its word diff."""
    lines = [summary_line(diff)]
    for change in diff.changes:
        sign = _SIGNS.get(change["kind"], "~")
        label = _LABELS[change["kind"]]
        head = f"{sign} {label:<18} {_heading(change)}"
        if color:
            import click

            head = click.style(head, bold=True)
        lines.append(head)
        lines.extend(_word_lines(change, color))
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
ins{background:#d9f7d9;text-decoration:underline}del{background:#fbdada;text-decoration:line-through}
.kind{font-family:sans-serif;font-size:.8rem;text-transform:uppercase;color:#555}
.clause{white-space:pre-wrap;border-left:3px solid #ccc;padding-left:.8rem}
"""


def render_html(diff: Diff) -> str:
    """A self-contained page: a summary table linking to each change."""
    esc = html.escape
    rows = []
    sections = []
    for index, change in enumerate(diff.changes, start=1):
        anchor = f"change-{index}"
        kind = _LABELS[change["kind"]]
        if change["kind"] == "variable_changed":
            rows.append(f'<tr><td><a href="#{anchor}">{esc(change["variable"])}</a></td><td></td><td>{esc(kind)}</td></tr>')
            body = f"<p>{esc(_value(change['old']))} → {esc(_value(change['new']))}</p>"
            if change["clauses"]:
                body += f"<p>Read by: {esc(', '.join(change['clauses']))}</p>"
            title = change["variable"]
        else:
            rows.append(
                f'<tr><td><a href="#{anchor}">{esc(change["clause"])}</a></td><td>{esc(_where(change))}</td><td>{esc(kind)}</td></tr>'
            )
            parts = []
            for segment in change.get("words") or []:
                text = esc(segment["text"])
                parts.append(f"<del>{text}</del>" if segment["op"] == "delete" else f"<ins>{text}</ins>" if segment["op"] == "insert" else text)
            body = f'<div class="clause">{"".join(parts)}</div>' if parts else ""
            title = _heading(change)
        sections.append(f'<section id="{anchor}"><h2><span class="kind">{esc(kind)}</span> {esc(title)}</h2>{body}</section>')
    renumbered = ""
    if diff.renumbered:
        items = "".join(f"<li>{esc(r['clause'])}: {esc(r['old'])} → {esc(r['new'])}</li>" for r in diff.renumbered)
        renumbered = f"<details><summary>{len(diff.renumbered)} clauses renumbered by other changes</summary><ul>{items}</ul></details>"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Changes: {esc(diff.old.label)} → {esc(diff.new.label)}</title><style>{_CSS}</style></head><body>"
        f"<h1>Changes from {esc(diff.old.label)} to {esc(diff.new.label)}</h1><p>{esc(summary_line(diff))}</p>"
        f"<table><thead><tr><th>Clause</th><th>Section</th><th>Change</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{renumbered}{''.join(sections)}</body></html>\n"
    )
