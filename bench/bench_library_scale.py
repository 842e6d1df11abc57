"""Library-scale benchmark: lint a generated 10,000-clause library, cold and
warm, and build deals that use 100 / 1,000 / 10,000 of its clauses.

    python bench/bench_library_scale.py [--clauses 10000] [--sizes 100,1000,10000] [--runs 3] [--json]

Prints medians (wall clock) and ratios:

  lint cold   ``dealdraft lint`` with an empty cache folder (DEALDRAFT_CACHE_DIR)   target ≤ 15 s
  lint warm   the same with nothing changed since the last run                     target ≤ 2 s
  build N     ``dealdraft build`` (a whole process, warm cache) and, in-process, the
              build of the document tree (library already loaded; templates compiled)
              for a deal using N clauses; linear means time(10 N) / time(N) ≈ 10
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import dealdraft_command  # noqa: E402
from gen_library import write_library  # noqa: E402


def timed(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(command)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return elapsed


def lint_times(library: Path, work: Path, runs: int) -> tuple[list[float], list[float]]:
    command = [*dealdraft_command(), "lint", "--no-builtin", "--library", str(library)]
    cold = []
    for run in range(runs):
        env = {**os.environ, "DEALDRAFT_CACHE_DIR": str(work / f"cache-cold-{run}")}
        env.pop("DEALDRAFT_NO_CACHE", None)
        cold.append(timed(command, env))
    env = {**os.environ, "DEALDRAFT_CACHE_DIR": str(work / "cache-warm")}
    env.pop("DEALDRAFT_NO_CACHE", None)
    timed(command, env)  # fills the cache
    warm = [timed(command, env) for _ in range(runs)]
    return cold, warm


def build_times(library: Path, deals: list[Path], work: Path, runs: int) -> dict[int, dict[str, float]]:
    from assembler.api import build_deal
    from assembler.library import load as library_module

    os.environ["DEALDRAFT_CACHE_DIR"] = str(work / "cache-warm")
    loaded = library_module.require_valid(library_module.load_library([library], builtin=False))
    env = {**os.environ}
    figures: dict[int, dict[str, float]] = {}
    for deal in deals:
        size = int(deal.stem.split("_")[1])
        build_deal(deal, loaded)  # compiles the templates once, as a batch worker does
        tree = []
        for _ in range(runs):
            started = time.perf_counter()
            build_deal(deal, loaded)
            tree.append(time.perf_counter() - started)
        command = [*dealdraft_command(), "build", str(deal), "-o", str(work / f"out-{size}"), "--format", "md",
                   "--no-builtin", "--library", str(library)]
        process = [timed(command, env) for _ in range(runs)]
        figures[size] = {"tree_s": statistics.median(tree), "process_s": statistics.median(process)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clauses", type=int, default=10_000)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-lint", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="dealdraft-bench-") as tmp:
        work = Path(tmp)
        library, deals = write_library(work, args.clauses, sizes)
        report: dict[str, Any] = {"clauses": args.clauses, "deal_types": sizes, "runs": args.runs}
        if not args.skip_lint:
            cold, warm = lint_times(library, work, args.runs)
            report["lint_cold_s"] = statistics.median(cold)
            report["lint_warm_s"] = statistics.median(warm)
        builds = build_times(library, deals, work, args.runs)
        report["build"] = {str(k): v for k, v in builds.items()}
        ordered = sorted(builds)
        report["linearity"] = {
            f"{b}/{a}": {"clauses": b / a, "tree": builds[b]["tree_s"] / builds[a]["tree_s"]}
            for a, b in zip(ordered, ordered[1:], strict=False)
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"library: {args.clauses:,} generated clauses, deal types of {', '.join(f'{s:,}' for s in sizes)} clauses; median of {args.runs}")
    if "lint_cold_s" in report:
        print(f"lint cold: {report['lint_cold_s']:.2f} s (target ≤ 15 s)")
        print(f"lint warm: {report['lint_warm_s']:.2f} s (target ≤ 2 s)")
    for size in ordered:
        b = builds[size]
        print(f"build {size:>6,} clauses: tree {b['tree_s']:.3f} s ({1000 * b['tree_s'] / size:.2f} ms/clause), "
              f"dealdraft build process {b['process_s']:.2f} s")
    for label, ratio in report["linearity"].items():
        print(f"build {label}: {ratio['tree']:.1f}× the time for {ratio['clauses']:.0f}× the clauses (linear: ≈ {ratio['clauses']:.0f})")


if __name__ == "__main__":
    main()
