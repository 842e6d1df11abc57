"""verify: provenance read back from DOCX and PDF; drift; returned drafts."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURE_ARGS, FIXTURE_DEAL, run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify") / "out"
    result = run("build", str(FIXTURE_DEAL), "-o", str(out), "--format", "docx,pdf", *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize("name", ["agreement.docx", "agreement.pdf", "charter.docx"])
def test_a_fresh_draft_matches(built: Path, name: str) -> None:
    result = run("verify", str(built / name), "--deal", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == f"{built / name}: matches the deal and library\n"


def test_drift_names_each_clause(built: Path, write_deal) -> None:
    pharma = write_deal(stance="pharma")
    result = run("verify", str(built / "agreement.docx"), "--deal", str(pharma), *FIXTURE_ARGS)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{built / 'agreement.docx'}: 2 clause(s) drifted"
    assert "  fx.scope.plan (2.2): position balanced → pharma; text changed" in lines
    assert "  fx.pub.review (3.1): position balanced → pharma; text changed" in lines
    assert "  note: the deal file has changed since the draft was built" in lines
    assert any("[-sixty (60)-]{+ninety (90)+}" in line for line in lines)


def test_external_copy_names_drifted_clauses_by_their_hashes(tmp_path: Path, write_deal) -> None:
    out = tmp_path / "ext"
    assert run("build", str(FIXTURE_DEAL), "-o", str(out), "--format", "docx", "--external", *FIXTURE_ARGS).exit_code == 0
    assert run("verify", str(out / "agreement.docx"), "--deal", str(FIXTURE_DEAL), *FIXTURE_ARGS).exit_code == 0
    drifted = run("verify", str(out / "agreement.docx"), "--deal", str(write_deal(stance="partner")), *FIXTURE_ARGS)
    assert drifted.exit_code == 1
    lines = drifted.stdout.splitlines()
    assert lines[1:3] == ["  fx.scope.plan (2.2): text changed", "  fx.pub.review (3.1): text changed"]
    assert "position" not in drifted.stdout  # an external copy does not say which position it was built from


def _edit_docx(source: Path, target: Path, edit) -> None:
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = edit(parts["word/document.xml"].decode("utf-8")).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())


def test_returned_docx_lists_edited_and_deleted_clauses(built: Path, tmp_path: Path) -> None:
    def edit(xml: str) -> str:
        xml = xml.replace("twenty-four (24)", "eighteen (18)", 1)  # an untracked edit in 2.2
        xml = xml.replace(
            "<w:t>Reviews start on ",
            '<w:t>Reviews start on </w:t></w:r><w:ins w:id="900" w:author="Counterparty" w:date="2026-12-01T00:00:00Z"><w:r><w:t>or after </w:t></w:r></w:ins><w:r><w:t>',
            1,
        )  # a tracked insertion in 3.1
        # the governing-law article is deleted outright (heading, bookmark and text)
        return re.sub(r'<w:p>(?:(?!<w:p>).)*?w:name="fx_law".*?This Agreement is governed by[^<]*</w:t></w:r></w:p>', "", xml, count=1, flags=re.S)

    returned = tmp_path / "returned.docx"
    _edit_docx(built / "agreement.docx", returned, edit)
    result = run("verify", str(returned), "--deal", str(FIXTURE_DEAL), "--returned", *FIXTURE_ARGS)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "  fx.scope.plan (2.2): edited" in lines
    assert "  fx.pub.review (3.1): edited, tracked" in lines
    assert "  fx.law (4): removed (was after Section 3.1 (fx.pub.review))" in lines
    assert any("[-twenty-four (24)-]{+eighteen (18)+}" in line for line in lines)
    assert any("{+or after +}" in line for line in lines)
    assert not any(line.startswith("  fx.scope.purpose") for line in lines)


def test_returned_unchanged_docx_is_clean(built: Path) -> None:
    result = run("verify", str(built / "agreement.docx"), "--deal", str(FIXTURE_DEAL), "--returned", *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stdout


def test_a_file_without_provenance_is_an_input_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    result = run("verify", str(plain), "--deal", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{plain}: carries no dealdraft provenance (no custom properties)"
    text = tmp_path / "notes.txt"
    text.write_text("hello", "utf-8")
    result = run("verify", str(text), "--deal", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert result.exit_code == 2 and result.stderr.strip() == f"{text}: not a DOCX file (not a zip archive)"


def _tampered(build, clause_id: str, old: str, new: str):  # type: ignore[no-untyped-def]
    """The build with one clause's words changed in the tree, keeping the lock
    of the true build: what a file edited after it was built looks like."""
    from dataclasses import replace as dc_replace

    from assembler.assembly.tree import Paragraph, Text

    def fix(blocks):  # type: ignore[no-untyped-def]
        return tuple(Paragraph(tuple(Text(n.text.replace(old, new)) if isinstance(n, Text) else n for n in b.inlines))
                     if isinstance(b, Paragraph) else b for b in blocks)

    documents = []
    for document in build.documents:
        articles = tuple(dc_replace(a, sections=tuple(dc_replace(s, blocks=fix(s.blocks)) if s.clause_id == clause_id else s
                                                      for s in a.sections)) for a in document.articles)
        documents.append(dc_replace(document, articles=articles))
    return dc_replace(build, documents=tuple(documents))


@pytest.mark.parametrize("external", [False, True])
def test_an_edited_pdf_is_drift_named_with_a_word_diff(tmp_path: Path, external: bool) -> None:
    from conftest import FIXTURE_LIBRARY

    from assembler.api import build_deal
    from assembler.assembly.options import BuildOptions
    from assembler.library import load as library_module
    from assembler.writers.pdf.writer import write_pdf

    library = library_module.require_valid(library_module.load_library([FIXTURE_LIBRARY], builtin=False))
    build = build_deal(FIXTURE_DEAL, library, options=BuildOptions(external=external))
    agreement = (build.document("agreement"),)
    from dataclasses import replace as dc_replace

    true_pdf = tmp_path / "true.pdf"
    true_pdf.write_bytes(write_pdf(dc_replace(build, documents=agreement))["agreement.pdf"])
    result = run("verify", str(true_pdf), "--deal", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stdout
    tampered = _tampered(build, "fx.pub.review", "Reviews start on", "Reviews may start on")
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(write_pdf(dc_replace(tampered, documents=(tampered.document("agreement"),)))["agreement.pdf"])
    result = run("verify", str(edited), "--deal", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert result.exit_code == 1
    assert "  fx.pub.review (3.1): text edited in the file" in result.stdout.splitlines()
    assert "{+may +}" in result.stdout
    assert result.stdout.count("text edited in the file") == 1


def test_an_edited_external_docx_is_drift(tmp_path: Path) -> None:
    out = tmp_path / "ext"
    assert run("build", str(FIXTURE_DEAL), "-o", str(out), "--format", "docx", "--external", *FIXTURE_ARGS).exit_code == 0
    edited = tmp_path / "edited.docx"
    _edit_docx(out / "agreement.docx", edited, lambda xml: xml.replace("twenty-four (24)", "eighteen (18)", 1))
    result = run("verify", str(edited), "--deal", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert result.exit_code == 1
    assert "  fx.scope.plan (2.2): text edited in the file" in result.stdout.splitlines()
    assert "[-twenty-four (24)-]{+eighteen (18)+}" in result.stdout


def test_plain_verify_of_an_edited_docx_is_drift_even_though_its_lock_matches(built: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.docx"
    _edit_docx(built / "agreement.docx", edited, lambda xml: xml.replace("twenty-four (24)", "eighteen (18)", 1))
    result = run("verify", str(edited), "--deal", str(FIXTURE_DEAL), *FIXTURE_ARGS)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [f"{edited}: 1 clause(s) drifted", "  fx.scope.plan (2.2): text edited in the file"]


def test_a_copy_edited_to_read_as_the_deal_now_reads_is_no_drift(built: Path, tmp_path: Path, write_deal) -> None:
    edited = tmp_path / "edited.docx"
    _edit_docx(built / "agreement.docx", edited, lambda xml: xml.replace("twenty-four (24)", "eighteen (18)", 1))
    deal = write_deal(terms={"fx_effective": "2027-02-01", "fx_plan_months": 18})
    result = run("verify", str(edited), "--deal", str(deal), *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stdout
    assert "  note: edited after the build to read as the deal does today: fx.scope.plan" in result.stdout.splitlines()
