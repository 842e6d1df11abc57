"""The adversarial corpus: hostile deal files, libraries and options (issue 7).

Every case is data in ``tests/hostile/cases/*.yaml`` (one list per topic; the
format is described in ``tests/hostile/README.md``). Each run asserts the
exit code, the exact problem lines on stderr, that there is no traceback, and
that nothing outside the output folder changed — and for a failed build, that
nothing changed at all. A case that must build shows its hostile strings as
literal text in the Markdown (rendered with a CommonMark parser) and never as
markup.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import signal
import stat
import subprocess
import sys
import traceback
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURE_DEAL, FIXTURE_LIBRARY, ROOT, TESTS
from markdown_it import MarkdownIt
from untypeset import untypeset

from assembler.cli.main import cli

HOSTILE = TESTS / "hostile"
SHARED = HOSTILE / "libraries"
CASE_KEYS = {
    "name", "why", "deal", "setup", "library", "overlays", "args", "builtin_fixture", "out", "exit",
    "stderr_contains", "stderr_lines", "stderr_excludes", "stdout_contains", "output_shows",
    "output_contains", "output_excludes", "subprocess", "timeout", "memory_mb", "xfail", "expand", "clause",
    "output_root",
}
SAFETY_TIMEOUT = 60  # seconds; a net against hangs, never a performance assertion
SENTINEL = b"a file the user keeps in the output folder\n"


def _load_cases() -> list[Any]:
    params = []
    for path in sorted((HOSTILE / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8")):
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{path.name}: {case.get('name')}: unknown keys {sorted(unknown)}"
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
            params.append(pytest.param(case, id=f"{path.stem}/{case['name']}", marks=marks))
    return params


CASES = _load_cases()


# --- setting a case up ----------------------------------------------------------


class Paths(dict[str, str]):
    """Placeholders of a case: ``{tmp}``, ``{deal}``, ``{out}``, ``{fixture}``,
    ``{shared}``, ``{overlay1}`` …"""

    def fill(self, text: str) -> str:
        for key, value in self.items():
            text = text.replace("{" + key + "}", value)
        return text


def _expand(text: str, expand: dict[str, list[Any]] | None) -> str:
    """Replace each token by a string repeated (long or deep values stay short in the case files)."""
    for token, (unit, count) in (expand or {}).items():
        text = text.replace(token, unit * count)
    return text


def _deal_text(spec: Any) -> str:
    """The deal of a case: the fixture deal, a patch of it, or a whole text."""
    if spec is None:
        return FIXTURE_DEAL.read_text("utf-8")
    if isinstance(spec, str):
        return spec
    text = FIXTURE_DEAL.read_text("utf-8")
    for old, new in spec.get("replace", []):
        assert old in text, f"not in the fixture deal: {old!r}"
        text = text.replace(old, new, 1)
    if "append" in spec:
        text = text.rstrip("\n") + "\n" + spec["append"].rstrip("\n") + "\n"
    return text


def _write_tree(root: Path, files: dict[str, str], expand: dict[str, list[Any]] | None) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_expand(text, expand), "utf-8")


def _hostile_clause(fields: dict[str, Any]) -> str:
    """An overlay clause replacing fx.law (Article 4 of the fixture agreement):
    ``text`` is its balanced text, any other key a field of the clause."""
    fields = dict(fields)
    clause = {
        "id": "fx.law",
        "title": "Governing Law",
        "summary": "A hostile clause.",
        "version": "6.6.6",
        "deal_types": ["fixture_collab"],
        "positions": {"balanced": {"rationale": "Hostile.", "text": fields.pop("text", "Governed by {{ law() }}.")}},
    }
    clause.update(fields)
    return yaml.safe_dump([clause], sort_keys=False, allow_unicode=True, width=10_000)


def _setup(action: dict[str, Any], paths: Paths, expand: dict[str, list[Any]] | None) -> None:
    """One setup action: write, mkdir, symlink, mkfifo, sparse_file or big_file."""
    (kind, value), *rest = action.items()
    options = dict(rest)
    target = Path(paths.fill(value))
    if kind == "write":
        target.parent.mkdir(parents=True, exist_ok=True)
        data = _expand(paths.fill(options.get("text", "")), expand).encode(options.get("encoding", "utf-8"))
        target.write_bytes(data + bytes.fromhex(options.get("then_hex", "")))
    elif kind == "mkdir":
        target.mkdir(parents=True, exist_ok=True)
    elif kind == "symlink":
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(paths.fill(options["to"]), target)
    elif kind == "mkfifo":
        target.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(target)
    elif kind == "sparse_file":  # large on paper, nothing on disk
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.truncate(int(options["megabytes"] * 1024 * 1024))
    elif kind == "big_file":
        # A head (the fixture deal unless given) followed by filler comments up
        # to the size: generated at test time, never committed.
        size = int(options["megabytes"] * 1024 * 1024)
        head = options.get("head", _deal_text(None)).encode("utf-8")
        line = b"# " + b"x" * 1021 + b"\n"
        with open(target, "wb") as handle:
            handle.write(head)
            handle.write(line * ((size - len(head)) // len(line) + 1))
    else:
        raise AssertionError(f"unknown setup action {kind!r}")


def _prepare(case: dict[str, Any], tmp_path: Path) -> tuple[Paths, list[str]]:
    paths = Paths(
        tmp=str(tmp_path),
        deal=str(tmp_path / "deal.yaml"),
        out=str(tmp_path / "out"),
        fixture=str(FIXTURE_LIBRARY),
        shared=str(SHARED),
    )
    (tmp_path / "cwd").mkdir()
    expand = case.get("expand")
    Path(paths["deal"]).write_text(_expand(_deal_text(case.get("deal")), expand), "utf-8")
    out = Path(paths["out"])
    if case.get("out", "dir") == "dir":
        out.mkdir()
        (out / "keep.txt").write_bytes(SENTINEL)
    elif case["out"] == "file":
        out.write_bytes(SENTINEL)
    else:
        assert case["out"] == "absent"
    libraries = []
    if case.get("builtin_fixture", True):
        libraries += ["--no-builtin", "--library", paths["fixture"]]
    overlays = list(case.get("overlays", []))
    if "library" in case:
        overlays.append(case["library"])
    if "clause" in case:
        overlays.append({"hostile.yaml": _hostile_clause(case["clause"])})
    for index, overlay in enumerate(overlays, start=1):
        if isinstance(overlay, str):  # a shared overlay in tests/hostile/libraries/
            folder = SHARED / overlay
            assert folder.is_dir(), folder
        else:
            folder = tmp_path / f"overlay{index}"
            folder.mkdir()
            _write_tree(folder, overlay, expand)
        paths[f"overlay{index}"] = str(folder)
        libraries += ["--library", str(folder)]
    paths["clause_file"] = str(folder / "hostile.yaml") if "clause" in case else ""
    for action in case.get("setup", []):
        _setup(action, paths, expand)
    args = [paths.fill(str(a)) for a in case.get("args", ["build", "{deal}", "-o", "{out}"])]
    return paths, args + libraries


# --- running it -----------------------------------------------------------------


class Outcome:
    def __init__(self, exit_code: int, stdout: str, stderr: str, crash: str = "") -> None:
        self.exit_code, self.stdout, self.stderr, self.crash = exit_code, stdout, stderr, crash


class _CaseTimeout(BaseException):
    """Raised in the test process when an in-process case runs past its
    ``timeout`` (a BaseException, so the tool's own handlers cannot swallow it)."""


def _on_deadline(signum: int, frame: Any) -> None:
    raise _CaseTimeout


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` of wall time.

    The tool's own render limit owns SIGALRM and a thread would stop it
    forking its workers, so a small watchdog process sends SIGUSR1 instead.
    """
    previous = signal.signal(signal.SIGUSR1, _on_deadline)
    watchdog = subprocess.Popen(
        ["sh", "-c", f"sleep {seconds} && kill -USR1 {os.getpid()}"], start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        os.killpg(watchdog.pid, signal.SIGKILL)
        watchdog.wait()
        signal.signal(signal.SIGUSR1, previous)


def _run_in_process(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, timeout: float = SAFETY_TIMEOUT) -> Outcome:
    monkeypatch.chdir(cwd)
    try:
        with _deadline(timeout):
            result = CliRunner().invoke(cli, args, catch_exceptions=True)
    except _CaseTimeout:
        pytest.fail(f"no answer within the case's timeout of {timeout} s (a hang?)")
    crash = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else repr(result.exception)
    return Outcome(result.exit_code, result.stdout, result.stderr, crash)


def _run_subprocess(args: list[str], cwd: Path, case: dict[str, Any]) -> Outcome:
    memory = case.get("memory_mb")

    def limits() -> None:  # a net against a runaway build; the tool sets its own, lower ceiling
        if memory:
            resource.setrlimit(resource.RLIMIT_DATA, (memory * 1024 * 1024, resource.RLIM_INFINITY))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "assembler.cli", *args], cwd=cwd, env=env, capture_output=True,
            timeout=case.get("timeout", SAFETY_TIMEOUT), preexec_fn=limits,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer within the safety net of {case.get('timeout', SAFETY_TIMEOUT)} s (a hang?)")
    stderr = done.stderr.decode("utf-8", "replace")
    crash = stderr if "Traceback (most recent call last)" in stderr else ""
    return Outcome(done.returncode, done.stdout.decode("utf-8", "replace"), stderr, crash)


# --- checking the outputs ---------------------------------------------------------


def _snapshot(root: Path, skip: Path | None = None) -> dict[str, Any]:
    """Every path under ``root`` with its kind and content (links not followed)."""
    found: dict[str, Any] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        if skip is not None and here == skip:
            dirs[:] = []
            continue
        for name in dirs + files:
            path = here / name
            rel = str(path.relative_to(root))
            if skip is not None and path == skip:
                continue
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                found[rel] = ("dir",)
            elif stat.S_ISREG(mode):
                info = path.lstat()
                if info.st_size > 64 * 1024 * 1024:  # a sparse giant: size and time are enough
                    found[rel] = ("file", info.st_size, info.st_mtime_ns)
                else:
                    found[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                found[rel] = ("special", stat.S_IFMT(mode))
    return found


_ALLOWED_MD_TAGS = {"h1", "h2", "h3", "p", "strong", "em", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}
_FORBIDDEN_HTML_TAGS = {"script", "iframe", "object", "embed", "img", "link", "base", "form", "input", "svg", "math", "audio", "video", "source", "frame"}


class _Tags(HTMLParser):
    """The tags of an HTML text, and its text as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


def _visible_text(rendered: str) -> str:
    parser = _Tags()
    parser.feed(rendered)
    parser.close()
    return "".join(parser.text)


def _rendered(markdown: str) -> str:
    """What a reader of the Markdown sees: CommonMark with raw HTML and links on."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def _check_markdown_is_plain(name: str, markdown: str) -> str:
    rendered = _rendered(markdown)
    for tag, attrs in _tags(rendered):
        if tag == "a" and [attr for attr, _v in attrs] == ["href"] and str(attrs[0][1]).startswith(("https://", "http://", "mailto:")):
            continue  # a link of clause text (the dialect has them; deal values never make one)
        assert tag in _ALLOWED_MD_TAGS, f"{name}: markup <{tag} {attrs}> in the Markdown output"
        for attr, value in attrs:
            assert attr == "style" and tag in ("th", "td") and (value or "").startswith("text-align:"), (
                f"{name}: attribute {attr}={value!r} on <{tag}> in the Markdown output"
            )
    assert rendered.count("<h1>") == 1, f"{name}: the Markdown output has {rendered.count('<h1>')} top-level headings"
    return rendered


def _check_html_is_inert(name: str, text: str) -> None:
    for tag, attrs in _tags(text):
        assert tag not in _FORBIDDEN_HTML_TAGS, f"{name}: <{tag}> in the HTML output"
        for attr, value in attrs:
            assert not attr.startswith("on"), f"{name}: event handler {attr} in the HTML output"
            assert attr not in ("rel", "src", "srcset", "action", "formaction"), f"{name}: {attr}={value!r} in the HTML output"
            if attr == "href" and ("class", "external") in attrs:
                # a link of clause text: a web or email address, never a script or a file
                assert (value or "").startswith(("https://", "http://", "mailto:")), f"{name}: link to {value!r} in the HTML output"
            elif attr == "href":
                assert (value or "").startswith("#"), f"{name}: link to {value!r} in the HTML output"


def _check_streams(outcome: Outcome) -> None:
    assert not outcome.crash, f"traceback:\n{outcome.crash}"
    for stream in (outcome.stdout, outcome.stderr):
        assert "Traceback" not in stream
        bad = [c for c in stream if unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t"]
        assert not bad, f"raw control characters reach the terminal: {bad[:5]!r}"
    lines = outcome.stderr.splitlines()
    assert not [line for line in lines if not line.strip() or line[0].isspace()], "one line per problem: no blank or continuation lines"
    assert all(len(line) <= 600 for line in lines), "an error line is too long to read: " + max(lines, key=len)[:200]


def _lines_hold(lines: list[str], expected: list[str], paths: Paths, what: str) -> None:
    for item in expected:
        wanted = paths.fill(item)
        assert any(wanted in line for line in lines), f"no {what} line contains {wanted!r}; got:\n" + "\n".join(lines)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dealdraft-cache")


@pytest.mark.parametrize("case", CASES)
def test_hostile(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    monkeypatch.setenv("DEALDRAFT_CACHE_DIR", str(cache_dir))
    paths, args = _prepare(case, tmp_path)
    out = Path(paths.fill(case.get("output_root", "{out}")))  # where a build may write
    before = _snapshot(tmp_path)
    if case.get("subprocess"):
        outcome = _run_subprocess(args, tmp_path / "cwd", case)
    else:
        outcome = _run_in_process(args, tmp_path / "cwd", monkeypatch, case.get("timeout", SAFETY_TIMEOUT))
    if os.environ.get("HOSTILE_SHOW"):  # HOSTILE_SHOW=1 pytest -s -k NAME shows what the tool said
        print(f"\n[{outcome.exit_code}] {outcome.stderr}")
    _check_streams(outcome)
    expected_exit = case.get("exit", 2)
    assert outcome.exit_code == expected_exit, f"exit {outcome.exit_code}, expected {expected_exit}\nstderr:\n{outcome.stderr}"

    stderr_lines = outcome.stderr.splitlines()
    _lines_hold(stderr_lines, case.get("stderr_contains", []), paths, "stderr")
    for line in case.get("stderr_lines", []):
        wanted = paths.fill(line)
        assert wanted in stderr_lines, f"missing stderr line {wanted!r}; got:\n{outcome.stderr}"
    for text in case.get("stderr_excludes", []):
        assert paths.fill(text) not in outcome.stderr, f"stderr should not contain {paths.fill(text)!r}"
    _lines_hold(outcome.stdout.splitlines(), case.get("stdout_contains", []), paths, "stdout")

    if expected_exit != 0:
        assert outcome.stderr.strip(), "a failure must say why on stderr"
        # nothing written anywhere: no output, no staging folder, no stray file
        assert _snapshot(tmp_path) == before, "a failed run changed files"
        return
    # a successful run changes the output folder only (no staging folder left
    # beside it, no file written elsewhere), and keeps the user's file there
    assert _snapshot(tmp_path, skip=out) == {k: v for k, v in before.items() if not (tmp_path / k).is_relative_to(out)}
    if case.get("out", "dir") == "dir":
        assert (Path(paths["out"]) / "keep.txt").read_bytes() == SENTINEL
    if out.is_dir():
        for file in sorted(out.glob("*.md")):
            _check_markdown_is_plain(file.name, file.read_text("utf-8"))
        for file in sorted(out.glob("*.html")):
            _check_html_is_inert(file.name, file.read_text("utf-8"))
    for name, texts in case.get("output_shows", {}).items():
        # literally, up to typography: curly quotes, tied "USD 5" (assembly/typography.py)
        visible = untypeset(_visible_text(_rendered((out / name).read_text("utf-8"))))
        for text in texts:
            assert text in visible, f"{name} does not show {text!r} literally"
    for name, texts in case.get("output_contains", {}).items():
        content = (out / name).read_text("utf-8")
        for text in texts:
            assert paths.fill(text) in content, f"{name} does not contain {text!r}"
    for name, texts in case.get("output_excludes", {}).items():
        content = (out / name).read_text("utf-8")
        for text in texts:
            assert paths.fill(text) not in content, f"{name} contains {text!r}"


def test_the_corpus_is_large_and_names_are_unique() -> None:
    names = [param.id for param in CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 45



def test_one_process_building_two_libraries_uses_each_ones_text(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A service (or a test run) that builds deals against different overlay
    libraries in one process must render each build from its own library."""
    monkeypatch.setenv("DEALDRAFT_CACHE_DIR", str(cache_dir))
    texts = {"a": "TEXT OF OVERLAY A.", "b": "TEXT OF OVERLAY B."}
    for name, text in texts.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "hostile.yaml").write_text(_hostile_clause({"text": text}), "utf-8")
    wrong = []
    for turn in range(60):
        name = "ab"[turn % 2]
        out = tmp_path / f"out{turn}"
        result = CliRunner().invoke(
            cli, ["build", str(FIXTURE_DEAL), "-o", str(out), "--no-builtin", "--library", str(FIXTURE_LIBRARY), "--library", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.stderr
        if texts[name] not in (out / "agreement.md").read_text("utf-8"):
            wrong.append(turn)
            break
    assert not wrong, f"build {wrong} shows the other overlay's clause text"


def test_an_in_process_case_is_stopped_at_its_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    """The ``timeout`` of a case holds in process too: a render that runs
    past it (here the billion loop turns, which the tool stops only after
    10 seconds) fails the case after 1 second, before the tool's own
    limit could answer."""
    monkeypatch.setenv("DEALDRAFT_CACHE_DIR", str(cache_dir))
    loop = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}"
    _paths, args = _prepare({"clause": {"text": loop}}, tmp_path)
    with pytest.raises(pytest.fail.Exception, match=r"no answer within the case's timeout of 1 s"):
        _run_in_process(args, tmp_path / "cwd", monkeypatch, timeout=1)
