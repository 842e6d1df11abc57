"""Whole-process DOCX build of the reference deal vs pandoc on the same Markdown.

Both sides do equal work: dealdraft builds every document of
examples/research-collaboration.yaml to DOCX (as a separate process, start-up
and library load included); pandoc converts every Markdown file of that same
build to DOCX. Prints the median of several runs of each and the ratio
(ours / pandoc). A benchmark, not a test: run it on a quiet machine.

    python bench/bench_docx.py [--runs 7] [--cold]
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
DEAL = ROOT / "examples" / "research-collaboration.yaml"


def dealdraft() -> list[str]:
    exe = shutil.which("dealdraft", path=str(Path(sys.executable).parent)) or shutil.which("dealdraft")
    return [exe] if exe else [sys.executable, "-m", "assembler.cli"]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="no library cache (every run validates the library)")
    args = parser.parse_args()
    if not shutil.which("pandoc"):
        sys.exit("pandoc is not installed (apt-get install pandoc)")
    work = Path(tempfile.mkdtemp(prefix="bench-docx-"))
    env = dict(os.environ)
    if args.cold:
        env["DEALDRAFT_NO_CACHE"] = "1"
    else:
        env["DEALDRAFT_CACHE_DIR"] = str(work / "cache")
    md = work / "md"
    subprocess.run([*dealdraft(), "build", str(DEAL), "-o", str(md), "--format", "md"], check=True, env=env, capture_output=True)
    sources = sorted(md.glob("*.md"))
    ours, peer = [], []
    for index in range(args.runs + 1):  # the first round warms caches and is dropped
        out = work / f"ours{index}"
        t_ours = timed([*dealdraft(), "build", str(DEAL), "-o", str(out), "--format", "docx"], env)
        t_peer = 0.0
        for source in sources:
            t_peer += timed(["pandoc", str(source), "-o", str(work / f"peer{index}-{source.stem}.docx")])
        if index:
            ours.append(t_ours)
            peer.append(t_peer)
    m_ours, m_peer = statistics.median(ours), statistics.median(peer)
    print(f"documents: {len(sources)} ({', '.join(s.stem for s in sources)})")
    print(f"dealdraft build --format docx (whole process{', cold' if args.cold else ''}): median {m_ours:.3f} s")
    print(f"pandoc, same Markdown, one process per file:           median {m_peer:.3f} s")
    print(f"ratio ours/pandoc: {m_ours / m_peer:.2f}x  (target <= 1.5x, stretch <= 1.0x)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
