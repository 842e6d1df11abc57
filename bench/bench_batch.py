"""Batch benchmark: many generated deal variants through ``dealdraft batch``.

    python bench/bench_batch.py [--count 100] [--format docx,pdf] [--runs 1] [--single 5] [--json]

Generates COUNT variants of examples/research-collaboration.yaml (parties,
stance and terms vary), then times, as whole processes (wall clock, medians):

  jobs 1      ``dealdraft batch DEALS -o OUT --jobs 1``
  jobs 2      the same with ``--jobs 2``            throughput ratio jobs1/jobs2, target ≥ 1.6
  single      one ``dealdraft build`` process per deal (SINGLE of them)
              per-deal cost in batch (jobs 1 time / COUNT) ÷ single, target ≤ 0.5,
              in wall-clock and in CPU seconds
  linearity   ``--jobs 1`` on COUNT/4, COUNT/2 and COUNT deals: the marginal cost per deal stays flat
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

import yaml
from common import children_cpu, dealdraft_command

ROOT = Path(__file__).resolve().parents[1]
BASE_DEAL = ROOT / "examples" / "research-collaboration.yaml"
STANCES = ("balanced", "pharma", "partner")
PARTNERS = ("Helixa Bio", "Quantilab", "Arvenna Therapeutics", "Brightwell Genomics", "Celadon Biologics", "Dunmore Labs")


def batch_command() -> list[str]:
    """``dealdraft batch``, or the command registered by hand until cli.py wires it."""
    probe = subprocess.run([*dealdraft_command(), "batch", "--help"], capture_output=True)
    if probe.returncode == 0:
        return [*dealdraft_command(), "batch"]
    code = "from assembler.cli.main import cli; from assembler.cli.batch import batch_command; cli.add_command(batch_command()); cli(prog_name='dealdraft')"
    return [sys.executable, "-c", code, "batch"]


def write_variants(folder: Path, count: int) -> list[Path]:
    base = yaml.safe_load(BASE_DEAL.read_text("utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        deal = json.loads(json.dumps(base, default=str))  # a deep copy with dates as text
        partner = deal["parties"][1]
        name = f"{PARTNERS[index % len(PARTNERS)]} {index + 1}"
        partner["legal_name"], partner["short_name"] = f"{name} Ltd", name
        deal["stance"] = STANCES[index % len(STANCES)]
        terms = deal.setdefault("terms", {}) or {}
        terms["research_term_months"] = 12 + (index * 6) % 49
        deal["terms"] = terms
        path = folder / f"deal-{index + 1:03d}.yaml"
        path.write_text(yaml.safe_dump(deal, sort_keys=False, allow_unicode=True), "utf-8")
        paths.append(path)
    return paths


CPU: dict[str, list[float]] = {}
"""CPU seconds (user + system of the command and all its processes) per label."""


def timed(command: list[str], label: str = "") -> float:
    cpu, started = children_cpu(), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    CPU.setdefault(label, []).append(children_cpu() - cpu)
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[:4])} … failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--format", default="docx,pdf")
    parser.add_argument("--runs", type=int, default=1, help="Runs of each batch (median).")
    parser.add_argument("--single", type=int, default=5, help="Separate dealdraft build processes to time.")
    parser.add_argument("--no-linearity", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    batch = batch_command()
    with tempfile.TemporaryDirectory(prefix="dealdraft-bench-batch-") as tmp:
        work = Path(tmp)
        deals = write_variants(work / "deals", args.count)
        os.environ.setdefault("DEALDRAFT_CACHE_DIR", str(work / "cache"))
        timed([*dealdraft_command(), "lint"])  # warms the library cache, as a user's earlier runs would
        jobs1 = [timed([*batch, str(work / "deals"), "-o", str(work / f"out1-{r}"), "--format", args.format, "--jobs", "1"], "jobs1") for r in range(args.runs)]
        jobs2 = [timed([*batch, str(work / "deals"), "-o", str(work / f"out2-{r}"), "--format", args.format, "--jobs", "2"]) for r in range(args.runs)]
        single = [
            timed([*dealdraft_command(), "build", str(deal), "-o", str(work / f"single-{deal.stem}"), "--format", args.format], "single")
            for deal in deals[: args.single]
        ]
        report: dict[str, Any] = {
            "count": args.count, "format": args.format, "cores": os.cpu_count(),
            "jobs1_s": statistics.median(jobs1), "jobs2_s": statistics.median(jobs2), "single_build_s": statistics.median(single),
        }
        report["throughput_ratio"] = report["jobs1_s"] / report["jobs2_s"]
        report["per_deal_batch_s"] = report["jobs1_s"] / args.count
        report["per_deal_ratio"] = report["per_deal_batch_s"] / report["single_build_s"]
        # The same in CPU seconds: a separate build spreads its PDF layout over
        # every core, so wall time alone understates what it costs.
        report["per_deal_cpu_batch_s"] = statistics.median(CPU["jobs1"]) / args.count
        report["single_build_cpu_s"] = statistics.median(CPU["single"])
        report["per_deal_cpu_ratio"] = report["per_deal_cpu_batch_s"] / report["single_build_cpu_s"]
        if not args.no_linearity and args.count >= 8:
            # T(n) = start-up + n × per-deal cost: the marginal cost per deal must stay flat as n grows
            points = {args.count: report["jobs1_s"]}
            for n in (args.count // 4, args.count // 2):
                subset = work / f"first-{n}"
                subset.mkdir()
                for deal in deals[:n]:
                    (subset / deal.name).write_bytes(deal.read_bytes())
                points[n] = timed([*batch, str(subset), "-o", str(work / f"out-first-{n}"), "--format", args.format, "--jobs", "1"])
            q, h, n = sorted(points)
            first, second = (points[h] - points[q]) / (h - q), (points[n] - points[h]) / (n - h)
            report["linearity"] = {"seconds": {str(k): points[k] for k in (q, h, n)}, "marginal_s": [first, second],
                                   "growth": second / first if first > 0 else float("nan")}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.count} deal variants, --format {args.format}, {report['cores']} core(s); median of {args.runs}")
    print(f"batch --jobs 1: {report['jobs1_s']:.1f} s   batch --jobs 2: {report['jobs2_s']:.1f} s")
    print(f"throughput jobs 2 / jobs 1: {report['throughput_ratio']:.2f}× (target ≥ 1.6)")
    print(f"per deal in batch (jobs 1): {report['per_deal_batch_s']:.2f} s; separate dealdraft build: {report['single_build_s']:.2f} s; "
          f"ratio {report['per_deal_ratio']:.2f} (target ≤ 0.5)")
    print(f"in CPU seconds: {report['per_deal_cpu_batch_s']:.2f} s per deal in batch vs {report['single_build_cpu_s']:.2f} s; "
          f"ratio {report['per_deal_cpu_ratio']:.2f}")
    if "linearity" in report:
        lin = report["linearity"]
        times = ", ".join(f"{k} deals {v:.1f} s" for k, v in lin["seconds"].items())
        print(f"linearity (--jobs 1): {times}; marginal cost per deal {lin['marginal_s'][0]:.2f} s then "
              f"{lin['marginal_s'][1]:.2f} s: × {lin['growth']:.2f} (linear: ≈ 1)")


if __name__ == "__main__":
    main()
