"""The DOCX package: comments, document properties, external copies, determinism."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import pytest
from docx_fixtures import LOCK, build
from docx_xml import NS, Docx, bookmarks, text, w

from assembler.assembly.lockfile import lock_sha256, parse_lock
from assembler.base.errors import OutputError
from assembler.writers.docx import write_docx


def test_notes_become_comments_anchored_on_the_clause_heading() -> None:
    docx = Docx(write_docx(build(), comments=True)["agreement.docx"])
    comments = docx.xml("word/comments.xml").findall("w:comment", NS)
    assert len(comments) == 3
    by_id = {c.get(w("id")): c for c in comments}
    marks = bookmarks(docx.document)
    for clause, expected in (("art_governance", "Governance notes"), ("governance_jsc_establish", "casting vote")):
        heading = marks[clause]
        start = heading.find("w:commentRangeStart", NS)
        assert start is not None
        ident = start.get(w("id"))
        assert heading.find(f"w:commentRangeEnd[@w:id='{ident}']", NS) is not None
        assert heading.find(f"w:r/w:commentReference[@w:id='{ident}']", NS) is not None
        comment = by_id[ident]
        assert expected in "".join(comment.itertext())
        assert comment.get(w("author")) == "dealdraft"
        assert comment.get(w("date")) == "2026-11-23T00:00:00Z"
    # Blank line in the notes → two comment paragraphs.
    assert [text(p) for p in by_id[marks["governance_jsc_establish"].find("w:commentRangeStart", NS).get(w("id"))]
            .iterfind("w:p", NS)] == ["Academic partners rarely accept a casting vote for the chair.",
                                      "Offer co-chairs instead."]
    # Comment, bookmark ids are unique together.
    ids = [n.get(w("id")) for n in docx.document.iter(w("bookmarkStart"), w("commentRangeStart"))]
    assert len(ids) == len(set(ids))
    rels = docx.parts["word/_rels/document.xml.rels"].decode()
    assert "relationships/comments" in rels
    assert "comments+xml" in docx.parts["[Content_Types].xml"].decode()


def test_no_comments_unless_asked() -> None:
    docx = Docx(write_docx(build())["agreement.docx"])
    assert "word/comments.xml" not in docx.parts
    assert not list(docx.document.iter(w("commentReference")))


def test_external_copy_has_no_comments_lock_or_stance() -> None:
    docx = Docx(write_docx(build(external=True), comments=True)["agreement.docx"])
    assert "word/comments.xml" not in docx.parts
    assert not list(docx.document.iter(w("commentRangeStart")))
    props = docx.custom_properties()
    assert props["dealdraft.lock_sha256"] == lock_sha256(LOCK)
    assert "dealdraft.lock" not in props and "dealdraft.stance" not in props
    assert parse_lock(props["dealdraft.provenance"])["external"] is True  # ids, versions and text hashes for verify
    everything = b"".join(data for name, data in docx.parts.items() if name.startswith("docProps/"))
    assert b"balanced" not in everything and b"position" not in everything


def test_properties_carry_the_lock_and_the_deal() -> None:
    docx = Docx(write_docx(build())["agreement.docx"])
    props = docx.custom_properties()
    assert props["dealdraft.lock_sha256"] == lock_sha256(LOCK)
    assert parse_lock(props["dealdraft.lock"]) == LOCK
    assert props["dealdraft.stance"] == "balanced"
    assert docx.core("dc:title") == "Research Collaboration Agreement"
    assert docx.core("dc:subject") == "Research Collaboration"
    keywords = docx.core("cp:keywords") or ""
    assert "Nordhaven Pharmaceuticals AG" in keywords and "Helixa Bio Ltd" in keywords
    assert docx.core("dc:creator") == "dealdraft"
    assert docx.core("dcterms:created") == docx.core("dcterms:modified") == "2026-11-23T00:00:00Z"
    app = docx.xml("docProps/app.xml")
    assert app.find("ep:Application", NS).text == "dealdraft"
    for data in docx.parts.values():
        assert b"Macintosh" not in data and b"2013-" not in data and b"python-docx" not in data
    assert json.loads(props["dealdraft.lock"])["format"] == 1


def test_same_build_same_bytes() -> None:
    first = write_docx(build(), comments=True)
    second = write_docx(build(), comments=True)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first["agreement.docx"])) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 23, 0, 0, 0)}
    assert b"rsid" not in b"".join(zipfile.ZipFile(io.BytesIO(first["agreement.docx"])).read(n) for n in names)


def test_one_docx_per_document() -> None:
    assert sorted(write_docx(build())) == ["agreement.docx", "jsc-charter.docx"]


def test_text_xml_cannot_hold_is_an_output_error_not_a_corrupt_file() -> None:
    the_build = build()
    party = replace(the_build.deal.parties[0], legal_name="Nordhaven\x01 AG")
    bad = replace(the_build, deal=replace(the_build.deal, parties=(party, *the_build.deal.parties[1:])))
    with pytest.raises(OutputError, match="U\\+0001"):
        write_docx(bad)
