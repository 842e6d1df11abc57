"""Outputs are deterministic and written as one set, atomically."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURE_ARGS, FIXTURE_DEAL, ROOT, run


def _build_in_process(out: Path, cwd: Path, env_extra: dict[str, str]) -> None:
    env = {**os.environ, **env_extra}
    subprocess.run(
        [sys.executable, "-m", "assembler.cli", "build", str(FIXTURE_DEAL), "-o", str(out), "--format", "md,json", *FIXTURE_ARGS],
        cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True,
    )


def test_two_builds_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _build_in_process(tmp_path / "out1", tmp_path / "a", {"PYTHONHASHSEED": "1", "TZ": "Pacific/Auckland"})
    _build_in_process(tmp_path / "out2", tmp_path / "b", {"PYTHONHASHSEED": "2", "TZ": "America/New_York", "LC_ALL": "C"})
    names = sorted(p.name for p in (tmp_path / "out1").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "out2").iterdir())
    assert {"agreement.md", "charter.md", "deal.lock.json", "build.json"} <= set(names)
    for name in names:
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes(), name


def test_a_failed_build_leaves_the_output_folder_as_it_was(tmp_path: Path, write_deal) -> None:
    out = tmp_path / "out"
    assert run("build", str(FIXTURE_DEAL), "-o", str(out), *FIXTURE_ARGS).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = write_deal(include=["fx.opt.dangling"])
    result = run("build", str(bad), "-o", str(out), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dealdraft-staging")]


def test_rebuilding_replaces_the_previous_set_and_keeps_user_files(tmp_path: Path, write_deal) -> None:
    out = tmp_path / "out"
    assert run("build", str(FIXTURE_DEAL), "-o", str(out), "--format", "md,json", *FIXTURE_ARGS).exit_code == 0
    (out / "notes.txt").write_text("mine", "utf-8")
    pharma = write_deal(stance="pharma")
    assert run("build", str(pharma), "-o", str(out), "--format", "md", *FIXTURE_ARGS).exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [".dealdraft-manifest.json", "agreement.md", "charter.md", "deal.lock.json", "notes.txt"]
    assert "twelve (12) months" in (out / "agreement.md").read_text("utf-8")
    assert (out / "notes.txt").read_text("utf-8") == "mine"


def test_a_file_edited_since_the_last_build_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", str(FIXTURE_DEAL), "-o", str(out), *FIXTURE_ARGS).exit_code == 0
    edited = out / "agreement.md"
    edited.write_text(edited.read_text("utf-8") + "\nA lawyer's edit.\n", "utf-8")
    result = run("build", str(FIXTURE_DEAL), "-o", str(out), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{edited}: was edited since the last build; use --force to overwrite it"
    assert "A lawyer's edit." in edited.read_text("utf-8")
    forced = run("build", str(FIXTURE_DEAL), "-o", str(out), "--force", *FIXTURE_ARGS)
    assert forced.exit_code == 0
    assert "A lawyer's edit." not in edited.read_text("utf-8")



def test_final_refuses_blanks_and_drops_the_marking(tmp_path: Path, write_deal) -> None:
    blank = write_deal("blank.yaml", terms={})
    out = tmp_path / "out"
    result = run("build", str(blank), "-o", str(out), "--final", *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{blank}: terms.fx_effective: --final: the draft still has a blank [●] for this value; give it in the deal file"
    assert not out.exists()
    assert run("build", str(FIXTURE_DEAL), "-o", str(out), "--final", *FIXTURE_ARGS).exit_code == 0
    text = (out / "agreement.md").read_text("utf-8")
    assert "DRAFT" not in text and "[●]" not in text


def test_external_copy_carries_no_notes_or_stance(tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "ext"
    result = run("build", str(FIXTURE_DEAL), "-o", str(out), "--format", "docx", "--external", "--comments", *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out / "agreement.docx") as archive:
        names = archive.namelist()
        custom = archive.read("docProps/custom.xml").decode("utf-8")
    assert "word/comments.xml" not in names  # the clause has drafting notes, but not for the other side
    assert "dealdraft.lock_sha256" in custom and "balanced" not in custom and "Academic partners" not in custom
