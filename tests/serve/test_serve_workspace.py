"""The workspace store: names, conflicts, trash, versions, and saves killed
at random moments."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT
from needs import missing

try:
    from assembler.serve.workspace import ConflictError, Workspace, WorkspaceError, sha256_text
except ImportError:  # pragma: no cover - the serve extra is part of the test extra
    missing("the serve extra", "the test extra: pip install -c .ci/constraints.txt '.[test]'")


def test_names_cannot_leave_the_folder(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    for name in ("../x", "a/b", "", ".hidden", "x.yaml", "a" * 81, "\x00", "..", "c:\\x"):
        with pytest.raises(WorkspaceError):
            workspace.path_of(name)
    assert workspace.path_of("deal-1_a").name == "deal-1_a.yaml"


def test_a_second_save_from_an_old_version_is_a_conflict(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    first = workspace.create("deal", "a: 1\n")
    base = first.sha256
    second = workspace.save("deal", "a: 2\n", base)
    assert second.number == 2
    with pytest.raises(ConflictError) as conflict:
        workspace.save("deal", "a: 3\n", base)
    assert conflict.value.status == 409 and "changed since you opened it" in str(conflict.value)
    assert (tmp_path / "ws" / "deal.yaml").read_text("utf-8") == "a: 2\n"
    assert [v.text for v in workspace.versions.all("deal")] == ["a: 1\n", "a: 2\n"]


def test_a_file_edited_by_hand_becomes_a_version_and_deletes_go_to_the_trash(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    workspace.create("deal", "a: 1\n")
    (tmp_path / "ws" / "deal.yaml").write_text("a: 9\n", "utf-8")
    assert workspace.read("deal").text == "a: 9\n"
    assert [(v.number, v.origin) for v in workspace.versions.all("deal")] == [(1, "created"), (2, "edited outside")]
    trashed = workspace.delete("deal")
    assert trashed.parent == tmp_path / "ws" / "trash" and trashed.read_text("utf-8") == "a: 9\n"
    assert workspace.names() == []


_SAVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from assembler.serve.workspace import Workspace, sha256_text
    workspace = Workspace(Path(sys.argv[1]))
    texts = [("a: " + "x" * 400_000 + "\\n"), ("b: " + "y" * 600_000 + "\\n")]
    current = workspace.read("deal").text
    print("ready", flush=True)
    while True:
        new = texts[1] if current == texts[0] else texts[0]
        workspace.save("deal", new, sha256_text(current))
        current = new
""")


def test_a_save_killed_at_any_moment_leaves_a_whole_version(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    texts = {"a: " + "x" * 400_000 + "\n", "b: " + "y" * 600_000 + "\n"}
    Workspace(root).create("deal", sorted(texts)[0])
    rng = random.Random(17)
    for _round in range(8):
        process = subprocess.Popen([sys.executable, "-c", _SAVER, str(root)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.4))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
        workspace = Workspace(root)
        file = workspace.read("deal")
        assert file.text in texts
        assert workspace.versions.latest("deal").sha256 == sha256_text(file.text)
        assert workspace.names() == ["deal"]


def test_the_command_needs_the_serve_extra() -> None:
    code = "import sys; sys.modules['uvicorn'] = None; sys.argv = ['dealdraft', 'serve']; from assembler.cli.main import main; main()"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].endswith("install it with: pip install 'dealdraft[serve]'")
    assert "Traceback" not in result.stderr
