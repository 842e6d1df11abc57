"""The negotiation round: reading the other side's markup back into the deal.

1. The returned-document suite (``tests/tools/negotiation_cases.py``): our
   DOCX of the research collaboration marked up in LibreOffice through UNO
   (values, a pasted position, a free edit, an inserted article, a deleted,
   a moved clause, a table cell; tracked and untracked; clean saves). For
   every case the mapping and the absorb classification are compared with
   the expected ones: precision and recall over the suite, and the time of
   each in process.
2. ``dealdraft absorb`` as a whole process on the returned research
   collaboration with a round of edits (an inserted article, a pasted
   position, a table cell, a free edit and a value), against a whole-process
   ``dealdraft build`` of the same deal as DOCX, measured in the same run;
   target: absorb at most 2 s.

    python bench/bench_negotiation.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "tools"))

from common import dealdraft_command  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="Whole-process runs of each command (median reported).")
    args = parser.parse_args()

    from negotiation_cases import found_absorb, found_mapping, make_files, precision_recall, uno_available

    from assembler.api import build_deal, load_library
    from assembler.review.negotiation.absorb import absorb
    from assembler.review.negotiation.copies import map_docx

    if not uno_available():
        sys.exit("LibreOffice with python3-uno (/usr/bin/python3) is needed to make the returned documents")
    library = load_library()
    with tempfile.TemporaryDirectory(prefix="dealdraft-negotiation-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        deal, cases = make_files(library, folder)
        print(f"suite: {len(cases)} returned documents made in LibreOffice in {time.perf_counter() - started:.1f} s")
        build = build_deal(deal, library)
        absorb(cases[0].path, deal, library)  # warm: templates compiled once per process
        maps, absorbs = [], []
        print(f"{'case':<34} {'changes':>7} {'map ms':>7} {'absorb ms':>9}  exact")
        for case in cases:
            assert case.path is not None
            t0 = time.perf_counter()
            mapping = map_docx(case.path, build)
            t1 = time.perf_counter()
            result = absorb(case.path, deal, library)
            t2 = time.perf_counter()
            exact = found_mapping(mapping) == case.mapping and found_absorb(result) == case.absorb and not result.unreproduced
            maps.append((case.mapping, found_mapping(mapping)))
            absorbs.append((case.absorb, found_absorb(result)))
            print(f"{case.name:<34} {len(mapping.changes):>7} {1000 * (t1 - t0):>7.0f} {1000 * (t2 - t1):>9.0f}  {'yes' if exact else 'NO'}")
        for label, pairs in (("mapping", maps), ("absorb", absorbs)):
            precision, recall, true, expected, found = precision_recall(pairs)
            print(f"{label}: precision {precision:.0%} recall {recall:.0%} ({true} right of {found} found, {expected} expected)")

        returned = next(c for c in cases if c.name.startswith("a round")).path
        command = dealdraft_command()
        absorb_cmd = [*command, "absorb", str(returned), "--deal", str(deal), "-o", str(folder / "deal-v2.yaml")]
        build_cmd = [*command, "build", str(deal), "-o", str(folder / "out"), "--format", "docx", "--force"]
        times: dict[str, list[float]] = {"absorb": [], "build": []}
        for _ in range(args.runs):  # interleaved, so both see the same machine
            for name, cmd in (("absorb", absorb_cmd), ("build", build_cmd)):
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                times[name].append(time.perf_counter() - t0)
        absorb_s, build_s = statistics.median(times["absorb"]), statistics.median(times["build"])
        print(f"whole process, median of {args.runs}: absorb {absorb_s:.2f} s vs build --format docx {build_s:.2f} s "
              f"({absorb_s / build_s:.2f}x); target absorb <= 2 s: {'met' if absorb_s <= 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
