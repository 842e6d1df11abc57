"""The returned-document suite: our DOCX of the research collaboration marked
up in LibreOffice (through UNO, ``uno_markup.py``) the way the other side
marks up a draft, each case with the mapping and the absorb classification
it must produce. Used by ``tests/review/test_negotiation_suite.py`` and
``bench/bench_negotiation.py``.

Edits are found from the build itself (the value as the clause renders it,
another position's text, a clause's last words), so a rewording of the
library does not break the suite.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from assembler.api import build_deal, load_deal
from assembler.assembly import formatting
from assembler.assembly.pipeline import build_deal as pipeline_build
from assembler.library.model import Library
from assembler.review.negotiation.returned import describe
from assembler.review.negotiation.units import our_document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "research-collaboration.yaml"
MARKUP = Path(__file__).resolve().parent / "uno_markup.py"
INSERT_AFTER = "scope.diligence"
ROUND_INSERT_AFTER = "communications.use_of_names"
NEW_ARTICLE = "Data Sharing"
NEW_SECTION = "Sharing of Research Data"


@dataclass
class Case:
    """One returned document and what reading it back must give."""

    name: str
    tracked: bool
    edits: list[dict[str, Any]]
    mapping: list[tuple[str, str]]
    """(change kind, clause id or where an addition sits) of every change."""
    absorb: list[tuple[str, str, dict[str, Any], bool]]
    """(absorb kind, clause id, what the deal file gets, needs a decision)."""
    strip_bookmarks: bool = False
    cells: list[str] = field(default_factory=list)
    path: Path | None = None


def uno_available() -> bool:
    if not (Path("/usr/bin/python3").exists() and shutil.which("soffice")):
        return False
    return subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode == 0


def _titles(build: Any) -> dict[str, str]:
    return {u.clause_id: u.title for u in our_document(build.document("agreement")).units if u.clause_id}


def _lines(build: Any, clause_id: str) -> list[str]:
    unit = next(u for u in our_document(build.document("agreement")).units if u.clause_id == clause_id)
    return [f"{line.label} {line.text}" if line.kind == "li" else line.text for line in unit.lines]


def make_cases(library: Library) -> list[Case]:
    build = build_deal(EXAMPLE, library)
    titles = _titles(build)
    values = build.lock["variables"]
    clauses = {c["id"]: c for c in build.lock["clauses"]}

    # a value: publication review days, rendered as the clause renders it
    days = values["publication_review_days"]
    spec = library.variables["publication_review_days"]
    new_days = next(n for n in (30, 60, 40, 50) if n != days and (spec.min is None or n >= spec.min) and (spec.max is None or n <= spec.max))
    old_phrase, new_phrase = f"{formatting.number_phrase(days)} days", f"{formatting.number_phrase(new_days)} days"
    assert old_phrase in clauses["publications.review"]["text"]
    value_edit = {"op": "replace", "find": old_phrase, "with": new_phrase, "after": titles["publications.review"]}
    too_short = int(spec.min) - 5 if spec.min else 1
    short_edit = dict(value_edit, **{"with": f"{formatting.number_phrase(too_short)} days"})

    # a position switch: the final say pasted from the partner position
    deal = load_deal(EXAMPLE, library)
    positions = {**deal.spec.positions, "governance.final_say": "partner"}
    partner = pipeline_build(replace(deal, spec=deal.spec.model_copy(update={"positions": positions})), library)
    partner_lines = _lines(partner, "governance.final_say")
    assert partner_lines != _lines(build, "governance.final_say")

    # a free edit: the last sentence of the disbanding clause, qualified
    last = _lines(build, "governance.disband")[-1]
    tail = last[-40:]
    free_edit = {"op": "replace", "find": tail, "with": tail[:-1] + ", unless the Parties agree otherwise in writing.",
                 "after": titles["governance.disband"]}

    insert = {"op": "insert_article", "after": titles[INSERT_AFTER], "title": NEW_ARTICLE,
              "sections": [{"title": NEW_SECTION, "paragraphs": [
                  "Each Party shall share with the other Party all research data generated under Section 2.2 "
                  "within thirty (30) days after it is generated."]}]}
    cell = {"op": "cell", "table": "Joint Research Team", "row": 1, "column": 2, "text": "Fortnightly"}
    subcommittees = [dict(row) for row in values["jsc_subcommittees"]]
    old_cadence = subcommittees[0]["cadence"]
    subcommittees[0]["cadence"] = "Fortnightly"
    where_added = _where_after(build, INSERT_AFTER)
    added_text = ("Each Party shall share with the other Party all research data generated under {{ ref('scope.plan') }} "
                  "within thirty (30) days after it is generated.\n")

    def pair(name: str, edits: list[dict[str, Any]], mapping: list[tuple[str, str]], absorb: list[tuple[str, str, dict[str, Any], bool]],
             cells: list[str] | None = None) -> list[Case]:
        return [Case(name, False, edits, mapping, absorb, cells=cells or []),
                Case(f"{name} (tracked)", True, [e for e in edits if e["op"] != "update_fields"], mapping, absorb, cells=cells or [])]

    cases = [
        Case("save with no edit", False, [], [], []),
        Case("field update and re-save", False, [{"op": "update_fields"}], [], []),
        *pair("value", [value_edit], [("edited", "publications.review")],
              [("value", "publications.review", {"terms": {"publication_review_days": new_days}}, False)]),
        Case("value out of bounds", False, [short_edit], [("edited", "publications.review")],
             [("value", "publications.review", {"overrides": ["publications.review"]}, True)]),
        Case("value, bookmarks lost", False, [value_edit], [("edited", "publications.review")],
             [("value", "publications.review", {"terms": {"publication_review_days": new_days}}, False)], strip_bookmarks=True),
        *pair("position pasted", [{"op": "replace_body", "heading": titles["governance.final_say"], "paragraphs": partner_lines}],
              [("edited", "governance.final_say")],
              [("position", "governance.final_say", {"positions": {"governance.final_say": "partner"}}, False)]),
        *pair("free edit", [free_edit], [("edited", "governance.disband")], [("text", "governance.disband", {"overrides": ["governance.disband"]}, True)]),
        *pair("inserted article", [insert, {"op": "update_fields"}], [("added", where_added)],
              [("added", "", {"overrides": {"deal.sharing_of_research_data": {
                  "title": NEW_SECTION, "text": added_text, "after": INSERT_AFTER, "article": NEW_ARTICLE}}}, True)]),
        *pair("deleted clause", [{"op": "delete_clause", "heading": titles["governance.observers"]}], [("removed", "governance.observers")],
              [("exclude", "governance.observers", {"exclude": ["governance.observers"]}, False)]),
        *pair("moved clause", [{"op": "move_clause", "heading": titles["scope.subcontracting"], "before": titles["scope.conduct"]}],
              [("moved", "scope.subcontracting")],
              [("moved", "scope.subcontracting", {"overrides": {"scope.subcontracting": {"before": "scope.conduct"}}}, True)]),
        *pair("table cell", [cell], [("edited", "governance.subcommittees")],
              [("value", "governance.subcommittees", {"terms": {"jsc_subcommittees": subcommittees}}, False)],
              cells=[f"Joint Research Team: Meetings: {old_cadence} \u2192 Fortnightly"]),
    ]
    # a whole round in one returned document: the article goes in late, so that
    # the position pasted earlier reads its references as we numbered them
    late = dict(insert, after=titles[ROUND_INSERT_AFTER])
    round_edits = [{"op": "replace_body", "heading": titles["governance.final_say"], "paragraphs": partner_lines}, cell, free_edit, value_edit, late]
    by_name = {c.name: c for c in cases}
    round_cases = [by_name[name] for name in ("position pasted", "table cell", "free edit", "value")]  # reading order
    late_absorb = [("added", "", {"overrides": {"deal.sharing_of_research_data": dict(
        cast(dict[str, Any], by_name["inserted article"].absorb[0][2]["overrides"]["deal.sharing_of_research_data"]), after=ROUND_INSERT_AFTER)}}, True)]
    cases.append(Case("a round of edits (tracked)", True, round_edits,
                      [m for c in round_cases for m in c.mapping] + [("added", _where_after(build, ROUND_INSERT_AFTER))],
                      [a for c in round_cases for a in c.absorb] + late_absorb, cells=[x for c in round_cases for x in c.cells]))
    return cases


def _where_after(build: Any, clause_id: str) -> str:
    """Where an article inserted after a clause sits, as the mapping says it."""
    units = our_document(build.document("agreement")).units
    index = next(i for i, u in enumerate(units) if u.clause_id == clause_id)
    following = next(u for u in units[index + 1 :] if u.kind in ("article", "schedule"))
    return f"after {describe(units[index])}, before {describe(following)}"


def _strip_bookmarks(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    parts["word/document.xml"] = re.sub(r"<w:bookmark(?:Start|End)\b[^>]*/>", "", xml).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def make_files(library: Library, folder: Path) -> tuple[Path, list[Case]]:
    """Build our agreement, mark it up in LibreOffice for every case; the
    deal file to absorb against, and the cases with their files."""
    from assembler.writers.docx import write_docx

    folder.mkdir(parents=True, exist_ok=True)
    deal = folder / "deal.yaml"
    deal.write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    ours = folder / "agreement.docx"
    ours.write_bytes(write_docx(build_deal(deal, library))["agreement.docx"])
    cases = make_cases(library)
    jobs = []
    for index, case in enumerate(cases):
        case.path = folder / f"case-{index:02d}.docx"
        jobs.append({"source": str(ours), "target": str(case.path), "tracked": case.tracked, "edits": case.edits})
    (folder / "jobs.json").write_text(json.dumps(jobs, indent=1), "utf-8")
    subprocess.run(["/usr/bin/python3", str(MARKUP), str(folder / "profile"), str(folder / "jobs.json")], check=True, timeout=900)
    for case in cases:
        assert case.path is not None
        if case.strip_bookmarks:
            _strip_bookmarks(case.path)
    return deal, cases


def found_mapping(mapping: Any) -> list[tuple[str, str]]:
    return [(c.kind, c.clause or c.where) for c in mapping.changes]


def found_absorb(result: Any) -> list[tuple[str, str, dict[str, Any], bool]]:
    out = []
    for item in result.items:
        maps_to = item.edits.as_json()
        if item.kind in ("text", "value") and "overrides" in maps_to:  # their wording is checked by building it
            maps_to = {"overrides": list(maps_to.get("overrides", {}))}
        out.append((item.kind, item.change.clause, maps_to, item.decide))
    return out


def precision_recall(pairs: list[tuple[list[Any], list[Any]]]) -> tuple[float, float, int, int, int]:
    """Over (expected, found) lists: precision, recall, true, expected, found."""
    true = expected_total = found_total = 0
    for expected, found in pairs:
        keys_expected = [json.dumps(e, sort_keys=True, default=str) for e in expected]
        keys_found = [json.dumps(f, sort_keys=True, default=str) for f in found]
        expected_total += len(keys_expected)
        found_total += len(keys_found)
        remaining = list(keys_expected)
        for key in keys_found:
            if key in remaining:
                remaining.remove(key)
                true += 1
    precision = true / found_total if found_total else 1.0
    recall = true / expected_total if expected_total else 1.0
    return precision, recall, true, expected_total, found_total
