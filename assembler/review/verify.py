"""``dealdraft verify``: prove which clause versions a draft was built from.

A DOCX carries its lock in custom properties, a PDF as the attachment
``deal.lock.json``. ``verify`` reads that lock, rebuilds the deal from the
deal file and library, and reports every clause whose id, version, position
or text no longer matches. With ``returned``, it reads a DOCX that came back
from the other side, maps each bookmarked clause back to its id, and lists
the clauses whose text was edited, added or deleted — tracked or not — with a
word diff against our text.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from assembler.assembly.assemble import bookmark_name
from assembler.assembly.lockfile import LOCK_FILENAME, lock_sha256, parse_lock
from assembler.assembly.pipeline import build_deal
from assembler.base.errors import InputError, Problem
from assembler.library.model import Library

from .worddiff import Segment, changed_lines, word_diff

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_LABEL = re.compile(r"^\s*\((?:[a-z]{1,3}|[ivxlc]+|[A-Z])\)\s+", re.M)
MAX_INPUT_BYTES = 100 * 1024 * 1024
_NOT_CLAUSE_TEXT = ("Signature", "Cover", "TOC")


@dataclass(frozen=True, slots=True)
class Embedded:
    """The provenance a file carries: the full lock, or only its hash."""

    lock: dict[str, Any] | None
    sha256: str | None


@dataclass(slots=True)
class Report:
    """The outcome of ``verify``: one finding per drifted clause."""

    file: str
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    words: dict[str, list[Segment]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.findings

    def text(self) -> str:
        head = f"{self.file}: " + ("matches the deal and library" if self.ok else f"{len(self.findings)} clause(s) drifted")
        lines = [head, *(f"  {line}" for line in self.findings), *(f"  note: {line}" for line in self.notes)]
        for clause, segments in self.words.items():
            lines.extend(f"  {clause}: {line}" for line in changed_lines(segments))
        return "\n".join(lines) + "\n"


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError([Problem(f"file is larger than {MAX_INPUT_BYTES // 1024**2} MB", str(path))])
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem("no such file", str(path))]) from None
    except OSError as exc:
        raise InputError([Problem(f"cannot read ({exc.strerror})", str(path))]) from None


def _docx_parts(data: bytes, path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError([Problem("not a DOCX file (not a zip archive)", str(path))]) from None


def read_embedded(path: Path) -> Embedded:
    """The lock a DOCX or PDF carries."""
    data = _read(path)
    if data.startswith(b"%PDF"):
        return _pdf_lock(data, path)
    archive = _docx_parts(data, path)
    try:
        custom = archive.read("docProps/custom.xml")
    except KeyError:
        raise InputError([Problem("carries no dealdraft provenance (no custom properties)", str(path))]) from None
    props: dict[str, str] = {}
    for prop in etree.fromstring(custom).iter(f"{_CUSTOM}property"):
        value = "".join(prop.itertext())
        props[prop.get("name", "")] = value
    if "dealdraft.lock_sha256" not in props:
        raise InputError([Problem("carries no dealdraft provenance (no dealdraft.lock_sha256 property)", str(path))])
    lock = None
    if "dealdraft.lock" in props:
        try:
            lock = parse_lock(props["dealdraft.lock"])
        except ValueError:
            raise InputError([Problem("its dealdraft.lock property is not a dealdraft lock", str(path))]) from None
    return Embedded(lock, props["dealdraft.lock_sha256"])


def _pdf_lock(data: bytes, path: Path) -> Embedded:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError([Problem(f"cannot read the PDF ({exc})", str(path))]) from None
    if LOCK_FILENAME not in attachments:
        raise InputError([Problem(f"carries no {LOCK_FILENAME} attachment (an external copy has none)", str(path))])
    try:
        lock = parse_lock(attachments[LOCK_FILENAME][0])
    except ValueError:
        raise InputError([Problem(f"its {LOCK_FILENAME} attachment is not a dealdraft lock", str(path))]) from None
    return Embedded(lock, lock_sha256(lock))


def verify(path: Path, deal: Path, library: Library) -> Report:
    """Compare the lock a draft carries with a fresh build of its deal."""
    embedded = read_embedded(path)
    rebuilt = build_deal(deal, library).lock
    report = Report(str(path))
    if embedded.lock is None:
        external = dict(rebuilt, external=True)
        if embedded.sha256 == lock_sha256(external):
            return report
        report.findings.append("the lock hash differs; this external copy carries only the hash, so the drifted clauses cannot be named")
        return report
    old = {c["id"]: c for c in embedded.lock.get("clauses", [])}
    new = {c["id"]: c for c in rebuilt.get("clauses", [])}
    for clause_id in [c["id"] for c in embedded.lock.get("clauses", [])]:
        if clause_id not in new:
            report.findings.append(f"{clause_id}: in the draft ({old[clause_id]['number']}) but not in a build of the deal today")
            continue
        before, now = old[clause_id], new[clause_id]
        changes = [
            f"{key} {before.get(key)} → {now.get(key)}" for key in ("version", "position") if before.get(key) != now.get(key)
        ]
        if before.get("sha256") != now.get("sha256"):
            changes.append("text changed")
            if "text" in before and "text" in now:
                report.words[clause_id] = word_diff(before["text"], now["text"])
        if changes:
            report.findings.append(f"{clause_id} ({before['number']}): {'; '.join(changes)}")
    for clause_id in new.keys() - old.keys():
        report.findings.append(f"{clause_id}: not in the draft, but a build of the deal today has it ({new[clause_id]['number']})")
    if embedded.lock.get("library", {}).get("fingerprint") != rebuilt.get("library", {}).get("fingerprint"):
        report.notes.append("the clause library has changed since the draft was built")
    if embedded.lock.get("deal", {}).get("sha256") != rebuilt.get("deal", {}).get("sha256"):
        report.notes.append("the deal file has changed since the draft was built")
    return report


def _normal(text: str) -> list[str]:
    """Words and punctuation of a clause text, without list labels or table bars."""
    text = _LABEL.sub("", text)
    return [t for t in re.findall(r"\w+(?:[’'\-]\w+)*|[^\w\s|]", text)]


def _regions(data: bytes, path: Path) -> dict[str, str]:
    """Text of every bookmarked region of a DOCX as a reader of the accepted
    document sees it (insertions kept, deletions dropped, tracked or not)."""
    archive = _docx_parts(data, path)
    try:
        root = etree.fromstring(archive.read("word/document.xml"))
    except (KeyError, etree.XMLSyntaxError):
        raise InputError([Problem("not a Word document (no readable word/document.xml)", str(path))]) from None
    body = root.find(f"{_W}body")
    regions: dict[str, list[str]] = {}
    current: str | None = None
    for par in body.iter(f"{_W}p") if body is not None else ():
        style = par.find(f"{_W}pPr/{_W}pStyle")
        if style is not None and (style.get(f"{_W}val") or "").startswith(_NOT_CLAUSE_TEXT):
            current = None  # signature blocks, cover and contents belong to no clause
            continue
        starts = [b.get(f"{_W}name") or "" for b in par.iter(f"{_W}bookmarkStart")]
        starts = [name for name in starts if not name.startswith("_")]
        if starts:
            current = starts[0]
            regions.setdefault(current, [])
        if current is None:
            continue
        words = []
        for node in par.iter(f"{_W}t"):
            if any(a.tag in (f"{_W}del", f"{_W}moveFrom") for a in node.iterancestors()):
                continue
            words.append(node.text or "")
        regions[current].append("".join(words))
    return {name: "\n".join(lines) for name, lines in regions.items()}


def returned(path: Path, deal: Path, library: Library) -> Report:
    """The clauses of a returned DOCX whose text differs from ours."""
    data = _read(path)
    if data.startswith(b"%PDF"):
        raise InputError([Problem("--returned reads a DOCX that came back from the other side, not a PDF", str(path))])
    ours = build_deal(deal, library).lock
    regions = _regions(data, path)
    report = Report(str(path))
    documents = {c["document"] for c in ours.get("clauses", [])}
    # the document this DOCX is: the one most of whose clause bookmarks it holds
    document = max(sorted(documents), key=lambda d: sum(bookmark_name(c["id"]) in regions for c in ours["clauses"] if c["document"] == d), default="")
    for clause in [c for c in ours.get("clauses", []) if c["document"] == document]:
        name = bookmark_name(clause["id"])
        if name not in regions:
            report.findings.append(f"{clause['id']} ({clause['number']}): deleted (its heading and bookmark are gone)")
            continue
        theirs = regions[name]
        if _normal(theirs) != _normal(clause.get("text", "")):
            report.findings.append(f"{clause['id']} ({clause['number']}): edited")
            report.words[clause["id"]] = word_diff(_LABEL.sub("", clause.get("text", "")), theirs)
    known = {bookmark_name(c["id"]) for c in ours.get("clauses", []) if c["document"] == document}
    for name in regions:
        if name not in known and not name.startswith(("art_", "definitions", "schedule_")) and regions[name].strip():
            report.findings.append(f"{name}: a clause we did not write (added)")
    return report


def dumps(report: Report) -> str:
    return json.dumps(
        {"file": report.file, "ok": report.ok, "findings": report.findings, "notes": report.notes,
         "words": {k: [{"op": op, "text": t} for op, t in v] for k, v in report.words.items()}},
        indent=2, ensure_ascii=False,
    ) + "\n"
