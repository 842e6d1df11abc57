"""HTML writer: one print-ready HTML page per document of a build.

The page comes from ``templates/document.html.j2`` (autoescaped) and the one
print stylesheet ``templates/print.css``. Every number, reference text and
definition is taken from the tree; the template only lays them out. The same
HTML is what the PDF writer hands to WeasyPrint (:func:`render_document_html`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2

from assembler.assembly.tree import (
    BLANK_MARK,
    Article,
    Blank,
    Build,
    Document,
    Emphasis,
    Footnote,
    Link,
    ListBlock,
    Paragraph,
    Ref,
    Schedule,
    Strong,
    Table,
    TermUse,
    Text,
)
from assembler.base.errors import InputError, OutputError
from assembler.writers.house.columns import column_twips
from assembler.writers.house.css import house_css
from assembler.writers.house.model import PAPER_MM, HouseStyle, default_house_style

TEMPLATE_NAME = "document.html.j2"
STYLESHEET_NAME = "print.css"

PAPER_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
"""``--paper`` values and the CSS ``@page size`` each one means."""


def templates_dir() -> Path:
    """The templates folder, in the repository or inside an installed wheel."""
    try:
        from assembler.base.resources import templates_dir as shipped_templates_dir
    except ImportError:  # pragma: no cover - before resources.py existed
        return Path(__file__).resolve().parents[2] / "templates"
    return shipped_templates_dir()


def paper_size(paper: str) -> str:
    """The CSS page size for a ``--paper`` value; InputError if unknown."""
    size = PAPER_SIZES.get(paper.lower())
    if size is None:
        choices = ", ".join(PAPER_SIZES)
        raise InputError(f"--paper: unknown paper size {paper!r} (choose {choices})")
    return size


def write_html(build: Build, *, paper: str = "a4", reference_docx: Path | None = None) -> dict[str, bytes]:
    """Every document of ``build`` as a standalone HTML page, keyed by file name.

    ``{"agreement.html": b"<!DOCTYPE html>…", "jsc-charter.html": …}``; the
    stylesheet is inlined so that the page can be opened on its own. With
    ``reference_docx``, the house DOCX's fonts, sizes, colours and spacing
    are the page's.
    """
    house = house_style(reference_docx)
    return {
        f"{document.id}.html": render_document_html(build, document, paper=paper, house=house).encode("utf-8")
        for document in build.documents
    }


def house_style(reference_docx: Path | None = None) -> HouseStyle:
    """The house style of a build: ours, or the one a house DOCX carries."""
    if reference_docx is None:
        return default_house_style()
    from assembler.writers.house.docx_import import load_house_style

    return load_house_style(reference_docx)


def render_document_html(
    build: Build, document: Document, *, paper: str = "a4", for_pdf: bool = False,
    house: HouseStyle | None = None,
) -> str:
    """The HTML of one document of ``build`` (what WeasyPrint lays out).

    ``for_pdf`` leaves out what only a browser uses (the content security
    policy that keeps a browser from loading anything); ``house`` is the
    house style (ours by default).
    """
    paper_size(paper)
    paper = paper.lower()
    house = house or default_house_style()
    folder = templates_dir()
    environment = _environment(str(folder))
    try:
        stylesheet = (folder / STYLESHEET_NAME).read_text(encoding="utf-8")
        template = environment.get_template(TEMPLATE_NAME)
    except (OSError, jinja2.TemplateError) as error:
        raise OutputError(f"{folder}: cannot read the HTML template or stylesheet: {error}") from error
    deal = build.deal
    # The DOCX's grid, twip for twip: text width less the indent, as Word sizes it.
    available = round(text_width_pt(house, paper) * 20) - round(house.indent_mm * 1440 / 25.4)

    def columns(table: Table) -> list[str]:
        return [f"{width / 20:g}pt" for width in column_twips(table, available, house)]

    html = template.render(
        deal=deal,
        document=document,
        stylesheet=stylesheet + house_css(house, paper),
        anchors=_anchors(document),
        metadata=document_metadata(build, document),
        browser=not for_pdf,
        blank_mark=BLANK_MARK,
        language=house.language,
        columns=columns,
        keep_rows=keep_rows,
        signature_columns=min(house.execution.columns, max(len(deal.parties), 1)),
    )
    return _SPACE_BEFORE_INLINE.sub(r"<\1\2> ", html) if for_pdf else html


# WeasyPrint 70 breaks a line too early when an inline element that cannot
# break at its start ("Section 7.2", tied by a no-break space) follows a
# space outside it: it goes back to an earlier word ("a Party" alone on a
# line). With the space inside the element, the line breaks before it, as
# Word and LibreOffice break it.
_SPACE_BEFORE_INLINE = re.compile(r" <(a|span|strong|em)(\b[^>]*)>")


MM = 72 / 25.4
"""Points per millimetre."""


def text_width_pt(house: HouseStyle, paper: str) -> float:
    """The width between the page margins, in points."""
    margins = house.page.margins_mm
    return (PAPER_MM[paper.lower()][0] - margins.left - margins.right) * MM


def keep_rows(table: Table) -> set[int]:
    """Indexes (body rows, then footer rows) of the rows that must stay on
    the page of the row after them: the last two rows never part, so a
    total never stands alone."""
    count = len(table.rows) + len(table.footer)
    keep = {count - 2} if count >= 2 else set()
    if table.footer:  # the last body row and every total row before the last
        keep.update(range(len(table.rows) - 1, count - 1))
    return {index for index in keep if index >= 0}


def document_metadata(build: Build, document: Document) -> dict[str, Any]:
    """Title, authors, subject, keywords and date of one document.

    They go into ``<title>`` / ``<meta>`` and from there into the PDF's
    document information; the date is the deal's, never the clock's.
    """
    deal = build.deal
    authors = [party.legal_name for party in deal.parties if party.legal_name]
    short_names = [party.short_name or party.legal_name for party in deal.parties]
    subject = deal.deal_type_name or deal.deal_type
    if short_names:
        subject = f"{subject} between {_join_names(short_names)}"
    keywords = [word for word in (deal.deal_type, document.id, document.kind) if word]
    if deal.draft_version:
        keywords.append(f"draft {deal.draft_version}")
    return {
        "title": document.title,
        "authors": authors,
        "subject": subject,
        "keywords": keywords,
        "date": deal.date,
    }


def _join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _anchors(document: Document) -> dict[str, str]:
    """Clause, article and schedule ids of ``document`` → their anchor names."""
    anchors: dict[str, str] = {}
    parts: tuple[Article | Schedule, ...] = (*document.articles, *document.schedules)
    for part in parts:
        if part.bookmark:
            anchors.setdefault(part.id, part.bookmark)
            if part.clause_id:
                anchors.setdefault(part.clause_id, part.bookmark)
        for section in part.sections:
            if section.bookmark:
                anchors.setdefault(section.clause_id, section.bookmark)
    return anchors


def heading_number(number: str) -> str:
    """How a number reads in a heading or the contents: "7." for a bare
    article or paragraph number, unchanged otherwise ("7.2", "Schedule 2")."""
    return f"{number}." if number.isdigit() else number


def _unknown_node(node: object) -> str:
    """Called by the template for a node it does not know: fail, never drop text."""
    raise OutputError(f"HTML writer: no layout for a {type(node).__name__} node")


def _is(kind: type) -> Any:
    return lambda node: isinstance(node, kind)


_environments: dict[str, jinja2.Environment] = {}


def _environment(folder: str) -> jinja2.Environment:
    """The Jinja environment for our own templates (not the clause sandbox:
    templates/ is ours; everything from clauses reaches it as escaped data)."""
    environment = _environments.get(folder)
    if environment is None:
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        environment.filters["heading_number"] = heading_number
        environment.globals["unknown_node"] = _unknown_node
        environment.tests.update(
            {
                "text": _is(Text),
                "emphasis": _is(Emphasis),
                "strong": _is(Strong),
                "term_use": _is(TermUse),
                "ref": _is(Ref),
                "blank": _is(Blank),
                "link": _is(Link),
                "footnote": _is(Footnote),
                "paragraph": _is(Paragraph),
                "list_block": _is(ListBlock),
                "table": _is(Table),
            }
        )
        _environments[folder] = environment
    return environment


__all__ = [
    "PAPER_SIZES",
    "document_metadata",
    "heading_number",
    "house_style",
    "keep_rows",
    "paper_size",
    "render_document_html",
    "templates_dir",
    "write_html",
]
