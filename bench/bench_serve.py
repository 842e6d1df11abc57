"""Live preview latency of ``dealdraft serve``, measured through HTTP.

Starts a real server on a free port with a workspace holding the research
collaboration example, loads its drafting page, then changes one value the
agreement reads (the upfront payment) again and again, posting the form as
the browser does, and times each request until the whole answer (the changed
documents' HTML) has arrived. Target: median at most 300 ms.

Peer, measured in the same run: rebuilding the deal in process and writing
every document's HTML again (what a preview without the per-document cache
and warm state would do at best), and a whole ``dealdraft build --format html``
process.

    python bench/bench_serve.py [--runs 15]
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import dealdraft_command

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "research-collaboration.yaml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _form_fields(page: str) -> list[tuple[str, str]]:
    form = re.search(r'<form id="deal-form".*?</form>', page, re.S)
    assert form, "no deal form on the page"
    text = form.group(0)
    fields: list[tuple[str, str]] = []
    for match in re.finditer(r"<input([^>]*)>", text):
        attrs = match.group(1)
        name, value = re.search(r'name="([^"]+)"', attrs), re.search(r'value="([^"]*)"', attrs)
        if name and 'type="checkbox"' not in attrs:
            fields.append((html.unescape(name.group(1)), html.unescape(value.group(1)) if value else ""))
        elif name and "checked" in attrs:
            fields.append((html.unescape(name.group(1)), "on"))
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', text, re.S):
        fields.append((html.unescape(match.group(1)), html.unescape(match.group(2))))
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', text, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', match.group(2))
        fields.append((html.unescape(match.group(1)), html.unescape(chosen.group(1)) if chosen else ""))
    return fields


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_http(runs: int) -> tuple[list[float], float]:
    workspace = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    shutil.copy(EXAMPLE, workspace / "research.yaml")
    port = _free_port()
    process = subprocess.Popen([*dealdraft_command(), "serve", "--workspace", str(workspace), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/", process)
        page = urllib.request.urlopen(base + "/deals/research").read().decode()
        csrf = re.search(r'X-CSRF-Token&#34;: &#34;([^&]+)&#34;|"X-CSRF-Token": "([^"]+)"', page)
        assert csrf
        token = csrf.group(1) or csrf.group(2)
        fields = _form_fields(page)
        shown: dict[str, str] = {}
        timings = []
        cpu_start = 0.0
        for run in range(runs + 2):
            if run == 2:
                cpu_start = _cpu_seconds(process.pid)
            values = [(k, f"{5_000_000 + 250_000 * run:,}" if k == "terms.upfront_payment" else shown.get(k, v)) for k, v in fields]
            request = urllib.request.Request(
                base + "/deals/research/preview", data=urllib.parse.urlencode(values).encode(),
                headers={"X-CSRF-Token": token, "HX-Request": "true"},
            )
            start = time.perf_counter()
            body = urllib.request.urlopen(request).read().decode()
            elapsed = time.perf_counter() - start
            assert f"{5_000_000 + 250_000 * run:,}" in body, "the preview did not carry the new value"
            shown.update(re.findall(r'name="(shown\.[^"]+)" value="([^"]+)"', body))
            if run >= 2:  # the first two warm the caches of this deal
                timings.append(elapsed)
        return timings, (_cpu_seconds(process.pid) - cpu_start) / runs
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(workspace, ignore_errors=True)


def measure_peer(runs: int) -> tuple[list[float], list[float]]:
    from assembler.api import load_library
    from assembler.assembly.pipeline import build_deal
    from assembler.deal.load import parse_deal
    from assembler.writers.html import write_html

    library = load_library()
    text = EXAMPLE.read_text("utf-8")
    in_process = []
    for run in range(runs + 1):
        changed = re.sub(r"upfront_payment: .*", f"upfront_payment: {5_000_000 + run}", text)
        start = time.perf_counter()
        write_html(build_deal(parse_deal(changed, library, "research.yaml"), library))
        if run:
            in_process.append(time.perf_counter() - start)
    whole = []
    out = Path(tempfile.mkdtemp(prefix="bench-serve-cli-"))
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([*dealdraft_command(), "build", str(EXAMPLE), "-o", str(out), "--format", "html", "--force"],
                       check=True, capture_output=True, env={**os.environ})
        whole.append(time.perf_counter() - start)
    shutil.rmtree(out, ignore_errors=True)
    return in_process, whole


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    http, cpu = measure_http(args.runs)
    in_process, whole = measure_peer(args.runs)
    median = statistics.median(http)
    print(f"preview through HTTP, one value changed: median {median * 1000:.0f} ms, "
          f"p90 {sorted(http)[int(len(http) * 0.9) - 1] * 1000:.0f} ms over {len(http)} runs (target ≤ 300 ms: {'met' if median <= 0.3 else 'NOT met'})")
    print(f"server CPU per preview request: {cpu * 1000:.0f} ms (what the latency comes to on an idle machine, plus the round trip)")
    print(f"peer, rebuild + every document's HTML in process: median {statistics.median(in_process) * 1000:.0f} ms "
          f"(ratio {median / statistics.median(in_process):.2f}×)")
    print(f"peer, whole `dealdraft build --format html` process: median {statistics.median(whole) * 1000:.0f} ms "
          f"(ratio {median / statistics.median(whole):.2f}×)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
