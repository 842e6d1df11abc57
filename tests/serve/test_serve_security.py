"""The server's rules, tried over HTTP against a real ``dealdraft serve``:
foreign Host, CSRF, path escapes, body size, the token of ``--host``, and a
PDF build that does not block other requests."""

from __future__ import annotations

import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from serve_support import Server, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with running_server(tmp_path_factory.mktemp("workspace")) as running:
        yield running


def _new(server: Server, name: str, token: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    body = urllib.parse.urlencode({"deal_type": "material_transfer", "stance": "balanced", "name": name})
    return server.request("POST", "/deals", body, {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token, **headers})


def test_a_foreign_host_header_is_refused(server: Server) -> None:
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1.evil.example"):
        status, _headers, body = server.request("GET", "/", headers={"Host": host})
        assert status == 421 and b"refused Host" in body, host
    assert server.request("GET", "/", headers={"Host": f"localhost:{server.port}"})[0] == 200


def test_state_changes_need_the_csrf_token_and_this_origin(server: Server) -> None:
    token = server.csrf_token()
    assert _new(server, "no-token", "")[0] == 403
    assert _new(server, "wrong-token", "x" + token[1:])[0] == 403
    assert _new(server, "cross-site", token, Origin="http://evil.example")[0] == 403
    assert _new(server, "cross-site2", token, **{"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert not any((server.workspace / f"{n}.yaml").exists() for n in ("no-token", "wrong-token", "cross-site", "cross-site2"))
    status, headers, _body = _new(server, "allowed", token, Origin=server.url)
    assert status == 204 and headers["hx-redirect"] == "/deals/allowed"
    assert (server.workspace / "allowed.yaml").is_file()
    # the pages carry a policy that allows only the server's own scripts
    _status, headers, _body = server.request("GET", "/deals/allowed")
    assert "script-src 'self'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"


def test_paths_stay_in_the_workspace(server: Server, tmp_path: Path) -> None:
    token = server.csrf_token()
    outside = server.workspace.parent / "outside.yaml"
    for name in ("../outside", "..", "a/b", "x.yaml", "/etc/passwd", "%2e%2e"):
        status, _headers, _body = _new(server, name, token)
        assert status in (400, 404), name
    assert not outside.exists()
    for path in ("/deals/..%2F..%2Fetc%2Fpasswd", "/deals/%2e%2e/versions", "/deals/.hidden", "/deals/x/download/..%2Fworkspace.sqlite",
                 "/deals/allowed/download/..%2F..%2Fallowed.yaml", "/static/..%2Fapp.py", "/static/../app.py"):
        status, _headers, body = server.request("GET", path)
        assert status in (400, 404), (path, status)
        assert b"import" not in body and b"root:" not in body
    (server.workspace / "escape.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (tmp_path / "elsewhere.yaml").write_text("deal_type: material_transfer\n", "utf-8")
    assert server.request("GET", "/deals/escape")[0] == 403
    body = urllib.parse.urlencode({"new_name": "../../stolen"})
    status, _h, _b = server.request("POST", "/deals/allowed/duplicate", body, {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token})
    assert status == 400 and not (server.workspace.parent.parent / "stolen.yaml").exists()


def test_request_bodies_are_limited(server: Server) -> None:
    token = server.csrf_token()
    big = "terms.x=" + "a" * (3 * 1024 * 1024)
    status, _headers, body = server.request("POST", "/deals/allowed/preview", big, {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token})
    assert status == 413 and b"larger than" in body


def test_the_server_answers_while_a_pdf_builds(server: Server) -> None:
    token = server.csrf_token()
    _new(server, "pdf-deal", token)
    done: dict[str, float] = {}

    def download() -> None:
        status, headers, body = server.request("GET", "/deals/pdf-deal/download/all.zip")
        done["status"] = status
        done["size"] = len(body)
        done["at"] = time.monotonic()

    worker = threading.Thread(target=download)
    worker.start()
    time.sleep(1.0)
    answers = []
    for _ in range(3):
        status, _headers, _body = server.request("GET", "/")
        answers.append((status, time.monotonic()))
    worker.join(timeout=600)
    assert done["status"] == 200 and done["size"] > 10_000
    assert all(status == 200 for status, _ in answers)
    # every page answered before the PDF build finished
    assert all(at < done["at"] for _status, at in answers), (answers, done)
    assert (server.workspace / "builds" / "pdf-deal" / "agreement.pdf").is_file()


def test_another_address_needs_the_printed_token(tmp_path: Path) -> None:
    with running_server(tmp_path / "workspace", host="127.0.0.2") as server:
        assert "token=" in server.banner
        token = server.banner.split("token=", 1)[1].split()[0]
        assert server.request("GET", "/")[0] == 403
        assert server.request("GET", "/?token=wrong")[0] == 403
        status, headers, _body = server.request("GET", "/?token=" + token)
        assert status == 303 and headers["location"] == "/" and "HttpOnly" in headers["set-cookie"]
        cookie = headers["set-cookie"].split(";", 1)[0]
        assert server.request("GET", "/", headers={"Cookie": cookie})[0] == 200
        assert server.request("GET", "/", headers={"Cookie": "dealdraft_token=nope"})[0] == 403
        assert server.request("GET", "/", headers={"Cookie": cookie, "Host": "evil.example"})[0] == 421


def test_a_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    from conftest import ROOT

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "assembler.cli.main", "serve", "--workspace", str(tmp_path), "--port", str(port)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_port_zero_serves_on_the_port_it_prints(server: Server) -> None:
    # the fixture starts every server with --port 0 and reads the port from its banner
    assert f"open http://127.0.0.1:{server.port}/" in server.banner and server.port != 0
    assert server.request("GET", "/")[0] == 200


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_build_workers_end_with_a_killed_server(tmp_path: Path) -> None:
    """A server killed outright (no shutdown) leaves no build worker behind."""
    import signal

    with running_server(tmp_path / "workspace") as server:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and not workers:
            workers = {pid for pid in _children(server.process.pid) if "spawn_main" in (Path("/proc") / str(pid) / "cmdline").read_text()}
            time.sleep(0.2)
        assert workers, "the server started no build worker"
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers), "a build worker outlived its server"
