"""How the PDF writer lays documents out: the fast HTML parse, contents page
numbers without a second layout of the whole document, and the layout
process the CLI starts early."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tinyhtml5
from click.testing import CliRunner
from pdf_fixtures import collapse, pdf_raw_page_texts, sample_build
from test_pdf_writer import toc_entries

import assembler.base.resources
from assembler.base.errors import OutputError
from assembler.base.resources import templates_dir
from assembler.cli.main import cli
from assembler.writers.html import render_document_html
from assembler.writers.pdf import engine as pdf_engine
from assembler.writers.pdf import layout as pdf_layout
from assembler.writers.pdf import markup as pdf_markup
from assembler.writers.pdf.writer import write_pdf

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "research-collaboration.yaml"


def _shape(element, out: list) -> list:  # type: ignore[no-untyped-def]
    """Tags, attributes and text, whitespace-only text left out (it lays out as nothing)."""
    text = element.text if (element.text or "").strip() else ""
    tail = element.tail if (element.tail or "").strip() else ""
    out.append((element.tag, sorted(element.attrib.items()), text, tail))
    for child in element:
        _shape(child, out)
    return out


def _page_texts(data: bytes) -> list[str]:
    return pdf_raw_page_texts(data)


@pytest.fixture(scope="module")
def build():  # type: ignore[no-untyped-def]
    return sample_build()


def test_expat_reads_our_html_as_the_html5_parser_does(build) -> None:  # type: ignore[no-untyped-def]
    for document in build.documents:
        html = render_document_html(build, document, for_pdf=True)
        ours = pdf_markup.parse_html(html)
        theirs = tinyhtml5.parse(html, namespace_html_elements=False)
        assert _shape(ours, []) == _shape(theirs, []), document.id
        assert next(ours.iter("style")).text == next(theirs.iter("style")).text


def test_markup_that_is_not_xml_goes_to_the_html5_parser() -> None:
    html = "<!DOCTYPE html><html><head><style>p > b { color: red }</style></head><body><p>A&nbsp;B\x0cC<br></p></body></html>"
    ours = pdf_markup.parse_html(html)
    assert _shape(ours, []) == _shape(tinyhtml5.parse(html, namespace_html_elements=False), [])


def test_style_text_stays_raw() -> None:
    html = '<html><head><style>.a::after { content: "&amp;" }</style></head><body></body></html>'
    assert next(pdf_markup.parse_html(html).iter("style")).text == '.a::after { content: "&amp;" }'


def test_contents_pages_are_laid_out_again_not_the_whole_document(
    build, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    layouts: list[int] = []
    original = pdf_layout._document

    def counting(root, *args):  # type: ignore[no-untyped-def]
        document = original(root, *args)
        layouts.append(len(document.pages))
        return document

    def no_fallback(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the whole document was laid out again")

    monkeypatch.setattr(pdf_layout, "_document", counting)
    monkeypatch.setattr(pdf_layout, "_layout_until_stable", no_fallback)
    data = write_pdf(build, workers=1)["agreement.pdf"]
    whole, front = layouts[0], layouts[1]
    assert 1 < front < whole
    pages = _page_texts(data)
    entries, last_toc = toc_entries(pages)
    assert last_toc + 1 == front and entries
    flat = [text.casefold() for text in collapse(pages)]
    for label, page in entries:
        first = next(i for i, text in enumerate(flat) if i > last_toc and label.casefold() in text) + 1
        assert page == first, (label, page, first)
    for number, text in enumerate(flat, start=1):  # the cover shows no number, but counts
        assert (f"page {number} of {len(flat)}" in text) == (number > 1), number


def test_the_spliced_pdf_is_the_one_a_full_second_layout_gives(
    build, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    spliced = write_pdf(build, workers=1)
    # A stand-in contents that takes more pages than the real one makes the
    # writer lay the whole document out again with the real numbers.
    monkeypatch.setattr(pdf_markup, "STAND_IN_CSS", ".toc-entry { margin-bottom: 30pt }\n")
    calls: list[int] = []
    original = pdf_layout._layout_until_stable

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf_layout, "_layout_until_stable", recording)
    assert write_pdf(build, workers=1) == spliced
    assert calls


def test_a_stylesheet_with_target_counter_is_laid_out_as_it_asks(
    build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for path in templates_dir().iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    css = (folder / "print.css").read_text(encoding="utf-8")
    assert "attr(data-page)" in css
    (folder / "print.css").write_text(
        css.replace("attr(data-page)", "target-counter(attr(href), page)"), encoding="utf-8"
    )
    expected = write_pdf(build, workers=1)["agreement.pdf"]
    monkeypatch.setattr(assembler.base.resources, "templates_dir", lambda: folder)
    data = write_pdf(build, workers=1)["agreement.pdf"]
    assert toc_entries(_page_texts(data)) == toc_entries(_page_texts(expected))


def _children() -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


needs_fork = pytest.mark.requires("fork")  # the layout process is forked


@needs_fork
def test_cli_build_lays_out_in_the_early_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assembler import api

    served: list[int] = []
    original = pdf_engine.run

    def recording(jobs, workers):  # type: ignore[no-untyped-def]
        result = original(jobs, workers)
        served.append(result is not None)
        return result

    monkeypatch.setattr(pdf_engine, "run", recording)
    before = _children()
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert served == [True]
    assert _children() <= before, "the layout process outlived the command"
    build = api.build_deal(EXAMPLE)
    expected = write_pdf(build, workers=1)
    for name, data in expected.items():
        assert (tmp_path / "out" / name).read_bytes() == data, name


@needs_fork
def test_layout_process_errors_reach_the_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    for path in templates_dir().iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    (folder / "print.css").write_text('@import url("file:///etc/passwd");\n', encoding="utf-8")
    monkeypatch.setattr(assembler.base.resources, "templates_dir", lambda: folder)
    before = _children()
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--format", "pdf"])
    assert result.exit_code == 2, result.output
    assert "the templates asked for resources" in result.output and "/etc/passwd" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    assert _children() <= before


@needs_fork
def test_a_failed_build_ends_the_layout_process(tmp_path: Path) -> None:
    deal = tmp_path / "deal.yaml"
    deal.write_text("deal_type: no_such_type\n", encoding="utf-8")
    before = _children()
    result = CliRunner().invoke(cli, ["build", str(deal), "-o", str(tmp_path / "out"), "--format", "pdf"])
    assert result.exit_code == 2, result.output
    assert _children() <= before


@needs_fork
def test_a_layout_process_that_dies_is_an_output_error(build) -> None:  # type: ignore[no-untyped-def]
    with pdf_engine.early_layout():
        engine = pdf_engine._engine
        assert engine is not None
        os.kill(engine.pid, 9)
        with pytest.raises(OutputError, match="layout process ended unexpectedly"):
            write_pdf(build)


@needs_fork
def test_an_unused_layout_process_is_stopped_not_awaited() -> None:
    import signal

    with pdf_engine.early_layout():
        engine = pdf_engine._engine
        assert engine is not None
    # Stopped at once when the command ends without a PDF (an error message
    # must not wait for WeasyPrint to finish loading).
    assert os.WIFSIGNALED(engine.status) and os.WTERMSIG(engine.status) == signal.SIGKILL
