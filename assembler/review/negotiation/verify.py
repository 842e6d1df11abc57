"""``dealdraft verify``: prove which clause versions a draft was built from,
and that its text is still theirs.

A DOCX carries its lock in custom properties, a PDF as the attachment
``deal.lock.json``; an external copy carries only the lock's provenance
(clause ids, versions and text hashes, never positions or stance). ``verify``
reads that lock, rebuilds the deal from the deal file and library, and
reports every clause whose version, position or text no longer matches; then
it reads the file's own text and reports every clause whose text in the file
differs from the build (edited, added, removed or moved after the build),
with a word diff. With ``returned``, it reads a DOCX that came back from the
other side and lists what they changed (``returned.py``).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assembler.assembly.assemble import bookmark_name
from assembler.assembly.lockfile import LOCK_FILENAME, lock_sha256, parse_lock
from assembler.assembly.pipeline import build_deal
from assembler.base.errors import InputError, Problem
from assembler.library.model import Library

from ..worddiff import Segment, changed_lines, word_diff
from .copies import map_docx, open_docx, read_bytes
from .docx_read import custom_properties
from .returned import Change, Mapping
from .textnorm import strip_label, typography


@dataclass(frozen=True, slots=True)
class Embedded:
    """The provenance a file carries: a lock (full, or an external copy's
    provenance), or only the lock's hash."""

    lock: dict[str, Any] | None
    sha256: str | None


@dataclass(slots=True)
class Report:
    """The outcome of ``verify``: one finding per drifted clause."""

    file: str
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    words: dict[str, list[Segment]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def text(self) -> str:
        head = f"{self.file}: " + ("matches the deal and library" if self.ok else f"{len(self.findings)} clause(s) drifted")
        lines = [head, *(f"  {line}" for line in self.findings), *(f"  note: {line}" for line in self.notes)]
        for clause, segments in self.words.items():
            lines.extend(f"  {clause}: {line}" for line in changed_lines(segments))
        return "\n".join(lines) + "\n"


def read_embedded(path: Path, data: bytes | None = None) -> Embedded:
    """The lock a DOCX or PDF carries."""
    data = read_bytes(path) if data is None else data
    if data.startswith(b"%PDF"):
        return _pdf_lock(data, path)
    archive = open_docx(data, path)
    if "docProps/custom.xml" not in archive.namelist():
        raise InputError([Problem("carries no dealdraft provenance (no custom properties)", str(path))])
    props = custom_properties(archive)
    if "dealdraft.lock_sha256" not in props:
        raise InputError([Problem("carries no dealdraft provenance (no dealdraft.lock_sha256 property)", str(path))])
    lock = None
    for name in ("dealdraft.lock", "dealdraft.provenance"):
        if name in props:
            try:
                lock = parse_lock(props[name])
            except ValueError:
                raise InputError([Problem(f"its {name} property is not a dealdraft lock", str(path))]) from None
            break
    return Embedded(lock, props["dealdraft.lock_sha256"])


def _pdf_lock(data: bytes, path: Path) -> Embedded:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError([Problem(f"cannot read the PDF ({exc})", str(path))]) from None
    if LOCK_FILENAME not in attachments:
        raise InputError([Problem(f"carries no {LOCK_FILENAME} attachment (not built by dealdraft, or by a version before provenance)", str(path))])
    try:
        lock = parse_lock(attachments[LOCK_FILENAME][0])
    except ValueError:
        raise InputError([Problem(f"its {LOCK_FILENAME} attachment is not a dealdraft lock", str(path))]) from None
    return Embedded(lock, lock_sha256(lock))


def _check_lock(embedded: Embedded, rebuilt: dict[str, Any], document: str) -> tuple[dict[str, tuple[str, bool]], list[str], list[str], dict[str, list[Segment]]]:
    """Where the lock the file carries and today's build disagree: per clause
    its finding and whether it is about more than the text (a version), the
    findings that name no clause, notes, and word diffs."""
    per_clause: dict[str, tuple[str, bool]] = {}
    general: list[str] = []
    notes: list[str] = []
    words: dict[str, list[Segment]] = {}
    if embedded.lock is None:
        if embedded.sha256 != lock_sha256(dict(rebuilt, external=True)):
            general.append("the lock hash differs; this external copy carries only the hash, so the drifted clauses cannot be named")
        return per_clause, general, notes, words
    external = bool(embedded.lock.get("external"))
    # the file proves its own document: the lock it carries holds all of them
    old = {c["id"]: c for c in embedded.lock.get("clauses", []) if c.get("document") == document}
    new = {c["id"]: c for c in rebuilt.get("clauses", []) if c.get("document") == document}
    for clause_id in old:
        if clause_id not in new:
            per_clause[clause_id] = (f"{clause_id}: in the draft ({old[clause_id]['number']}) but not in a build of the deal today", False)
            continue
        before, now = old[clause_id], new[clause_id]
        keys = ("version",) if external else ("version", "position")
        changes = [f"{key} {before.get(key)} → {now.get(key)}" for key in keys if before.get(key) != now.get(key)]
        if before.get("masked_sha256", before.get("sha256")) != now.get("masked_sha256", now.get("sha256")):
            changes.append("text changed")
            if "text" in before and "text" in now:
                words[clause_id] = word_diff(before["text"], now["text"])
        if changes:
            versioned = before.get("version") != now.get("version")
            per_clause[clause_id] = (f"{clause_id} ({before['number']}): {'; '.join(changes)}", versioned)
    for clause_id in new.keys() - old.keys():
        per_clause[clause_id] = (f"{clause_id}: not in the draft, but a build of the deal today has it ({new[clause_id]['number']})", False)
    if embedded.lock.get("library", {}).get("fingerprint") != rebuilt.get("library", {}).get("fingerprint"):
        notes.append("the clause library has changed since the draft was built")
    if not external and embedded.lock.get("deal", {}).get("sha256") != rebuilt.get("deal", {}).get("sha256"):
        notes.append("the deal file has changed since the draft was built")
    return per_clause, general, notes, words


def same_text(ours: str, theirs: str) -> bool:
    """Two clause texts read the same (typography and list labels aside)."""

    def lines(text: str) -> list[str]:
        return [typography(strip_label(line)) for line in text.splitlines() if line.strip()]

    return lines(ours) == lines(theirs)


def _text_finding(change: Change) -> str:
    where = f" ({change.where})" if change.where else ""
    if change.term:
        return f"definition of \u201c{change.term}\u201d ({change.clause or 'new'}): {change.kind} in the file"
    if change.kind == "added":
        return f"text added to the file{where}"
    head = f"{change.clause or change.title} ({change.number})" if change.number else (change.clause or change.title)
    what = {"edited": "text edited in the file", "removed": "removed from the file", "moved": "moved in the file",
            "moved_and_edited": "moved and edited in the file"}[change.kind]
    return f"{head}: {what}{where if change.kind != 'edited' else ''}"


def _combine(mapping: Mapping, embedded: Embedded, lock: tuple[dict[str, tuple[str, bool]], list[str], list[str], dict[str, list[Segment]]],
             report: Report) -> None:
    """The findings of both checks. The file's own text decides: a clause
    whose text in the file reads as today's build has not drifted, whatever
    the lock it carries says (it was edited after the build, as the deal now
    reads), unless its library version moved; a clause that differs is named
    once, by the lock when the lock explains it."""
    per_clause, general, notes, lock_words = lock
    report.findings += general
    old = {c["id"]: c for c in (embedded.lock or {}).get("clauses", [])}
    differing = {change.clause for change in mapping.changes if change.clause and not change.term}
    edited_after = []
    for clause_id, (finding, versioned) in per_clause.items():
        if clause_id in differing or versioned:
            report.findings.append(finding)
            if clause_id in lock_words:
                report.words[clause_id] = lock_words[clause_id]
        else:
            edited_after.append(clause_id)
    for change in mapping.changes:
        if per_clause and change.term:
            continue  # the definitions follow the clauses that changed
        if change.clause in per_clause:
            text = old.get(change.clause, {}).get("text")
            if text is None or change.kind == "removed" or same_text(text, change.theirs):
                continue
        if change.kind == "added" and any(name in {bookmark_name(c) for c in per_clause} for name in change.bookmarks):
            continue
        report.findings.append(_text_finding(change))
        report.changes.append(change)
        if change.words and change.kind != "moved":
            key = change.clause if change.clause and not change.term else change.label()
            report.words[key if key not in report.words else f"{key} (file)"] = change.words
    report.notes += notes
    if edited_after:
        report.notes.append(f"edited after the build to read as the deal does today: {', '.join(edited_after)}")
    _mapping_notes(mapping, report)


def _mapping_notes(mapping: Mapping, report: Report) -> None:
    if mapping.formatting:
        report.notes.append(f"{mapping.formatting} line(s) differ only in formatting or typography (not listed)")
    if mapping.renumbered:
        report.notes.append(f"{mapping.renumbered} line(s) differ only in reference numbers that follow renumbering (not listed)")
    if mapping.by_content:
        report.notes.append(f"{mapping.by_content} clause(s) found by their text: their bookmarks are gone")


def verify(path: Path, deal: Path, library: Library) -> Report:
    """Compare the lock a draft carries, and its text, with a fresh build of its deal."""
    data = read_bytes(path)
    embedded = read_embedded(path, data)
    build = build_deal(deal, library)
    report = Report(str(path))
    if data.startswith(b"%PDF"):
        from .pdf_copy import map_pdf

        mapping = map_pdf(data, path, build)
    else:
        mapping = map_docx(path, build, data)
    _combine(mapping, embedded, _check_lock(embedded, build.lock, mapping.document), report)
    return report


def returned(path: Path, deal: Path, library: Library) -> Report:
    """What the other side changed in a DOCX that came back."""
    build = build_deal(deal, library)
    mapping = map_docx(path, build)
    report = Report(str(path), changes=mapping.changes)
    for change in mapping.changes:
        head = change.label() if change.kind != "added" else "new text"
        where = f" ({change.where})" if change.where and change.kind != "edited" else ""
        tracked = ", tracked" if change.tracked else ""
        report.findings.append(f"{head}: {change.kind.replace('_', ' ')}{where}{tracked}")
        if change.words and change.kind != "moved":
            report.words[change.clause or change.label()] = change.words
    _mapping_notes(mapping, report)
    return report


def dumps(report: Report) -> str:
    return json.dumps(
        {"file": report.file, "ok": report.ok, "findings": report.findings, "notes": report.notes,
         "changes": [change.as_json() for change in report.changes],
         "words": {k: [{"op": op, "text": t} for op, t in v] for k, v in report.words.items()}},
        indent=2, ensure_ascii=False,
    ) + "\n"
