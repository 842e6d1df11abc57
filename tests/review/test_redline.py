"""The DOCX redline: real tracked changes; accept-all gives the new draft,
reject-all gives the old one, in our XML model and in LibreOffice."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE_ARGS, FIXTURE_LIBRARY, ROOT, fixture_deal_data, run
from lxml import etree
from needs import UNO_PYTHON
from redline_xml import W, body, paragraph_texts, plain_texts, q, resolve, without_trailing_empty

from assembler.api import build_deal
from assembler.assembly.tree import Build
from assembler.library import load as library_module
from assembler.review.redline_docx import write_redline
from assembler.writers.docx import write_docx

UNO_SCRIPT = ROOT / "tests" / "tools" / "uno_revisions.py"


def _fixture_library(*extra: Path) -> library_module.Library:
    return library_module.require_valid(library_module.load_library([FIXTURE_LIBRARY, *extra], builtin=False))


def _deal(tmp_path: Path, name: str, **changes: Any) -> Path:
    data = fixture_deal_data()
    data.update(changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


def _reordered(tmp_path: Path) -> Path:
    text = (FIXTURE_LIBRARY / "deal-types" / "fixture_collab.yaml").read_text("utf-8")
    scope = "      - title: Scope\n        clauses: [fx.scope.purpose, fx.scope.plan]\n"
    publications = "      - title: Publications\n        id: publications\n        clauses: [fx.pub.review]\n"
    overlay = tmp_path / "reordered"
    (overlay / "deal-types").mkdir(parents=True)
    (overlay / "deal-types" / "fixture_collab.yaml").write_text(text.replace(scope, "@@").replace(publications, scope).replace("@@", publications), "utf-8")
    return overlay


def _pairs(tmp_path: Path) -> list[tuple[str, Build, Build]]:
    library = _fixture_library()
    base = build_deal(_deal(tmp_path, "v1.yaml"), library)
    changed = build_deal(
        _deal(tmp_path, "v2.yaml", stance="pharma", positions={"fx.scope.plan": "partner"}, include=["fx.opt.a"],
              terms={"fx_effective": "2027-03-01", "fx_review_days": 75, "fx_personal_data": True,
                     "fx_milestones": [{"event": "Target validated", "amount": 1500000}, {"event": "Lead series", "amount": 2000000}, {"event": "Candidate", "amount": 4000000}]}),
        library,
    )
    moved = build_deal(_deal(tmp_path, "v1.yaml"), _fixture_library(_reordered(tmp_path)))
    return [("changes", base, changed), ("changes reversed", changed, base), ("moved clause", base, moved)]


@pytest.mark.parametrize("index", range(3), ids=["changes", "changes reversed", "moved clause"])
def test_accept_all_gives_new_and_reject_all_gives_old(index: int, tmp_path: Path) -> None:
    _name, old, new = _pairs(tmp_path)[index]
    old_files, new_files = write_docx(old), write_docx(new)
    for document in new.documents:
        redline = write_redline(old, new, document.id)
        accepted = without_trailing_empty(paragraph_texts(resolve(redline, accept=True)))
        rejected = without_trailing_empty(paragraph_texts(resolve(redline, accept=False)))
        # (a draft that ends with a table ends with the paragraph that spaces it)
        assert accepted == without_trailing_empty(plain_texts(new_files[f"{document.id}.docx"])), document.id
        assert rejected == without_trailing_empty(plain_texts(old_files[f"{document.id}.docx"])), document.id


def _lint(data: bytes) -> dict[str, int]:
    root = body(data)
    revisions = [n for n in root.iter() if etree.QName(n).localname in ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart") and n.get(q("id"))]
    ids = [n.get(q("id")) for n in root.iter() if n.get(q("id")) is not None and etree.QName(n).localname not in ("moveFromRangeEnd", "moveToRangeEnd", "bookmarkEnd", "commentRangeEnd", "commentRangeStart", "commentReference")]
    assert [i for i, count in Counter(ids).items() if count > 1] == [], "revision and bookmark ids are unique"
    for node in revisions:
        assert node.get(q("author")), "every revision has an author"
        assert node.get(q("date")), "every revision has a date"
    for deleted in list(root.iter(q("del"))) + list(root.iter(q("moveFrom"))):
        if deleted.getparent().tag != q("rPr"):
            assert deleted.find(f".//{q('t')}") is None, "no w:t inside w:del or w:moveFrom"
    froms = sorted(n.get(q("name")) for n in root.iter(q("moveFromRangeStart")))
    tos = sorted(n.get(q("name")) for n in root.iter(q("moveToRangeStart")))
    assert froms == tos, "every moveFrom is paired with a moveTo"
    return {"ins": len(list(root.iter(q("ins")))), "del": len(list(root.iter(q("del")))), "moves": len(froms)}


def test_redline_xml_is_well_formed_revisions(tmp_path: Path) -> None:
    counts = Counter()
    for _name, old, new in _pairs(tmp_path):
        for document in new.documents:
            counts.update(_lint(write_redline(old, new, document.id)))
    assert counts["ins"] > 0 and counts["del"] > 0 and counts["moves"] > 0


def test_a_moved_clause_is_a_move_and_renumbering_is_no_revision(tmp_path: Path) -> None:
    _name, old, new = _pairs(tmp_path)[2]
    root = body(write_redline(old, new, "agreement"))
    moved_to = [" ".join(t.text or "" for t in n.iter(q("t"))) for n in root.iter(q("moveTo")) if n.getparent().tag != q("rPr")]
    moved_from = [" ".join(t.text or "" for t in n.iter(q("delText"))) for n in root.iter(q("moveFrom")) if n.getparent().tag != q("rPr")]
    assert moved_to == moved_from == ["Publications"]  # unchanged heading: a move
    inserted = " ".join(t.text or "" for n in root.iter(q("ins")) for t in n.iter(q("t")))
    assert "Publication Review" in inserted  # its reference number changed: moved and changed
    # purpose and plan were renumbered (2.x → 3.x) without any revision: numbers are automatic
    headings = [p for p in root.iter(q("p")) if "".join(t.text or "" for t in p.iter(q("t"))) in ("Purpose", "Research Plan")]
    assert len(headings) == 2
    for par in headings:
        assert next(par.iter(q("ins"), q("del"), q("moveFrom"), q("moveTo")), None) is None


def test_reference_number_change_is_tracked(tmp_path: Path) -> None:
    old, new = _pairs(tmp_path)[0][1:]
    root = body(write_redline(old, new, "agreement"))
    purpose = next(p for p in root.iter(q("p")) if "Publications follow" in "".join(t.text or "" for t in p.iter(q("t"), q("delText"))))
    deleted = [("".join(t.text or "" for t in n.iter(q("delText")))) for n in purpose.iter(q("del"))]
    inserted = [("".join(t.text or "" for t in n.iter(q("t")))) for n in purpose.iter(q("ins"))]
    # data and options articles come in; "Article" and its number are tied by a no-break space
    assert deleted == ["Article\u00a04"] and inserted == ["Article\u00a06"]


def test_cli_writes_one_redline_per_document_deterministically(tmp_path: Path) -> None:
    old, new = _deal(tmp_path, "old.yaml"), _deal(tmp_path, "new.yaml", stance="partner")
    for out in ("r1", "r2"):
        result = run("diff", str(old), str(new), "--format", "docx", "-o", str(tmp_path / out), "--author", "Counsel", *FIXTURE_ARGS)
        assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "r1").glob("*.docx"))
    assert names == ["agreement.redline.docx", "charter.redline.docx"]
    for name in names:
        assert (tmp_path / "r1" / name).read_bytes() == (tmp_path / "r2" / name).read_bytes()
    authors = {n.get(q("author")) for n in body((tmp_path / "r1" / "agreement.redline.docx").read_bytes()).iter(q("ins"))}
    assert authors == {"Counsel"}


def test_redline_needs_deal_files(tmp_path: Path) -> None:
    deal = _deal(tmp_path, "d.yaml")
    assert run("build", str(deal), "-o", str(tmp_path / "b"), *FIXTURE_ARGS).exit_code == 0
    result = run("diff", str(tmp_path / "b"), str(deal), "--format", "docx", "-o", str(tmp_path / "r"), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert "a DOCX redline needs deal files on both sides" in result.stderr


@pytest.mark.requires("uno")
def test_libreoffice_accepts_and_rejects_to_the_two_drafts(tmp_path: Path) -> None:
    old = build_deal(ROOT / "examples" / "research-collaboration.yaml")
    pharma = tmp_path / "pharma.yaml"
    pharma.write_text((ROOT / "examples" / "research-collaboration.yaml").read_text("utf-8").replace("\nstance: balanced", "\nstance: pharma"), "utf-8")
    new = build_deal(pharma)
    assert new.deal.stance == "pharma"
    jobs = []
    old_files, new_files = write_docx(old), write_docx(new)
    for document in new.documents:
        doc_id = document.id
        (tmp_path / f"{doc_id}.redline.docx").write_bytes(write_redline(old, new, doc_id))
        (tmp_path / f"{doc_id}.old.docx").write_bytes(old_files[f"{doc_id}.docx"])
        (tmp_path / f"{doc_id}.new.docx").write_bytes(new_files[f"{doc_id}.docx"])
        for mode, source, target in (
            ("accept", "redline", "accepted"), ("reject", "redline", "rejected"), ("plain", "old", "old"), ("plain", "new", "new"),
        ):
            jobs.append(f"{mode}:{tmp_path / f'{doc_id}.{source}.docx'}:{tmp_path / f'{doc_id}.{target}.txt'}")
    subprocess.run([UNO_PYTHON, str(UNO_SCRIPT), str(tmp_path / "profile"), *jobs], check=True, timeout=600)

    def lines(name: str) -> list[str]:
        return without_trailing_empty((tmp_path / name).read_text("utf-8").lstrip("\ufeff").splitlines())

    for document in new.documents:
        assert lines(f"{document.id}.accepted.txt") == lines(f"{document.id}.new.txt"), document.id
        assert lines(f"{document.id}.rejected.txt") == lines(f"{document.id}.old.txt"), document.id


def test_w_namespace_is_wordprocessingml() -> None:
    assert W.endswith("/wordprocessingml/2006/main")
