"""PDF writer: the HTML of each document laid out by WeasyPrint, locked down.

This is the only module that imports WeasyPrint (about half a second), so
nothing imports it until a PDF is asked for.

Lock-down: :class:`TemplatesOnlyFetcher` serves files under ``templates/``
(after resolving symlinks and ``..``) and ``data:`` URIs, and refuses
everything else; a refused URL fails the build with :class:`OutputError`.
Attachments and external links found in the laid-out pages are dropped, so
the only embedded file a PDF can hold is ``deal.lock.json``, which this
module attaches from bytes.
"""

from __future__ import annotations

import io
import mimetypes
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

import weasyprint
from weasyprint.css import ColorProfile
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse, path2url

from assembler.errors import InputError, OutputError, UnavailableError
from assembler.lockfile import LOCK_FILENAME, lock_bytes
from assembler.tree import Build
from assembler.writers.html import paper_size, render_document_html, templates_dir

PDF_VARIANTS: tuple[str, ...] = ("pdf/a-3b",)
"""``--pdf-variant`` values (PDF/A-3 is the archival level that allows the
embedded lock file)."""

LOCK_DESCRIPTION = "dealdraft lock: clause versions, positions and text hashes of this build"


class RefusedURLError(ValueError):
    """A resource outside what the PDF writer may read was requested."""


class TemplatesOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """A WeasyPrint URL fetcher that reads nothing but our own templates.

    Serves ``file:`` URLs whose real path (symlinks and ``..`` resolved) lies
    under ``root``, and ``data:`` URIs. Everything else (other files, any
    network scheme, a missing file) is refused and remembered in
    :attr:`refused`, so the writer fails even where WeasyPrint would swallow
    the error and carry on.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(
            timeout=1, allowed_protocols=("file", "data"), allow_redirects=False,
            fail_on_errors=True,
        )
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return self._fetch_data(url)
            if scheme == "file":
                return self._fetch_file(url)
            raise RefusedURLError("only files under templates/ and data: URIs are allowed")
        except RefusedURLError as error:
            self.refused.append(f"{_shorten(url)} ({error})")
            raise
        except (OSError, ValueError) as error:
            self.refused.append(f"{_shorten(url)} ({error})")
            raise RefusedURLError(str(error)) from error

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURLError("remote file URLs are not allowed")
        path = Path(url2pathname(unquote(parts.path)))
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError) as error:
            raise RefusedURLError("no such file under templates/") from error
        if not real.is_relative_to(self.root):
            raise RefusedURLError("outside templates/")
        if not real.is_file():
            raise RefusedURLError("not a file")
        content_type = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            real.as_uri(), real.read_bytes(), {"Content-Type": content_type}
        )

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        # urllib's own data: decoder; it never touches the network.
        response = DataHandler().data_open(Request(url))
        message: Message = response.info()
        return URLFetcherResponse(
            url, response.read(), {"Content-Type": message.get("Content-Type", "text/plain")}
        )


def _shorten(url: str, limit: int = 120) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def write_pdf(
    build: Build, *, paper: str = "a4", variant: str | None = None, workers: int | None = None
) -> dict[str, bytes]:
    """Every document of ``build`` as PDF bytes, keyed by file name.

    ``{"agreement.pdf": b"%PDF-1.7…", …}``. Each PDF carries the deal's
    metadata and, unless the build is ``external``, ``deal.lock.json`` as
    its only attachment. ``variant`` ``"pdf/a-3b"`` writes archival PDF/A-3b.

    Documents are laid out in parallel by forked worker processes where that
    is safe (Linux, no other thread running); ``workers=1`` forces one
    process. The bytes are the same either way.

    Raises InputError for an unknown paper size or variant, UnavailableError
    when no font is installed, OutputError when the templates ask for a
    resource outside ``templates/``.
    """
    paper_size(paper)
    pdf_variant = _check_variant(variant)
    ensure_fonts()
    folder = templates_dir().resolve()
    lock = None if build.deal.external or not build.lock else lock_bytes(build.lock)
    when = _build_datetime(build.deal.date)
    jobs = [
        _Job(
            name=f"{document.id}.pdf",
            html=render_document_html(build, document, paper=paper, for_pdf=True),
            folder=folder, variant=pdf_variant, lock=lock, when=when,
        )
        for document in build.documents
    ]
    count = _worker_count(len(jobs)) if workers is None else max(1, min(workers, len(jobs)))
    if count > 1 and _can_fork():
        pdfs = _render_forked(jobs, count)
    else:
        font_config = FontConfiguration()
        pdfs = {job.name: _render_job(job, font_config) for job in jobs}
    return {job.name: pdfs[job.name] for job in jobs}


def _check_variant(variant: str | None) -> str | None:
    if variant is None or variant == "":
        return None
    normal = variant.strip().lower()
    if normal not in PDF_VARIANTS:
        choices = ", ".join(PDF_VARIANTS)
        raise InputError(f"--pdf-variant: unknown PDF variant {variant!r} (choose {choices})")
    return normal


@dataclass(frozen=True, slots=True)
class _Job:
    """One document to lay out: its HTML and everything its PDF carries."""

    name: str
    html: str
    folder: Path
    variant: str | None
    lock: bytes | None
    when: datetime


def _worker_count(documents: int) -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, documents))


def _can_fork() -> bool:
    # fork() copies the loaded WeasyPrint, fonts and all, for free; it is only
    # safe while this process runs a single thread (no lock held elsewhere).
    # A worker of some other pool (dealdraft batch) already has its share of
    # the CPUs, so it lays its documents out itself.
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and multiprocessing.parent_process() is None
    )


_FORKED_JOBS: list[_Job] = []
"""The jobs a forked worker reads by index (inherited, never pickled)."""


def _render_forked(jobs: list[_Job], count: int) -> dict[str, bytes]:
    # The longest document starts first, so it never ends up running alone.
    order = sorted(range(len(jobs)), key=lambda index: -len(jobs[index].html))
    _FORKED_JOBS[:] = jobs
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            results = dict(zip(order, pool.map(_render_forked_job, order), strict=True))
    except BrokenProcessPool as error:
        raise OutputError(f"PDF layout: a worker process died ({error})") from None
    finally:
        _FORKED_JOBS.clear()
    return {jobs[index].name: data for index, data in results.items()}


def _render_forked_job(index: int) -> bytes:
    return _render_job(_FORKED_JOBS[index], FontConfiguration())


def _render_job(job: _Job, font_config: FontConfiguration) -> bytes:
    fetcher = TemplatesOnlyFetcher(job.folder)
    try:
        source = weasyprint.HTML(
            string=job.html, base_url=path2url(f"{job.folder}{os.sep}"), url_fetcher=fetcher
        )
        rendered = source.render(font_config=font_config)
        _strip_foreign_links(rendered)
        options: dict[str, Any] = {}
        if job.variant is not None:
            options["output_intent"] = _use_srgb_intent(rendered)
        attachments = []
        if job.lock is not None:
            attachments.append(
                weasyprint.Attachment(
                    string=job.lock, url_fetcher=fetcher, name=LOCK_FILENAME,
                    description=LOCK_DESCRIPTION, created=job.when, modified=job.when,
                    relationship="Data",
                )
            )
        data = rendered.write_pdf(
            pdf_variant=job.variant, attachments=attachments or None, finisher=_finish, **options
        )
    except FatalURLFetchingError as error:
        raise _refused(job.name, fetcher.refused or [str(error)]) from None
    if fetcher.refused:
        raise _refused(job.name, fetcher.refused)
    if not isinstance(data, bytes):  # pragma: no cover - write_pdf(None) returns bytes
        raise OutputError(f"{job.name}: WeasyPrint returned no PDF")
    return data


def _strip_foreign_links(rendered: Any) -> None:
    """Keep only internal links: no ``rel=attachment`` embeds, no URI links.

    Attachments named by the HTML (``<link rel=attachment>``) are dropped
    too; the lock is the one file we attach, from bytes.
    """
    rendered.metadata.attachments = []
    for page in rendered.pages:
        page.links = [link for link in page.links if link[0] == "internal"]


def _finish(rendered: Any, pdf: Any) -> None:
    """Last touches on the pydyf PDF before it is written.

    WeasyPrint 70's PDF/A-3 stage lists each attachment twice in the
    catalog's ``/AF`` array; keep each file specification once.
    """
    files = pdf.catalog.get("AF")
    if files:
        unique = list(dict.fromkeys(files))
        files.clear()
        files.extend(unique)


_SRGB_INTENT = "dealdraft-srgb"


def _use_srgb_intent(rendered: Any) -> str:
    """Give a PDF/A document its sRGB output intent, read and closed here.

    WeasyPrint 70 opens its bundled sRGB profile for PDF/A and never closes
    it (a ResourceWarning on every build); handing it the profile under our
    own name keeps its output intent and avoids the leak.
    """
    source = resources.files("weasyprint.pdf") / "sRGB2014.icc"
    profile = ColorProfile(
        io.BytesIO(source.read_bytes()), "sRGB2014.icc", "relative-colorimetric",
        (["r"], ["g"], ["b"]),
    )
    rendered.color_profiles[_SRGB_INTENT] = profile
    rendered.output_intent = _SRGB_INTENT
    return _SRGB_INTENT


def _refused(name: str, refused: list[str]) -> OutputError:
    listed = "; ".join(dict.fromkeys(refused))
    return OutputError(
        f"{name}: the templates asked for resources the PDF writer does not "
        f"load (only files under templates/ and data: URIs): {listed}"
    )


def _build_datetime(date: str) -> datetime:
    """The build's one timestamp: the deal's date, else SOURCE_DATE_EPOCH,
    else a fixed date; never the clock, so the bytes do not change."""
    try:
        return datetime.fromisoformat(date).replace(tzinfo=None)
    except (TypeError, ValueError):
        pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    return datetime(2000, 1, 1)


_font_count: int | None = None


def installed_font_count() -> int:
    """How many fonts fontconfig offers (0 means WeasyPrint would crash)."""
    global _font_count
    if _font_count is None:
        from weasyprint.text.ffi import ffi, fontconfig

        config = fontconfig.FcInitLoadConfigAndFonts()
        if config == ffi.NULL:
            _font_count = 0
        else:
            try:
                fonts = fontconfig.FcConfigGetFonts(config, 0)  # FcSetSystem
                _font_count = 0 if fonts == ffi.NULL else int(fonts.nfont)
            finally:
                fontconfig.FcConfigDestroy(config)
    return _font_count


def ensure_fonts() -> None:
    """Raise UnavailableError unless fontconfig knows at least one font."""
    if installed_font_count() == 0:
        raise UnavailableError(
            "PDF output needs at least one installed font, and fontconfig finds none; "
            "install a font package (e.g. fonts-liberation or fonts-dejavu-core) "
            "or use --format docx/md/html"
        )


__all__ = [
    "PDF_VARIANTS",
    "RefusedURLError",
    "TemplatesOnlyFetcher",
    "ensure_fonts",
    "installed_font_count",
    "write_pdf",
]
