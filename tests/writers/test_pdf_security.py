"""The PDF writer is locked down: no file outside templates/, no network, no
attachment but the lock, whatever a clause library or stylesheet tries."""

from __future__ import annotations

import io
import shutil
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from needs import require
from pdf_fixtures import (
    SAMPLE_LOCK,
    pdf_page_texts,
    pdf_stream_bytes,
    sample_agreement,
    sample_build,
    sample_plan,
)
from pypdf import PdfReader

import assembler.base.resources
from assembler.assembly.lockfile import LOCK_FILENAME, lock_bytes
from assembler.assembly.tree import Build, Paragraph, PartyInfo, Section, Text
from assembler.base.errors import OutputError
from assembler.writers.html import templates_dir
from assembler.writers.pdf.writer import RefusedURLError, TemplatesOnlyFetcher, write_pdf

PASSWD = Path("/etc/passwd")
SECRET = "SECRET-OUTSIDE-TEMPLATES-8f2c"


class Listener:
    """A local TCP listener that counts every connection made to it."""

    def __init__(self) -> None:
        self.connections = 0
        listener = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                listener.connections += 1
                self.request.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/css\r\n\r\n"
                                     b".cover::after { content: 'FETCHED-FROM-NETWORK' }")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def hostile_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of templates/ that the writer uses instead of ours, plus a secret
    file beside it (outside templates/) and a symlink pointing at it."""
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    (tmp_path / "secret.css").write_text(f".cover::after {{ content: '{SECRET}' }}\n",
                                         encoding="utf-8")
    (folder / "escape.css").symlink_to(tmp_path / "secret.css")
    (folder / "extra.css").write_text(".cover::after { content: 'LOCAL-IMPORT-OK' }\n",
                                      encoding="utf-8")
    monkeypatch.setattr(assembler.base.resources, "templates_dir", lambda: folder)
    return folder


def small_build() -> Build:
    return sample_build(documents=(sample_plan(),))


def assert_only_the_lock(data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    assert dict(reader.attachments) == {LOCK_FILENAME: [lock_bytes(SAMPLE_LOCK)]}
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object()["/Subtype"] == "/Link"


def assert_no_leak(data: bytes) -> None:
    text = " ".join(pdf_page_texts(data))
    streams = pdf_stream_bytes(data)
    passwd_line = PASSWD.read_text(encoding="utf-8").splitlines()[0]
    for needle in (passwd_line, SECRET, "FETCHED-FROM-NETWORK"):
        assert needle not in text
        assert needle.encode() not in streams
        assert needle.encode() not in data


# --- the fetcher on its own ------------------------------------------------------


def test_fetcher_serves_templates_and_data(hostile_templates: Path) -> None:
    fetcher = TemplatesOnlyFetcher(hostile_templates)
    response = fetcher.fetch((hostile_templates / "print.css").as_uri())
    assert b"@page" in response.read() and response.content_type == "text/css"
    response = fetcher.fetch("data:text/css,p%20%7Bcolor%3Ared%7D")
    assert response.read() == b"p {color:red}"
    assert fetcher.refused == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "file://example.org/etc/passwd",
    "{root}/../secret.css",
    "{root}/escape.css",
    "{root}/missing.css",
    "{root}/",
    "http://127.0.0.1:{port}/style.css",
    "https://127.0.0.1:{port}/style.css",
    "ftp://127.0.0.1:{port}/style.css",
    "//127.0.0.1:{port}/style.css",
])
def test_fetcher_refuses(url: str, hostile_templates: Path, listener: Listener) -> None:
    fetcher = TemplatesOnlyFetcher(hostile_templates)
    url = url.format(root=hostile_templates.as_uri(), port=listener.port)
    with pytest.raises(RefusedURLError):
        fetcher.fetch(url)
    assert fetcher.refused
    assert listener.connections == 0


# --- a hostile stylesheet -----------------------------------------------------------

HOSTILE_CSS = [
    '@import url("file:///etc/passwd");',
    '@import url("../secret.css");',
    '@import url("escape.css");',
    '@import url("http://127.0.0.1:{port}/import.css");',
    '@font-face {{ font-family: Evil; src: url("http://127.0.0.1:{port}/font.ttf"); }}'
    " html {{ font-family: Evil, serif; }}",
    'body {{ background-image: url("http://127.0.0.1:{port}/bg.png"); }}',
    '.cover::before {{ content: url("file:///etc/passwd"); }}',
    '.cover::before {{ content: url("../../../../../../etc/passwd"); }}',
    'li {{ list-style-image: url("http://127.0.0.1:{port}/dot.png"); }}',
    '@color-profile --evil {{ src: url("http://127.0.0.1:{port}/p.icc"); }}',
]


@pytest.mark.parametrize("rule", HOSTILE_CSS)
def test_hostile_stylesheet_fails_clearly(
    rule: str, hostile_templates: Path, listener: Listener
) -> None:
    stylesheet = hostile_templates / "print.css"
    stylesheet.write_text(rule.format(port=listener.port) + "\n" + stylesheet.read_text(
        encoding="utf-8"), encoding="utf-8")
    build = sample_build(documents=(sample_agreement(articles=2, table_rows=2),))
    with pytest.raises(OutputError, match=r"agreement\.pdf: the templates asked for resources"):
        write_pdf(build)
    assert listener.connections == 0


def test_stylesheet_may_use_its_own_folder_and_data_uris(hostile_templates: Path) -> None:
    stylesheet = hostile_templates / "print.css"
    stylesheet.write_text(
        '@import url("extra.css");\n'
        '@import url("data:text/css,.between%7Bcolor%3A%23333%7D");\n'
        + stylesheet.read_text(encoding="utf-8"), encoding="utf-8")
    data = write_pdf(small_build())["jsc-charter.pdf"]
    assert "LOCAL-IMPORT-OK" in pdf_page_texts(data)[0]
    assert_no_leak(data)


# --- a hostile HTML template ---------------------------------------------------------


def patch_template(folder: Path, markup: str) -> None:
    template = folder / "document.html.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("</head>", markup + "\n</head>", 1).replace(
        '<section class="cover">', '<section class="cover">' + markup, 1), encoding="utf-8")


def test_attachment_links_are_dropped(hostile_templates: Path, listener: Listener) -> None:
    patch_template(hostile_templates, (
        '<link rel="attachment" href="file:///etc/passwd" title="passwd">'
        '<link rel="attachment" href="../secret.css">'
        '<link rel="attachment" href="print.css">'
        f'<link rel="attachment" href="http://127.0.0.1:{listener.port}/x">'
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
        '<a rel="attachment" href="print.css">css</a>'
        '<a href="file:///etc/passwd">file link</a>'
    ))
    data = write_pdf(small_build())["jsc-charter.pdf"]
    assert_only_the_lock(data)
    assert_no_leak(data)
    assert b"/URI" not in pdf_stream_bytes(data) and b"/FileAttachment" not in data
    assert listener.connections == 0


@pytest.mark.parametrize("markup", [
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">',
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<img src="http://127.0.0.1:{port}/x.png">',
    '<img src="../secret.css">',
    '<object data="http://127.0.0.1:{port}/x.svg"></object>',
    '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 '
    'xmlns:xlink=%22http://www.w3.org/1999/xlink%22%3E%3Cimage '
    'xlink:href=%22http://127.0.0.1:{port}/y.png%22 width=%2210%22 height=%2210%22/%3E%3C/svg%3E">',
])
def test_hostile_template_resources_fail_clearly(
    markup: str, hostile_templates: Path, listener: Listener
) -> None:
    patch_template(hostile_templates, markup.format(port=listener.port))
    with pytest.raises(OutputError, match="only files under templates/"):
        write_pdf(small_build())
    assert listener.connections == 0


# --- hostile clause text ------------------------------------------------------------


def hostile_text(port: int) -> str:
    return (
        '<link rel="attachment" href="file:///etc/passwd">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
        f'<img src="http://127.0.0.1:{port}/x.png">'
        '<a rel="attachment" href="../secret.css">x</a>'
        f"<style>@import url(http://127.0.0.1:{port}/y.css);</style>"
        '<iframe src="file:///etc/passwd"></iframe>'
    )


def test_clause_text_cannot_become_markup(listener: Listener) -> None:
    evil = hostile_text(listener.port)
    agreement = sample_agreement(articles=2, table_rows=0, extra_text=evil)
    first = agreement.articles[1]
    section = Section("evil.clause", "2.9", evil[:60], (Paragraph((Text(evil),)),),
                      bookmark="sec-evil")
    agreement = replace(agreement, articles=(
        agreement.articles[0], replace(first, sections=(*first.sections, section))))
    party = PartyInfo("partner", evil[:48], "Evil", "a company", evil)
    build = sample_build(documents=(agreement,), parties=(party,),
                         confidentiality_marking="<b>Confidential</b>")
    data = write_pdf(build)["agreement.pdf"]
    text = " ".join(pdf_page_texts(data)).replace(" ", "")
    assert '<linkrel="attachment"href="file:///etc/passwd">' in text
    assert "<b>Confidential</b>" in text
    assert_only_the_lock(data)
    assert_no_leak(data)
    assert listener.connections == 0


def test_refusal_in_a_forked_worker_is_reported(hostile_templates: Path) -> None:
    require("fork")
    stylesheet = hostile_templates / "print.css"
    stylesheet.write_text('@import url("file:///etc/passwd");\n' + stylesheet.read_text(
        encoding="utf-8"), encoding="utf-8")
    with pytest.raises(OutputError, match=r"\.pdf: the templates asked for resources .*/etc/passwd"):
        write_pdf(sample_build(), workers=2)


def test_hostile_overlay_library_builds_a_clean_pdf(tmp_path: Path, listener: Listener) -> None:
    """End to end: a --library overlay whose clause text tries every trick."""
    from click.testing import CliRunner
    from conftest import FIXTURE_DEAL, FIXTURE_LIBRARY

    from assembler.cli.main import cli

    overlay = tmp_path / "overlay"
    overlay.mkdir()
    evil = hostile_text(listener.port).replace('"', "'")
    (overlay / "law.yaml").write_text(
        "- id: fx.law\n"
        "  title: Governing Law\n"
        "  summary: Governing law.\n"
        "  version: 1.0.1\n"
        "  deal_types: [fixture_collab]\n"
        "  positions:\n"
        "    balanced:\n"
        "      rationale: Standard.\n"
        f'      text: "This Agreement is governed by {{{{ law() }}}}. {evil}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [
        "build", str(FIXTURE_DEAL), "-o", str(out), "-f", "pdf", "--no-builtin",
        "--library", str(FIXTURE_LIBRARY), "--library", str(overlay)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = (out / "agreement.pdf").read_bytes()
    text = " ".join(pdf_page_texts(data))
    # Long unbroken text wraps at "/", so compare without spaces (and its quotes are typeset).
    shown = text.replace(" ", "").replace("\u2018", "'").replace("\u2019", "'")
    assert "<linkrel='attachment'href='file:///etc/passwd'>" in shown
    lock = (out / LOCK_FILENAME).read_bytes()
    assert dict(PdfReader(io.BytesIO(data)).attachments) == {LOCK_FILENAME: [lock]}
    assert_no_leak(data)
    assert listener.connections == 0
