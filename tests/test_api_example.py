"""The Python API example in the README runs as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from needs import missing

SECTION = "## Python API"


def readme_example() -> str | None:
    """The first ```python block of the README's Python API section."""
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.find(f"\n{SECTION}\n")
    if start < 0:
        return None
    end = text.find("\n## ", start + 1)
    section = text[start : end if end > 0 else len(text)]
    match = re.search(r"^```python\n(.*?)^```", section, re.S | re.M)
    return match.group(1) if match else None


def test_readme_python_api_example_runs(tmp_path: Path) -> None:
    example = readme_example()
    if example is None:
        missing(f"README.md's '{SECTION}' section with a ```python block", "the example back into README.md")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    script = tmp_path / "example.py"
    script.write_text(example, "utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert any((tmp_path / "out").rglob("deal.lock.json")), "the example should build into out/"
