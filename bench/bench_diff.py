"""Diff and redline speed, each against its peer measured in the same run.

1. Clause diff in process: two builds of the largest example deal (its own
   stance against the pharma stance), aligned and word-diffed by
   ``diff_sides``; target: median at most 50 ms.
2. Redline DOCX as a whole process (``dealdraft diff OLD NEW --format docx``,
   every document of the deal) against python-redlines with its docxodus
   engine comparing the same pairs of DOCX files, also as a whole process;
   target: ours at most 0.5x the peer.

The peer lives in its own virtual environment (it ships a .NET binary):

    python3 -m venv /tmp/redlines && /tmp/redlines/bin/pip install "python-redlines[docxodus]"
    python bench/bench_diff.py --peer-python /tmp/redlines/bin/python
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PEER = """
import sys
from python_redlines.engines import DocxodusEngine
engine = DocxodusEngine()
pairs = sys.argv[1:]
for old, new in zip(pairs[::2], pairs[1::2]):
    engine.run_redline("dealdraft-bench", open(old, "rb").read(), open(new, "rb").read())
"""


def largest_example() -> Path:
    from assembler.api import build_deal, load_library

    library = load_library()
    sizes = {path: len(build_deal(path, library).lock["clauses"]) for path in sorted((ROOT / "examples").glob("*.yaml"))}
    return max(sizes, key=lambda p: sizes[p])


def pharma_variant(example: Path, folder: Path) -> Path:
    text = example.read_text("utf-8")
    lines = [("stance: pharma" if line.startswith("stance:") else line) for line in text.splitlines()]
    target = folder / f"{example.stem}-pharma.yaml"
    target.write_text("\n".join(lines) + "\n", "utf-8")
    return target


def round_variant(example: Path, library: object, folder: Path) -> Path:
    """The example with its first three whole-number values moved by one."""
    import yaml

    from assembler.api import plan_deal
    from assembler.deal.load import load_deal

    deal = load_deal(example, library)  # type: ignore[arg-type]
    plan = plan_deal(deal, library)  # type: ignore[arg-type]
    data = yaml.safe_load(example.read_text("utf-8"))
    terms = data.setdefault("terms", {})
    changed = 0
    for name, value in plan.values.items():
        var = library.variables[name]  # type: ignore[attr-defined]
        if changed < 3 and isinstance(value, int) and not isinstance(value, bool) and var.type in ("days", "months", "integer"):
            bumped = value + 1 if var.max is None or value + 1 <= var.max else value - 1
            if var.min is None or bumped >= var.min:
                terms[name] = bumped
                changed += 1
    target = folder / f"{example.stem}-round.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return target


def dealdraft() -> list[str]:
    exe = shutil.which("dealdraft", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "assembler.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer-python", help="Python of a venv with python-redlines[docxodus]")
    args = parser.parse_args()
    from assembler.api import build_deal, load_library
    from assembler.review.diff import Side, diff_sides

    work = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    example = largest_example()
    variant = pharma_variant(example, work)
    library = load_library()
    old = build_deal(example, library)
    scenarios = {"a negotiation round (three values changed)": build_deal(round_variant(example, library, work), library),
                 "a stance flip (nearly every clause rewritten)": build_deal(variant, library)}
    print(f"example: {example.name} ({len(old.lock['clauses'])} clauses)")
    for label, new in scenarios.items():
        times = []
        for _ in range(max(args.runs * 4, 20)):
            start = time.perf_counter()
            result = diff_sides(Side("old", old.lock, old), Side("new", new.lock, new), library)
            times.append(time.perf_counter() - start)
        print(f"clause diff in process, {label}: {len(result.changes)} changes, median {statistics.median(times) * 1000:.1f} ms (target <= 50 ms)")

    if not args.peer_python:
        print("redline: skipped (no --peer-python with python-redlines[docxodus])")
        return
    env = dict(os.environ, DEALDRAFT_CACHE_DIR=str(work / "cache"))
    for name, deal in (("old", example), ("new", variant)):
        subprocess.run([*dealdraft(), "build", str(deal), "-o", str(work / name), "--format", "docx"], check=True, env=env, capture_output=True)
    pairs: list[str] = []
    for docx in sorted((work / "new").glob("*.docx")):
        pairs += [str(work / "old" / docx.name), str(docx)]
    ours, peer = [], []
    for index in range(args.runs + 1):  # the first round warms caches and is dropped
        start = time.perf_counter()
        subprocess.run([*dealdraft(), "diff", str(example), str(variant), "--format", "docx", "-o", str(work / f"r{index}")], check=True, env=env, capture_output=True)
        t_ours = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([args.peer_python, "-c", PEER, *pairs], check=True, capture_output=True)
        t_peer = time.perf_counter() - start
        if index:
            ours.append(t_ours)
            peer.append(t_peer)
    m_ours, m_peer = statistics.median(ours), statistics.median(peer)
    print(f"documents: {len(pairs) // 2}")
    print(f"dealdraft diff --format docx (whole process): median {m_ours:.3f} s")
    print(f"python-redlines docxodus, same DOCX pairs:    median {m_peer:.3f} s")
    print(f"ratio ours/peer: {m_ours / m_peer:.2f}x  (target <= 0.5x)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
