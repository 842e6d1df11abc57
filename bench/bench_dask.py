"""Dask benchmark: ``batch --dask`` on two local workers against ``batch --jobs 2``.

    python bench/bench_dask.py [--count 16] [--format docx,pdf] [--runs 2] [--json]

Starts a ``dask scheduler`` and two ``dask worker --nthreads 1`` processes on
127.0.0.1, generates COUNT variants of examples/research-collaboration.yaml
(as bench_batch.py does), then times whole ``dealdraft batch`` processes
on the same deals, in wall clock and in CPU seconds of every process
involved (for Dask: the client, the scheduler and the workers):

  dask cold    the first batch on the fresh workers (they import the writers
               and load the library during it)
  jobs 2       ``--jobs 2`` on this machine
  dask warm    the same batch again on the same workers, as a long-running
               cluster serves it           throughput jobs2/dask, target ≥ 0.9

jobs 2 and dask warm alternate RUNS times (medians), so that a busy moment of
a shared machine does not fall on one of them only.

and the per-task overhead: a Dask round trip of an empty task, the wall time
per task of 200 empty tasks on the two workers, and per deal of a batch of
COUNT×5 deals that fail at once (an unknown deal type) on Dask and locally.
It also reports what travelled: the library bundle's size and the output
bytes per deal, and checks that both batches wrote the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import yaml
from bench_batch import write_variants
from common import dealdraft_command

DASK = Path(sys.executable).with_name("dask")


def start_cluster(work: Path, workers: int) -> tuple[str, list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    scheduler_file = work / "scheduler.json"

    def spawn(name: str, *args: str, env: dict[str, str] | None = None) -> None:
        with open(work / f"{name}.log", "wb") as log:
            processes.append(subprocess.Popen([str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env))

    spawn("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
          "--scheduler-file", str(scheduler_file))
    # as the README advises: no statistical profiler sampling the builds
    worker_env = {**os.environ, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
    for index in range(workers):
        spawn(f"worker-{index}", "worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1", "--nthreads", "1",
              "--no-dashboard", "--dashboard-address", "127.0.0.1:0", "--local-directory", str(work / f"worker-{index}"), env=worker_env)
    deadline = time.monotonic() + 120
    while True:
        try:
            return json.loads(scheduler_file.read_text("utf-8"))["address"], processes
        except (OSError, ValueError, KeyError):
            if time.monotonic() > deadline:
                stop(processes)
                raise SystemExit("bench: the scheduler did not start") from None
            time.sleep(0.1)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class CpuMeter:
    """CPU seconds (user + system) of some processes and all their
    descendants while they run: a batch process with its pool or fork server
    and workers, and a cluster's scheduler, nannies and workers. They are
    sampled every 0.1 s, because a pool's workers are not reaped by the
    process that started them and so never show in getrusage(RUSAGE_CHILDREN)."""

    def __init__(self, roots: list[int]) -> None:
        self.roots = roots
        self.before = self._sample()
        self.latest = dict(self.before)
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _sample(self) -> dict[int, float]:
        found = {}
        for root in self.roots:
            try:
                tree = [psutil.Process(root)]
                tree += tree[0].children(recursive=True)
            except psutil.Error:
                continue
            for process in tree:
                try:
                    times = process.cpu_times()
                except psutil.Error:
                    continue
                found[process.pid] = times.user + times.system
        return found

    def _watch(self) -> None:
        while self.running:
            self.latest.update(self._sample())
            time.sleep(0.1)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        self.latest.update(self._sample())
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.latest.items())


def timed_batch(args: list[str], expect: int = 0, cluster: list[subprocess.Popen[bytes]] | None = None) -> tuple[float, float, dict[str, Any]]:
    """Wall and CPU seconds of one batch (with the cluster it used), and its JSON summary."""
    started = time.perf_counter()
    process = subprocess.Popen([*dealdraft_command(), "batch", *args, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    meter = CpuMeter([process.pid, *(p.pid for p in cluster or [])])
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    cpu = meter.stop()
    if process.returncode != expect:
        raise SystemExit(f"bench: batch {' '.join(args[:6])} … exited {process.returncode}:\n{stderr[-3000:]}")
    return elapsed, cpu, json.loads(stdout)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def empty(value: int) -> int:
    return value


def task_overhead(address: str) -> dict[str, float]:
    """Dask's own cost per task: one round trip at a time, and many tasks at once."""
    import distributed

    with distributed.Client(address, set_as_default=False) as client:
        client.submit(empty, -1, pure=False).result()
        started = time.perf_counter()
        for index in range(50):
            client.submit(empty, index, pure=False).result()
        round_trip = (time.perf_counter() - started) / 50
        started = time.perf_counter()
        client.gather(client.map(empty, range(200), pure=False))
        many = (time.perf_counter() - started) / 200
    return {"round_trip_ms": round_trip * 1000, "many_tasks_ms_per_task": many * 1000}


def bundle_size() -> dict[str, int]:
    from assembler.batch.remote import LibraryBundle
    from assembler.library import load as library_module

    sources = library_module.read_library()
    bundle = LibraryBundle.pack(sources, library_module.parse_library(sources).fingerprint)
    return {"library_files": len(sources.files), "library_bytes": sum(len(f.raw) for f in sources.files), "bundle_bytes": len(bundle.packed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=16)
    parser.add_argument("--format", default="docx,pdf")
    parser.add_argument("--runs", type=int, default=2, help="Alternating runs of jobs 2 and dask warm (medians).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not DASK.exists():
        raise SystemExit("bench: the dask command line is missing: pip install 'dealdraft[dask]'")
    with tempfile.TemporaryDirectory(prefix="dealdraft-bench-dask-") as tmp:
        work = Path(tmp)
        os.environ.setdefault("DEALDRAFT_CACHE_DIR", str(work / "cache"))
        deals = work / "deals"
        write_variants(deals, args.count)
        broken = work / "broken"
        broken.mkdir()
        for index in range(args.count * 5):
            (broken / f"broken-{index:03d}.yaml").write_text(yaml.safe_dump({"deal_type": "no_such_type", "parties": []}), "utf-8")
        subprocess.run([*dealdraft_command(), "lint"], capture_output=True)  # warms the library cache, as a user's earlier runs would
        address, processes = start_cluster(work, 2)
        try:
            import distributed

            with distributed.Client(address, set_as_default=False) as client:
                client.wait_for_workers(2, timeout=120)
            common = ["--format", args.format]
            dask_args = ["--dask", address]
            cold, cold_cpu, _ = timed_batch([str(deals), "-o", str(work / "out-dask-cold"), *common, *dask_args], cluster=processes)
            local: list[tuple[float, float]] = []
            warm: list[tuple[float, float]] = []
            for run in range(args.runs):
                order = ("local", "dask") if run % 2 == 0 else ("dask", "local")
                for kind in order:
                    if kind == "local":
                        wall, cpu, local_summary = timed_batch([str(deals), "-o", str(work / f"out-local-{run}"), *common, "--jobs", "2"])
                        local.append((wall, cpu))
                    else:
                        wall, cpu, dask_summary = timed_batch([str(deals), "-o", str(work / f"out-dask-{run}"), *common, *dask_args],
                                                              cluster=processes)
                        warm.append((wall, cpu))
            fail_dask, _, _ = timed_batch([str(broken), "-o", str(work / "out-broken-dask"), *dask_args], expect=1)
            fail_local, _, _ = timed_batch([str(broken), "-o", str(work / "out-broken-local"), "--jobs", "2"], expect=1)
            overhead = task_overhead(address)
        finally:
            stop(processes)
        dask_files, local_files = files_of(work / "out-dask-0"), files_of(work / "out-local-0")
        local_s, local_cpu = (statistics.median(x) for x in zip(*local, strict=True))
        warm_s, warm_cpu = (statistics.median(x) for x in zip(*warm, strict=True))
        report: dict[str, Any] = {
            "count": args.count, "format": args.format, "cores": os.cpu_count(), "runs": args.runs,
            "dask_cold_s": cold, "jobs2_s": local_s, "dask_warm_s": warm_s,
            "jobs2_runs_s": [w for w, _ in local], "dask_warm_runs_s": [w for w, _ in warm],
            "throughput_warm": local_s / warm_s, "throughput_cold": local_s / cold,
            "cpu_per_deal_jobs2_s": local_cpu / args.count, "cpu_per_deal_dask_s": warm_cpu / args.count,
            "cpu_per_deal_dask_cold_s": cold_cpu / args.count,
            "failing_deals": args.count * 5,
            "failing_per_deal_dask_ms": fail_dask / (args.count * 5) * 1000,
            "failing_per_deal_local_ms": fail_local / (args.count * 5) * 1000,
            **overhead,
            "output_bytes_per_deal": sum(len(v) for v in dask_files.values()) / args.count,
            **bundle_size(),
            "identical": dask_files == local_files and dask_summary["built"] == local_summary["built"] == args.count,
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.count} deal variants, --format {args.format}, {report['cores']} core(s); two workers of one thread each")
    print(f"batch --jobs 2: {local_s:.1f} s   --dask, warm workers: {warm_s:.1f} s (medians of {args.runs}, alternating)   "
          f"--dask, fresh workers: {cold:.1f} s")
    print(f"throughput dask / jobs 2: {report['throughput_warm']:.2f}× warm (target ≥ 0.9), {report['throughput_cold']:.2f}× on fresh workers")
    print(f"CPU seconds per deal, every process counted: {report['cpu_per_deal_jobs2_s']:.2f} s with --jobs 2, "
          f"{report['cpu_per_deal_dask_s']:.2f} s on Dask ({report['cpu_per_deal_dask_cold_s']:.2f} s on fresh workers)")
    print(f"per-task overhead: {overhead['round_trip_ms']:.1f} ms for one empty task's round trip, "
          f"{overhead['many_tasks_ms_per_task']:.1f} ms per task for 200 at once")
    print(f"{report['failing_deals']} deals that fail at once: {report['failing_per_deal_dask_ms']:.1f} ms per deal on Dask, "
          f"{report['failing_per_deal_local_ms']:.1f} ms with --jobs 2")
    print(f"travelled: the library ({report['library_files']} files, {report['library_bytes'] / 1e6:.2f} MB) as a "
          f"{report['bundle_bytes'] / 1e3:.0f} kB bundle once per worker; {report['output_bytes_per_deal'] / 1e3:.0f} kB of output per deal")
    print(f"outputs identical to --jobs 2: {'yes' if report['identical'] else 'NO'}")


if __name__ == "__main__":
    main()
