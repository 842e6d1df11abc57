"""The PDF writer's view of our HTML: parsing it, and its contents list.

No WeasyPrint here (``pdf_layout.py`` is the one module that imports it):
these functions read and rewrite the element tree of a document's HTML, and
read page anchors off laid-out pages.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from xml.etree import ElementTree

PAGE_ATTRIBUTE = "data-page"
"""The attribute of a contents link that holds its page number; the print
stylesheet shows it with ``attr(data-page)``."""

BODY_ANCHOR = "dealdraft-body-start"
"""An id given to the document's ``<main>`` (PDF only) to find where the
body starts."""

PLACEHOLDER = "00"
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
STAND_IN_CSS = ""
"""Extra style for the first layout's contents (none: the contents' leaders
are one background each, as cheap to lay out as plain text)."""


def parse_html(html: str) -> ElementTree.Element:
    """The element tree of our template's HTML.

    expat reads well-formed markup about fifty times faster than WeasyPrint's
    HTML5 parser; where the markup is not well-formed XML (a control
    character in a clause, say), the HTML5 parser reads it as before. The
    ``<style>`` element keeps its text raw, as HTML does.
    """
    try:
        root = ElementTree.fromstring(html)
    except ElementTree.ParseError:
        import tinyhtml5

        return tinyhtml5.parse(html, namespace_html_elements=False)  # type: ignore[no-any-return]
    raw = _raw_style(html)
    for style in root.iter("style"):
        if raw is not None:
            style.text = raw
        break
    return root


def _raw_style(html: str) -> str | None:
    start = html.find("<style>")
    end = html.find("</style>", start)
    return None if start < 0 or end < 0 else html[start + len("<style>"): end]


def contents_links(root: ElementTree.Element) -> list[ElementTree.Element]:
    """The links of the contents list (``<nav class="toc">``) to headings."""
    return [
        a for nav in root.iter("nav") if "toc" in nav.get("class", "").split()
        for a in nav.iter("a") if a.get("href", "").startswith("#")
    ]


def pages_by_attribute(root: ElementTree.Element) -> bool:
    """Whether the stylesheet prints contents page numbers from ``data-page``
    (a custom stylesheet with ``target-counter()`` is laid out as it asks)."""
    css = _CSS_COMMENT.sub("", "".join(style.text or "" for style in root.iter("style")))
    return f"attr({PAGE_ATTRIBUTE})" in css and "target-counter" not in css


def stand_in_contents(root: ElementTree.Element) -> ElementTree.Element:
    """The document with a cheaper contents for the first layout, when
    :data:`STAND_IN_CSS` asks for one; the contents must fill the same pages
    (checked afterwards), and the contents pages themselves are replaced.
    """
    if not STAND_IN_CSS:
        return root
    stand_in = copy.deepcopy(root)
    head = next(stand_in.iter("head"), None)
    if head is not None:
        style = ElementTree.SubElement(head, "style")
        style.text = STAND_IN_CSS
    return stand_in


def anchor_pages(document: Any) -> dict[str, int]:
    """Each anchor's page number (1-based; the first page it appears on)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def page_numbers(root: ElementTree.Element, pages: dict[str, int]) -> list[str]:
    """The page number of each contents link's target ("" if it has none)."""
    found = (pages.get(link.get("href", "")[1:]) for link in contents_links(root))
    return ["" if page is None else str(page) for page in found]


def front_only(root: ElementTree.Element, numbers: list[str]) -> ElementTree.Element:
    """The cover and contents with real page numbers, without the body."""
    front = copy.deepcopy(root)
    for link, number in zip(contents_links(front), numbers, strict=True):
        link.set(PAGE_ATTRIBUTE, number)
    body = next(front.iter("body"))
    for child in list(body):
        if child.tag == "main" or "schedule" in child.get("class", "").split():
            body.remove(child)
    return front


__all__ = [
    "BODY_ANCHOR",
    "PAGE_ATTRIBUTE",
    "anchor_pages",
    "contents_links",
    "front_only",
    "page_numbers",
    "pages_by_attribute",
    "parse_html",
    "stand_in_contents",
]
