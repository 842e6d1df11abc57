"""Stage beside the pipeline: what changed between two builds, clause by clause.

Two builds are aligned by clause id, never by position in the text, so a
clause inserted early in the agreement does not turn every later clause into
a change. Section-number shifts caused by other changes are counted once in
a summary. Inside a changed clause the words are diffed (``worddiff.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from assembler.assembly.lockfile import LOCK_FILENAME, parse_lock
from assembler.assembly.tree import Build
from assembler.base.errors import InputError, Problem
from assembler.library.model import Library

from .worddiff import Segment, word_diff

DIFF_FORMAT = 1
KINDS = ("added", "removed", "moved", "moved_and_changed", "position_changed", "version_changed", "text_changed", "variable_changed")


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a diff: its lock, and its tree when it was built here."""

    label: str
    lock: dict[str, Any]
    build: Build | None = None


@dataclass(slots=True)
class Diff:
    """The changes between two builds, in reading order of the new build."""

    old: Side
    new: Side
    changes: list[dict[str, Any]] = field(default_factory=list)
    renumbered: list[dict[str, str]] = field(default_factory=list)
    """Clauses whose number moved only because of other changes."""
    references_updated: list[str] = field(default_factory=list)
    """Clauses whose text changed only in reference numbers."""

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change["kind"]] = counts.get(change["kind"], 0) + 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "diff_format": DIFF_FORMAT,
            "old": _side_info(self.old),
            "new": _side_info(self.new),
            "summary": {
                "changes": len(self.changes),
                "by_kind": self.counts(),
                "renumbered": len(self.renumbered),
                "references_updated": len(self.references_updated),
            },
            "changes": self.changes,
            "renumbered": self.renumbered,
            "references_updated": self.references_updated,
        }


def _side_info(side: Side) -> dict[str, Any]:
    deal = side.lock.get("deal", {})
    return {"label": side.label, "deal_type": deal.get("deal_type"), "stance": deal.get("stance"), "deal_sha256": deal.get("sha256")}


def load_side(path: Path, library: Library) -> Side:
    """A deal file (built here), a build folder or a lock file."""
    from assembler.assembly.pipeline import build_deal

    label = str(path)
    if path.is_dir():
        lock_path = path / LOCK_FILENAME
        if not lock_path.is_file():
            raise InputError([Problem(f"not a build folder: it has no {LOCK_FILENAME}", label)])
        return Side(label, _read_lock(lock_path))
    if not path.is_file():
        raise InputError([Problem("no such file or folder", label)])
    if path.suffix == ".json":
        return Side(label, _read_lock(path))
    build = build_deal(path, library)
    return Side(label, build.lock, build)


def _read_lock(path: Path) -> dict[str, Any]:
    try:
        return parse_lock(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InputError([Problem(f"not a dealdraft lock file ({exc})", str(path))]) from None


def _moved(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Clauses whose order relative to the others changed (not in the LCS)."""
    common_old = [i for i in old_ids if i in set(new_ids)]
    common_new = [i for i in new_ids if i in set(old_ids)]
    matcher = SequenceMatcher(None, common_old, common_new, autojunk=False)
    kept = {common_new[j] for block in matcher.get_matching_blocks() for j in range(block.b, block.b + block.size)}
    return set(common_new) - kept


def _segments_json(segments: list[Segment] | None) -> list[dict[str, str]] | None:
    if segments is None:
        return None
    return [{"op": {"=": "equal", "-": "delete", "+": "insert"}[op], "text": text} for op, text in segments]


def diff_sides(old: Side, new: Side, library: Library | None = None) -> Diff:
    """Align two builds by clause id and classify every difference."""
    result = Diff(old, new)
    old_clauses = {c["id"]: c for c in old.lock.get("clauses", [])}
    new_clauses = {c["id"]: c for c in new.lock.get("clauses", [])}
    terms = sorted(set(old.lock.get("terms", [])) | set(new.lock.get("terms", [])))
    moved: set[str] = set()
    documents = [d["id"] for d in new.lock.get("documents", [])]
    for doc in {*documents, *[d["id"] for d in old.lock.get("documents", [])]}:
        moved |= _moved(
            [c["id"] for c in old.lock.get("clauses", []) if c["document"] == doc],
            [c["id"] for c in new.lock.get("clauses", []) if c["document"] == doc],
        )
    moved |= {cid for cid in old_clauses.keys() & new_clauses.keys() if old_clauses[cid]["document"] != new_clauses[cid]["document"]}

    def entry(kind: str, cid: str, o: dict[str, Any] | None, n: dict[str, Any] | None, words: list[Segment] | None = None) -> dict[str, Any]:
        base = n or o or {}
        change: dict[str, Any] = {
            "kind": kind,
            "clause": cid,
            "document": base.get("document"),
            "title": base.get("title", ""),
            "old": None if o is None else {k: o.get(k) for k in ("document", "number", "position", "version")},
            "new": None if n is None else {k: n.get(k) for k in ("document", "number", "position", "version")},
        }
        change["words"] = _segments_json(words)
        return change

    order = [c["id"] for c in new.lock.get("clauses", [])]
    for cid in order:
        n = new_clauses[cid]
        o = old_clauses.get(cid)
        if o is None:
            result.changes.append(entry("added", cid, None, n, [("+", n["text"])] if "text" in n else None))
            continue
        text_changed = o.get("masked_sha256", o["sha256"]) != n.get("masked_sha256", n["sha256"])
        words = word_diff(o["text"], n["text"], terms) if text_changed and "text" in o and "text" in n else None
        if cid in moved:
            result.changes.append(entry("moved_and_changed" if text_changed else "moved", cid, o, n, words))
        elif o["position"] != n["position"]:
            result.changes.append(entry("position_changed", cid, o, n, words))
        elif o["version"] != n["version"]:
            result.changes.append(entry("version_changed", cid, o, n, words))
        elif text_changed:
            result.changes.append(entry("text_changed", cid, o, n, words))
        else:
            if o["sha256"] != n["sha256"]:
                result.references_updated.append(cid)
            if o["number"] != n["number"]:
                result.renumbered.append({"clause": cid, "old": o["number"], "new": n["number"]})
    for cid, o in old_clauses.items():
        if cid not in new_clauses:
            result.changes.append(entry("removed", cid, o, None, [("-", o["text"])] if "text" in o else None))
    result.changes += _variable_changes(old.lock, new.lock, library, order)
    return result


def _variable_changes(old: dict[str, Any], new: dict[str, Any], library: Library | None, order: list[str]) -> list[dict[str, Any]]:
    changes = []
    old_vars, new_vars = old.get("variables", {}), new.get("variables", {})
    for name in sorted(old_vars.keys() | new_vars.keys()):
        before, after = old_vars.get(name), new_vars.get(name)
        if before == after:
            continue
        readers = [cid for cid in order if library is not None and cid in library.clauses and name in library.clauses[cid].spec.variables]
        changes.append(
            {
                "kind": "variable_changed",
                "variable": name,
                "clause": readers[0] if readers else None,
                "clauses": readers,
                "document": None,
                "old": before,
                "new": after,
                "words": None,
            }
        )
    return changes


def dumps(diff: Diff) -> str:
    """The diff as JSON (``diff_format`` 1)."""
    return json.dumps(diff.as_json(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
