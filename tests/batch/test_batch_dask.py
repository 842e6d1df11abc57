"""``dealdraft batch --dask``: a real scheduler and workers, each a separate
``dask`` process on localhost; one worker is killed while it builds a deal."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE_LIBRARY, TESTS, fixture_deal_data, run

from assembler.api import WriterOptions
from assembler.assembly.options import BuildOptions
from assembler.base.parallel import cores
from assembler.batch import remote, run_batch
from assembler.library import load as library_module

try:
    import distributed
except ImportError:  # pragma: no cover - the test extra installs it; under DEALDRAFT_CI a skip fails the run
    pytest.skip("Dask's distributed is missing; install dealdraft[dask]", allow_module_level=True)

DASK = Path(sys.executable).with_name("dask")
BROKEN_LINE = "terms.fx_review_days: must be at least 30 days (got 5)"
START_SECONDS = 90


class LocalhostCluster:
    """A ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, each
    in its own process group, started in ``root``; workers run in
    ``root/worker-home`` with a cache of their own and the hold-deal preload."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "worker-home"
        self.hold = root / "hold"
        self.home.mkdir()
        self.hold.mkdir()
        self.processes: list[subprocess.Popen[bytes]] = []
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.scheduler_file = root / "scheduler.json"
        self.client: Any = None

    def start(self) -> None:
        assert DASK.exists(), f"the dask command line is missing beside {sys.executable}"
        scheduler = self._spawn("scheduler", [
            "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
            "--scheduler-file", self.scheduler_file,
        ])
        deadline = time.monotonic() + START_SECONDS
        while not self._address():
            assert scheduler.poll() is None, f"the scheduler stopped: {self.log('scheduler')}"
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        self.address = self._address()
        self.client = distributed.Client(self.address, set_as_default=False, timeout=START_SECONDS)

    def _address(self) -> str:
        try:
            return str(json.loads(self.scheduler_file.read_text("utf-8"))["address"])
        except (OSError, ValueError, KeyError):
            return ""

    def ensure_workers(self, count: int) -> None:
        """Start workers until ``count`` are alive, and wait until the scheduler has them all."""
        alive = [name for name, process in self.workers.items() if process.poll() is None]
        for _ in range(count - len(alive)):
            name = f"w{len(self.workers) + 1}"
            env = {**os.environ, "DEALDRAFT_TEST_HOLD_DIR": str(self.hold), "DEALDRAFT_CACHE_DIR": str(self.root / f"{name}-cache")}
            self.workers[name] = self._spawn(name, [
                "worker", "--scheduler-file", self.scheduler_file, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                "--no-dashboard", "--dashboard-address", "127.0.0.1:0", "--name", name, "--local-directory", self.root / name,
                "--preload", TESTS / "dask_hold_deal.py",
            ], cwd=self.home, env=env)
        deadline = time.monotonic() + START_SECONDS
        while len(self.client.scheduler_info(n_workers=-1)["workers"]) != max(count, len(alive)):
            assert time.monotonic() < deadline, f"workers did not join: {[self.log(n) for n in self.workers]}"
            time.sleep(0.1)

    def worker_pids(self) -> dict[int, str]:
        return {process.pid: name for name, process in self.workers.items()}

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text("utf-8", errors="replace")[-3000:]

    def _spawn(self, name: str, args: list[Any], **kwargs: Any) -> subprocess.Popen[bytes]:
        with open(self.root / f"{name}.log", "wb") as log:
            process = subprocess.Popen([str(DASK), *map(str, args)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes:
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalhostCluster]:
    started = LocalhostCluster(tmp_path_factory.mktemp("dask-cluster"))
    try:
        started.start()
        started.ensure_workers(2)
        yield started
    finally:
        started.close()


def python_docx_default_template() -> Path:
    """python-docx's own default template: a house style other than ours."""
    spec = importlib.util.find_spec("docx")
    assert spec and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / "default.docx"


def write_deals(folder: Path, party: str = "") -> None:
    """alpha, delta, epsilon and gamma build; beta has a term out of bounds."""
    folder.mkdir(parents=True)
    variants: dict[str, dict[str, Any]] = {
        "alpha": {}, "beta": {"terms": {"fx_effective": "2027-02-01", "fx_review_days": 5}},
        "delta": {"stance": "pharma"}, "epsilon": {"stance": "partner"}, "gamma": {},
    }
    for name, changes in variants.items():
        data = {**fixture_deal_data(), **changes}
        if party:
            data["parties"][0]["legal_name"] = party
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def kill_when_held(cluster: LocalhostCluster, killed: list[tuple[int, str]]) -> threading.Thread:
    """A thread that SIGKILLs the worker holding the held deal as soon as it says so."""

    def watch() -> None:
        deadline = time.monotonic() + START_SECONDS
        held = cluster.hold / "held"
        while not held.exists():
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
        pid, name = held.read_text("utf-8").split()
        os.kill(int(pid), signal.SIGKILL)
        killed.append((int(pid), name))

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_worker_killed_mid_deal_loses_nothing_and_writes_nothing_twice(
    cluster: LocalhostCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster.ensure_workers(2)
    client_home = tmp_path / "client"
    shutil.copytree(FIXTURE_LIBRARY, client_home / "lib")
    write_deals(client_home / "deals")
    # The workers' own folder has a library and deals under the same relative
    # paths, with other text: a worker that read its disk would build other bytes.
    shutil.copytree(FIXTURE_LIBRARY, cluster.home / "lib")
    clauses = cluster.home / "lib" / "fx" / "clauses.yaml"
    clauses.write_text(clauses.read_text("utf-8").replace("Headings do not affect", "Headings affect"), "utf-8")
    write_deals(cluster.home / "deals", party="Someone Else Ltd")
    monkeypatch.chdir(client_home)

    cluster_module = importlib.import_module("assembler.batch.cluster")
    written: Counter[str] = Counter()
    real_write = cluster_module.write_output_set

    def counting_write(folder: Path, files: dict[str, bytes], **kwargs: Any) -> list[Path]:
        written[Path(folder).name] += 1
        return real_write(folder, files, **kwargs)

    monkeypatch.setattr(cluster_module, "write_output_set", counting_write)
    (cluster.hold / "deal").write_text("delta", "utf-8")
    killed: list[tuple[int, str]] = []
    killer = kill_when_held(cluster, killed)
    args = ["deals", "--format", "md,docx,pdf", "--no-builtin", "--library", "lib"]
    result = run("batch", *args, "-o", "out-dask", "--dask", cluster.address, "--json")
    killer.join(timeout=5)

    # the kill landed while that worker was building delta, and the worker is gone
    assert len(killed) == 1, "no worker started building delta"
    pid, name = killed[0]
    assert cluster.worker_pids()[pid] == name
    assert cluster.workers[name].wait(timeout=30) == -signal.SIGKILL
    assert result.exit_code == 1, result.stderr
    summary = json.loads(result.stdout)
    assert {d["name"]: d["status"] for d in summary["deals"]} == {
        "alpha": "built", "beta": "failed", "delta": "built", "epsilon": "built", "gamma": "built",
    }
    assert summary["jobs"] == 2
    beta = next(d for d in summary["deals"] if d["name"] == "beta")
    assert re.fullmatch(rf"deals/beta\.yaml:\d+: {re.escape(BROKEN_LINE)}", beta["error"])
    # every deal reported once, every built deal written once, the broken one never
    reported = re.findall(r"^\[\d/5\] (built|failed) (\w+) ", result.stderr, re.MULTILINE)
    assert sorted(reported) == [("built", n) for n in ("alpha", "delta", "epsilon", "gamma")] + [("failed", "beta")]
    assert written == Counter({"alpha": 1, "delta": 1, "epsilon": 1, "gamma": 1})
    assert not (client_home / "out-dask" / "beta").exists()

    local = run("batch", *args, "-o", "out-local", "--jobs", "1")
    assert local.exit_code == 1
    dask_files, local_files = files_of(client_home / "out-dask"), files_of(client_home / "out-local")
    assert sorted(dask_files) == sorted(local_files)
    assert {n.split("/")[0] for n in dask_files} == {"alpha", "delta", "epsilon", "gamma"}
    assert {n for n in dask_files if n.startswith("delta/")} == {
        f"delta/{f}" for f in ("agreement.md", "agreement.docx", "agreement.pdf", "charter.md", "charter.docx", "charter.pdf",
                               "deal.lock.json", ".dealdraft-manifest.json")
    }
    assert dask_files == local_files

    # the surviving worker built delta after the kill, from the library it had loaded once
    sources = library_module.read_library([Path("lib")], builtin=False)
    key = remote.LibraryBundle.pack(sources, library_module.parse_library(sources).fingerprint).key
    loads = cluster.client.run(remote.library_loads)
    assert len(loads) == 1 and next(iter(loads.values()))[key] == 1


def test_the_python_api_takes_a_client_and_a_house_template_travels(
    cluster: LocalhostCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster.ensure_workers(1)
    write_deals(tmp_path / "deals")
    (tmp_path / "deals" / "beta.yaml").unlink()
    (tmp_path / "deals" / "delta.yaml").unlink()  # the deal a worker may be told to hold
    # a relative path, which the workers (in another folder) could not open
    shutil.copy(python_docx_default_template(), tmp_path / "house.docx")
    monkeypatch.chdir(tmp_path)
    writer = WriterOptions(reference_docx=Path("house.docx"))
    common: dict[str, Any] = dict(formats="md,docx", library_overlays=[FIXTURE_LIBRARY], builtin=False, writer=writer)
    seen: list[tuple[str, int, int]] = []
    result = run_batch([tmp_path / "deals"], tmp_path / "out-dask", dask=cluster.client,
                       progress_callback=lambda r, done, total: seen.append((r.name, done, total)), **common)
    assert result.ok, [r.errors for r in result.failed]
    assert [r.name for r in result.results] == ["alpha", "epsilon", "gamma"]
    assert sorted(name for name, _done, _total in seen) == ["alpha", "epsilon", "gamma"]
    assert [done for _name, done, _total in seen] == [1, 2, 3] and {total for *_, total in seen} == {3}
    assert all(Path(f).parent == tmp_path / "out-dask" / r.name for r in result.results for f in r.files)
    assert run_batch([tmp_path / "deals"], tmp_path / "out-local", jobs=1, **common).ok
    assert files_of(tmp_path / "out-dask") == files_of(tmp_path / "out-local")
    plain = run_batch([tmp_path / "deals"], tmp_path / "out-plain", jobs=1, **{**common, "writer": WriterOptions()})
    assert plain.ok and files_of(tmp_path / "out-plain")["alpha/agreement.docx"] != files_of(tmp_path / "out-dask")["alpha/agreement.docx"]


def test_dask_local_starts_a_cluster_here(tmp_path: Path) -> None:
    write_deals(tmp_path / "deals")
    for name in ("beta", "delta", "epsilon"):
        (tmp_path / "deals" / f"{name}.yaml").unlink()
    args = [str(tmp_path / "deals"), "--no-builtin", "--library", str(FIXTURE_LIBRARY)]
    # in a process of its own, as a user runs it: the cluster's scheduler lives in that process
    result = subprocess.run([sys.executable, "-m", "assembler.cli", "batch", *args, "-o", str(tmp_path / "out-dask"), "--dask", "local"],
                            capture_output=True, text=True, timeout=START_SECONDS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 deal(s): 2 built, 0 failed in ")
    assert result.stdout.splitlines()[-1].endswith(f" ({cores()} job(s))")
    assert run("batch", *args, "-o", str(tmp_path / "out-local"), "--jobs", "1").exit_code == 0
    assert files_of(tmp_path / "out-dask") == files_of(tmp_path / "out-local") != {}


def test_without_distributed_dask_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    write_deals(tmp_path / "deals")
    result = run("batch", str(tmp_path / "deals"), "-o", str(tmp_path / "out"), "--dask", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: --dask: needs Dask's distributed scheduler, which is not installed: pip install 'dealdraft[dask]'"
    ]
    assert not (tmp_path / "out").exists()


def test_jobs_and_dask_together_is_an_error(tmp_path: Path) -> None:
    write_deals(tmp_path / "deals")
    result = run("batch", str(tmp_path / "deals"), "-o", str(tmp_path / "out"), "--dask", "local", "--jobs", "2")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: --jobs: cannot be used with --dask: the cluster's workers decide how many deals are built at once"
    ]


def test_a_batch_without_dask_never_imports_it(write_deal, tmp_path: Path) -> None:
    deal = write_deal("alpha.yaml")
    args = ["batch", str(deal), "-o", str(tmp_path / "out"), "--jobs", "1", "--no-builtin", "--library", str(FIXTURE_LIBRARY)]
    code = (
        "import sys\n"
        "from assembler.cli.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='dealdraft')\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True)
    assert (tmp_path / "out" / "alpha" / "agreement.md").is_file()


def test_a_deal_whose_workers_all_died_is_a_failed_deal(tmp_path: Path) -> None:
    from distributed.scheduler import KilledWorker

    from assembler.batch.cluster import _collect
    from assembler.batch.model import DealJob

    class Lost:
        def result(self) -> None:
            raise KilledWorker("dealdraft-deal-1-alpha", None, 3)  # type: ignore[arg-type]

    job = DealJob("deals/alpha.yaml", str(tmp_path / "out" / "alpha"), ("md",), BuildOptions(), WriterOptions(), False)
    result = _collect(Lost(), job)
    assert (result.name, result.status, result.files) == ("alpha", "failed", ())
    assert result.errors == ("deals/alpha.yaml: every worker that built this deal died (4 of them): out of memory or killed",)
    assert not (tmp_path / "out").exists()


def test_a_scheduler_that_cannot_be_reached_is_one_line_and_exit_2(write_deal, tmp_path: Path) -> None:
    deal = write_deal("alpha.yaml")
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    result = subprocess.run(
        [sys.executable, "-m", "assembler.cli", "batch", str(deal), "-o", str(tmp_path / "out"), "--dask", address,
         "--no-builtin", "--library", str(FIXTURE_LIBRARY)],
        capture_output=True, text=True, timeout=START_SECONDS, env=env,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: --dask: cannot reach a Dask scheduler at '{address}' (Timed out trying to connect to {address} after 1 s)"
    ]
    assert result.stdout == "" and not (tmp_path / "out").exists()
