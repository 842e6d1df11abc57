"""WeasyPrint layout of one document: the only module that imports WeasyPrint.

Importing WeasyPrint costs about half a second, so nothing imports this
module until a PDF is laid out (``pdf.py`` orchestrates and stays light).

Lock-down: :class:`TemplatesOnlyFetcher` serves files under ``templates/``
(after resolving symlinks and ``..``) and ``data:`` URIs, and refuses
everything else; a refused URL fails the build with :class:`OutputError`.
Attachments and links other than internal ones and web or email addresses
found in the laid-out pages are dropped, so the only embedded file a PDF can
hold is ``deal.lock.json``, attached here from bytes.

Speed: the HTML is our own template's output, well-formed, so it is parsed
by expat instead of WeasyPrint's pure-Python HTML5 parser (the latter stays
the fallback). The contents' page numbers are not left to CSS
``target-counter()``, which makes WeasyPrint lay the document out again:
the document is laid out once with placeholder numbers, the headings' pages
are read off the result, and only the cover and contents pages are laid out
again with the real numbers (see :func:`_layout_with_contents`).
"""

from __future__ import annotations

import io
import mimetypes
import os
from email.message import Message
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname
from xml.etree import ElementTree

import cssselect2
import weasyprint
from weasyprint.css import ColorProfile
from weasyprint.formatting_structure.boxes import MarginBox
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse, path2url

from assembler.assembly.lockfile import LOCK_FILENAME
from assembler.base.errors import OutputError, UnavailableError
from assembler.base.parallel import fork_map
from assembler.writers.pdf import markup

if TYPE_CHECKING:
    from .job import PdfJob

LOCK_DESCRIPTION = "dealdraft lock: the clause versions and text hashes this build was made of"
_MAX_PASSES = 4

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


_font_config: FontConfiguration | None = None


def shared_font_config() -> FontConfiguration:
    """This process's font configuration (forked workers inherit it loaded)."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def warm_up() -> None:
    """Load fontconfig, Pango and the fonts by laying out one line."""
    weasyprint.HTML(string="<p>Warm-up</p>", url_fetcher=TemplatesOnlyFetcher(Path(os.sep).joinpath("nonexistent"))).render(
        font_config=shared_font_config()
    )


TAGGED_VARIANT = "pdf/ua-1"
"""The variant of a PDF built without ``--pdf-variant``: tagged, with the
document's language, and XMP metadata (WeasyPrint 70's PDF/UA-1)."""


def render_job(job: PdfJob, font_config: FontConfiguration | None = None) -> tuple[bytes, dict[str, int]]:
    """The PDF bytes of one document (see ``pdf.write_pdf``) and the page of
    each of its anchors (the headings' bookmarks), 1-based."""
    fetcher = TemplatesOnlyFetcher(job.folder)
    font_config = font_config or shared_font_config()
    try:
        rendered = _layout(job, fetcher, font_config)
        pages = markup.anchor_pages(rendered)
        _strip_foreign_links(rendered)
        # Every PDF is tagged (structure for screen readers and reflow) and
        # carries XMP metadata: PDF/UA-1 by default, PDF/A-3b when asked.
        options: dict[str, Any] = {"pdf_tags": True}
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
            pdf_variant=job.variant or TAGGED_VARIANT, attachments=attachments or None, finisher=_finish, **options
        )
    except FatalURLFetchingError as error:
        raise _refused(job.name, fetcher.refused or [str(error)]) from None
    if fetcher.refused:
        raise _refused(job.name, fetcher.refused)
    if not isinstance(data, bytes):  # pragma: no cover - write_pdf(None) returns bytes
        raise OutputError(f"{job.name}: WeasyPrint returned no PDF")
    return data, pages


# --- parsing ---------------------------------------------------------------


class _ParsedHTML(weasyprint.HTML):  # type: ignore[misc]  # WeasyPrint is untyped
    """A WeasyPrint HTML document made from an element tree we parsed."""

    def __init__(self, root: ElementTree.Element, base_url: str, url_fetcher: URLFetcher) -> None:
        # What weasyprint.HTML.__init__ sets after parsing (WeasyPrint 70);
        # our template never writes <base>, so the base URL is ours.
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


def _document(root: ElementTree.Element, job: PdfJob, fetcher: URLFetcher, font_config: FontConfiguration) -> Any:
    source = _ParsedHTML(root, path2url(f"{job.folder}{os.sep}"), fetcher)
    return source.render(font_config=font_config)


# --- layout ----------------------------------------------------------------


def _layout(job: PdfJob, fetcher: URLFetcher, font_config: FontConfiguration) -> Any:
    root = markup.parse_html(job.html)
    links = markup.contents_links(root)
    if not links or not markup.pages_by_attribute(root):
        return _document(root, job, fetcher, font_config)
    return _layout_with_contents(root, job, fetcher, font_config)


def _layout_with_contents(
    root: ElementTree.Element, job: PdfJob, fetcher: URLFetcher, font_config: FontConfiguration
) -> Any:
    """Lay out a document whose contents list page numbers, in about one pass.

    1. The whole document, with a placeholder for every page number.
    2. The headings' pages, read off that layout.
    3. The cover and contents alone, with the real numbers; their pages
       take the whole layout's running headers and footers ("Page X of Y"
       counts the whole document) and replace its first pages.

    If the real numbers change how many pages the front takes, the whole
    document is laid out again with them until the numbers hold.
    """
    main = next((m for m in root.iter("main")), None)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    if main is None or markup.BODY_ANCHOR in ids:
        return _layout_until_stable(root, job, fetcher, font_config)
    main.set("id", markup.BODY_ANCHOR)
    for link in markup.contents_links(root):
        link.set(markup.PAGE_ATTRIBUTE, markup.PLACEHOLDER)
    whole = _document(markup.stand_in_contents(root), job, fetcher, font_config)
    pages = markup.anchor_pages(whole)
    front = pages.get(markup.BODY_ANCHOR, 0) - 1
    numbers = markup.page_numbers(root, pages)
    if front < 1:
        return _layout_until_stable(root, job, fetcher, font_config, numbers)
    head = _document(markup.front_only(root, numbers), job, fetcher, font_config).pages
    if len(head) != front or not all(_same_frame(a, b) for a, b in zip(head, whole.pages, strict=False)):
        return _layout_until_stable(root, job, fetcher, font_config, numbers)
    for page, original in zip(head, whole.pages, strict=False):
        _take_margins(page, original)
    return whole.copy(head + whole.pages[front:])


def _same_frame(page: Any, other: Any) -> bool:
    return (page.width, page.height) == (other.width, other.height) and _margins(page) == _margins(other)


def _margins(page: Any) -> list[str]:
    return [box.at_keyword for box in page._page_box.children if isinstance(box, MarginBox)]


def _take_margins(page: Any, original: Any) -> None:
    """Give ``page`` the header and footer boxes laid out for ``original``.

    Margin boxes are positioned on the page, not in the flow, so the boxes
    of the same page of the whole document fit exactly.
    """
    own = [box for box in page._page_box.children if not isinstance(box, MarginBox)]
    margins = [box for box in original._page_box.children if isinstance(box, MarginBox)]
    page._page_box.children = (*own, *margins)


def _layout_until_stable(
    root: ElementTree.Element, job: PdfJob, fetcher: URLFetcher, font_config: FontConfiguration,
    numbers: list[str] | None = None,
) -> Any:
    for _ in range(_MAX_PASSES):
        for link, number in zip(markup.contents_links(root), numbers or [], strict=False):
            link.set(markup.PAGE_ATTRIBUTE, number)
        document = _document(root, job, fetcher, font_config)
        found = markup.page_numbers(root, markup.anchor_pages(document))
        if found == numbers:
            return document
        numbers = found
    raise OutputError(f"{job.name}: the contents' page numbers do not settle")


# --- the PDF ---------------------------------------------------------------


_WEB = ("https://", "http://", "mailto:")


def _strip_foreign_links(rendered: Any) -> None:
    """Keep internal links and links to web pages and email addresses (the
    links of clause text: annotations a reader follows, never fetched): no
    ``rel=attachment`` embeds, no ``file:`` or other links.

    Attachments named by the HTML (``<link rel=attachment>``) are dropped
    too; the lock is the one file we attach, from bytes.
    """
    rendered.metadata.attachments = []
    for page in rendered.pages:
        page.links = [
            link for link in page.links
            if link[0] == "internal" or (link[0] == "external" and str(link[1]).startswith(_WEB))
        ]


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


# --- fonts -----------------------------------------------------------------

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


def layout_jobs(jobs: list[PdfJob], workers: int | None = None) -> dict[str, tuple[bytes, dict[str, int]]]:
    """Lay the jobs out here, or in forked workers of this process (which
    inherit WeasyPrint and the loaded fonts); the longest document starts
    first, so it never ends up running alone. Each job gives its PDF and
    its anchors' pages."""
    ensure_fonts()
    pdfs = fork_map(render_job, jobs, weight=lambda job: len(job.html), workers=workers)
    return {job.name: result for job, result in zip(jobs, pdfs, strict=True)}

__all__ = [
    "RefusedURLError",
    "TemplatesOnlyFetcher",
    "ensure_fonts",
    "installed_font_count",
    "layout_jobs",
    "render_job",
]
