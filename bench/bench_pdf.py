"""PDF route benchmark: our WeasyPrint build against DOCX + LibreOffice.

In one run, interleaved, times (median of several runs, wall clock, whole
processes):

  A. ``dealdraft build DEAL -o A --format pdf``
  B. ``dealdraft build DEAL -o B --format docx`` then
     ``soffice --headless --convert-to pdf`` of the DOCX files it wrote
     (one soffice process for all of them, with a warmed-up profile)
  C. ``pandoc --pdf-engine=weasyprint`` on the Markdown of the same build,
     one process per document (the same layout engine, pandoc's HTML)

and prints the medians and the ratios A / B and A / C. It also reports the
CPU seconds of each route (user + system of every child process), which a
busy machine disturbs less than wall-clock time.

    python bench/bench_pdf.py [examples/research-collaboration.yaml] [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import children_cpu, dealdraft_command

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DEAL = ROOT / "examples" / "research-collaboration.yaml"


def soffice_command() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise SystemExit("bench_pdf: soffice (LibreOffice) is not installed")
    return found


def run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench_pdf: {' '.join(command)} failed ({result.returncode}):\n"
                         f"{result.stderr}{result.stdout}")


def pdf_route(deal: Path, work: Path) -> tuple[float, float, list[str]]:
    out = work / "weasyprint"
    cpu, started = children_cpu(), time.perf_counter()
    run([*dealdraft_command(), "build", str(deal), "-o", str(out), "--format", "pdf"], ROOT)
    elapsed, cpu = time.perf_counter() - started, children_cpu() - cpu
    return elapsed, cpu, sorted(p.stem for p in out.glob("*.pdf"))


def soffice_route(deal: Path, work: Path, profile: Path) -> tuple[float, float, list[str]]:
    out = work / "soffice"
    cpu, started = children_cpu(), time.perf_counter()
    run([*dealdraft_command(), "build", str(deal), "-o", str(out), "--format", "docx"], ROOT)
    documents = sorted(out.glob("*.docx"))
    run([soffice_command(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, documents)], out)
    elapsed, cpu = time.perf_counter() - started, children_cpu() - cpu
    return elapsed, cpu, sorted(p.stem for p in out.glob("*.pdf"))


def pandoc_route(markdown: list[Path], work: Path) -> tuple[float, float]:
    """pandoc → WeasyPrint on each Markdown file of our build, one process each."""
    engine = Path(sys.executable).with_name("weasyprint")
    out = work / "pandoc"
    out.mkdir(parents=True, exist_ok=True)
    cpu, started = children_cpu(), time.perf_counter()
    for source in markdown:
        run(["pandoc", str(source), "-o", str(out / f"{source.stem}.pdf"), f"--pdf-engine={engine}"], work)
    return time.perf_counter() - started, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deal", nargs="?", type=Path, default=DEFAULT_DEAL)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per route (default 5)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    deal = args.deal.resolve()

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        base = Path(tmp)
        profile = base / "lo-profile"
        # Warm-up, untimed: LibreOffice creates its profile, caches fill.
        *_, ours = pdf_route(deal, base / "warm")
        *_, theirs = soffice_route(deal, base / "warm", profile)
        if ours != theirs:
            raise SystemExit(f"bench_pdf: the routes made different documents: {ours} vs {theirs}")
        run([*dealdraft_command(), "build", str(deal), "-o", str(base / "md"), "--format", "md"], ROOT)
        markdown = sorted((base / "md").glob("*.md"))
        with_pandoc = shutil.which("pandoc") is not None
        if with_pandoc:
            pandoc_route(markdown, base / "warm")
        weasy: list[float] = []
        office: list[float] = []
        pandoc: list[float] = []
        weasy_cpu: list[float] = []
        office_cpu: list[float] = []
        pandoc_cpu: list[float] = []
        for index in range(args.runs):  # interleaved, so drift hits every route alike
            wall, cpu, _ = pdf_route(deal, base / f"run{index}")
            weasy.append(wall)
            weasy_cpu.append(cpu)
            wall, cpu, _ = soffice_route(deal, base / f"run{index}", profile)
            office.append(wall)
            office_cpu.append(cpu)
            if with_pandoc:
                wall, cpu = pandoc_route(markdown, base / f"run{index}")
                pandoc.append(wall)
                pandoc_cpu.append(cpu)

    figures = {
        "deal": str(deal.relative_to(ROOT) if deal.is_relative_to(ROOT) else deal),
        "documents": ours,
        "runs": args.runs,
        "weasyprint_median_s": round(statistics.median(weasy), 3),
        "docx_soffice_median_s": round(statistics.median(office), 3),
        "ratio": round(statistics.median(weasy) / statistics.median(office), 3),
        "weasyprint_cpu_median_s": round(statistics.median(weasy_cpu), 3),
        "docx_soffice_cpu_median_s": round(statistics.median(office_cpu), 3),
        "cpu_ratio": round(statistics.median(weasy_cpu) / statistics.median(office_cpu), 3),
        "weasyprint_runs_s": [round(t, 3) for t in weasy],
        "docx_soffice_runs_s": [round(t, 3) for t in office],
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
    }
    if pandoc:
        figures.update({
            "pandoc_weasyprint_median_s": round(statistics.median(pandoc), 3),
            "ratio_pandoc": round(statistics.median(weasy) / statistics.median(pandoc), 3),
            "pandoc_weasyprint_cpu_median_s": round(statistics.median(pandoc_cpu), 3),
            "cpu_ratio_pandoc": round(statistics.median(weasy_cpu) / statistics.median(pandoc_cpu), 3),
        })
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"deal: {figures['deal']} ({len(ours)} documents: {', '.join(ours)}), {args.runs} runs")
    print(f"dealdraft --format pdf (WeasyPrint):   median {figures['weasyprint_median_s']:.2f} s")
    print(f"dealdraft --format docx + soffice:     median {figures['docx_soffice_median_s']:.2f} s")
    print(f"ratio WeasyPrint / soffice route:      {figures['ratio']:.2f}x (target <= 1.0)")
    print(f"CPU seconds (user+sys), medians:       {figures['weasyprint_cpu_median_s']:.2f} s vs "
          f"{figures['docx_soffice_cpu_median_s']:.2f} s ({figures['cpu_ratio']:.2f}x), "
          f"{figures['cpus']} CPUs")
    if pandoc:
        print(f"pandoc --pdf-engine=weasyprint, same Markdown: median {figures['pandoc_weasyprint_median_s']:.2f} s")
        print(f"ratio ours / pandoc+WeasyPrint:        {figures['ratio_pandoc']:.2f}x "
              f"(CPU {figures['cpu_ratio_pandoc']:.2f}x)")


if __name__ == "__main__":
    main()
