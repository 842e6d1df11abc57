"""A real ``dealdraft serve`` in a subprocess, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT
from needs import CHROMIUM, require

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@dataclass
class Server:
    process: subprocess.Popen[str]
    host: str
    port: int
    workspace: Path
    banner: str

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request(self, method: str, path: str, body: bytes | str | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
            data = body.encode() if isinstance(body, str) else body
            if data is not None:
                sent.setdefault("Content-Length", str(len(data)))
            for key, value in sent.items():
                conn.putheader(key, value)
            conn.endheaders(data)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def csrf_token(self, cookie: str = "") -> str:
        _status, _headers, body = self.request("GET", "/", headers={"Cookie": cookie} if cookie else None)
        match = re.search(r'X-CSRF-Token&#34;: &#34;([^&]+)&#34;|"X-CSRF-Token": "([^"]+)"', body.decode())
        assert match, body[:500]
        return match.group(1) or match.group(2)


@contextlib.contextmanager
def running_server(workspace: Path, host: str = "127.0.0.1") -> Iterator[Server]:
    # --port 0: the server binds a free port itself and prints it, so no other
    # process can take the port between choosing and binding it
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log_path = workspace.parent / f"{workspace.name}-serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "assembler.cli.main", "serve", "--workspace", str(workspace), "--port", "0", "--host", host],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, text=True,
        )
    try:
        deadline = time.monotonic() + 120
        banner, port = "", 0
        while time.monotonic() < deadline and process.poll() is None:
            banner = log_path.read_text("utf-8")
            opened = re.search(r"\nopen http://\[?[^\]/]*?\]?:(\d+)/", banner)
            if opened:
                port = int(opened.group(1))
                try:
                    with socket.create_connection((host, port), timeout=1):
                        break
                except OSError:
                    pass
            time.sleep(0.1)
        assert process.poll() is None, log_path.read_text("utf-8")
        yield Server(process, host, port, workspace, banner)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def browser(profile: Path) -> Iterator[object]:
    """A Playwright context of Debian's chromium with a fresh profile folder."""
    require("playwright", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 1600, "height": 1000},
            accept_downloads=True,
        )
        context.set_default_timeout(60_000)
        try:
            yield context
        finally:
            context.close()


def screenshots_dir(tmp: Path) -> Path:
    """Where screenshots go: $DEALDRAFT_SCREENSHOTS, else a folder of the test run."""
    folder = Path(os.environ.get("DEALDRAFT_SCREENSHOTS") or tmp / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
