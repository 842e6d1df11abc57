"""A house style → the values of the print stylesheet.

``templates/print.css`` holds the structure of the page (what breaks where,
what hangs in the number column, how the contents' leaders are drawn); this
module writes the rules that carry the house style's values (page, fonts,
sizes, line pitch, spacing, indents, colours, case) and is appended to it.
The same values make the DOCX styles (``templates/make_reference_docx.py``),
so the two routes set the same lines on the same pages.

Spacing between two paragraphs is the larger of the first's space after and
the second's space before, in Word and LibreOffice as in CSS, whose margins
collapse the same way: space before is a top margin, space after a bottom
margin.
"""

from __future__ import annotations

from .model import PAPER_MM, HouseStyle, TextStyle, css_font_family

# Which elements each text style dresses.
SELECTORS: dict[str, str] = {
    "body": "p, .definition",
    "title": ".body-title",
    "article": ".article-heading",
    "section": ".section-heading",
    "preamble_heading": ".preamble-heading",
    "schedule": ".schedule-heading",
    "contents_heading": ".toc-heading",
    "contents_1": ".toc-level-1",
    "contents_2": ".toc-level-2",
    "cover_marking": ".cover .marking",
    "cover_title": ".cover .document-title",
    "cover_text": ".cover .between, .cover .draft-version, .cover .key-terms-heading",
    "cover_party": ".cover .cover-party",
    "cover_date": ".cover .cover-date",
    "table": "table.data th, table.data td",
    "signature": ".signature-block p",
}


def _pt(value: float) -> str:
    return f"{round(value, 3):g}pt"


def _mm(value: float) -> str:
    return f"{round(value, 3):g}mm"


# Text styles whose elements WeasyPrint's own stylesheet sets in bold (headings,
# table headers): they need "font-weight: normal" when the house says so.
_BOLD_BY_DEFAULT = {"title", "article", "section", "preamble_heading", "schedule", "contents_heading", "cover_title"}


def text_rules(style: TextStyle, house: HouseStyle, *, spacing: bool = True, bold_by_default: bool = False) -> list[str]:
    """The declarations of one text style (none that only repeat a default:
    every declaration costs WeasyPrint time on every element it matches)."""
    rules = [f"font-size: {_pt(style.size_pt)}", f"line-height: {_pt(style.line_pt)}"]
    if style.bold or bold_by_default:
        rules.append(f"font-weight: {'bold' if style.bold else 'normal'}")
    if style.italic:
        rules.append("font-style: italic")
    if style.caps:
        rules.append("text-transform: uppercase")
    rules.append(f"text-align: {style.align}")
    if style.font and style.font != house.font:
        rules.append(f"font-family: {css_font_family(style.font)}")
    if style.colour:
        rules.append(f"color: #{style.colour}")
    if spacing:
        rules += [f"margin-top: {_pt(style.before_pt)}", f"margin-bottom: {_pt(style.after_pt)}"]
    return rules


def _rule(selector: str, declarations: list[str]) -> str:
    return f"{selector} {{ {'; '.join(declarations)}; }}"


def house_css(house: HouseStyle, paper: str = "a4") -> str:
    """The stylesheet section that carries ``house``'s values on ``paper``."""
    width, height = PAPER_MM[paper]
    margins = house.page.margins_mm
    styles = house.styles
    running = styles.running
    running_rules = [
        f"font-family: {css_font_family(house.font_of(running))}",
        f"font-size: {_pt(running.size_pt)}",
        f"line-height: {_pt(running.line_pt)}",
        f"color: #{running.colour or house.colours.running}",
    ]
    indent = _mm(house.indent_mm)
    body = styles.body
    out = [
        "/* The house style's values (templates/house-style.yaml or the house DOCX). */",
        f"@page {{ size: {_mm(width)} {_mm(height)}; "
        f"margin: {_mm(margins.top)} {_mm(margins.right)} {_mm(margins.bottom)} {_mm(margins.left)}; "
        # The running header and footer sit where Word puts them: their
        # distance from the page's edge.
        f"@top-right {{ {'; '.join(running_rules)}; vertical-align: top; padding-top: {_mm(house.page.header_mm)}; }} "
        f"@bottom-center {{ {'; '.join(running_rules)}; vertical-align: bottom; "
        f"padding-bottom: {_mm(house.page.footer_mm)}; }} }}",
        _rule("html", [
            f"font-family: {css_font_family(house.font_of(body))}", f"font-size: {_pt(body.size_pt)}",
            f"line-height: {_pt(body.line_pt)}", f"color: #{body.colour or house.colours.text}",
        ]),
    ]
    for name, selector in SELECTORS.items():
        out.append(_rule(selector, text_rules(getattr(styles, name), house, bold_by_default=name in _BOLD_BY_DEFAULT)))
    hang = [f"padding-left: {indent}", f"text-indent: -{indent}"]
    out += [
        _rule(".article-heading, .section-heading, .toc-level-1", hang),
        _rule(".toc-level-2", [f"padding-left: {_mm(2 * house.indent_mm)}", f"text-indent: -{indent}"]),
        _rule(".number, .label, .toc-number", [f"width: {indent}"]),
        _rule(".text, .key-terms", [f"margin-left: {indent}"]),
        _rule("ol.sublist > li", [f"padding-left: {indent}"]),
        _rule("p.labelled", [f"text-indent: -{indent}"]),
        _rule("ul.bullets", [f"padding-left: {_mm(house.indent_mm / 2)}"]),
        _rule(".cover > :first-child", [f"margin-top: {_mm(house.cover.top_mm)}"]),
        _rule(".preamble .text", ["margin-left: 0"]),
        _rule(".blank", [f"background: #{house.colours.blank}"]),
        # Word and LibreOffice space a table from what follows with a paragraph
        # of this height ("Table Space After"), whose margins do not collapse.
        _rule(".table-space", [f"height: {_pt(house.tables.after_pt)}"]),
        # Word's cell margins are measured from the cell's edge, CSS padding
        # from inside its (collapsed) border: half a rule less.
        _rule("table.data th, table.data td", [
            f"padding: {_pt(house.tables.padding_pt.vertical)} "
            f"{_pt(house.tables.padding_pt.horizontal - house.tables.rule_pt / 2)}",
            f"border: {_pt(house.tables.rule_pt)} solid #{house.colours.rule}",
        ]),
        _rule("table.data th", [f"background: #{house.colours.table_header}"]),
        _rule("table.data th, table.data tr.total td", ["font-weight: bold"]),
        _rule("table.data tr.total td", [f"border-top: {_pt(3 * house.tables.rule_pt)} double #{house.colours.rule}"]),
        _rule(".lead-in", [
            f"margin-top: {_pt(house.execution.before_pt)}", f"margin-bottom: {_pt(body.after_pt)}",
            f"text-align: {body.align}",
        ]),
        _rule("table.signature-grid tr + tr td", [f"padding-top: {_pt(house.execution.row_gap_pt)}"]),
        _rule(".signature-block .sign-party", ["font-weight: bold", "text-transform: uppercase"]),
        _rule(".signature-block .sign-line", [
            f"margin-top: {_mm(house.execution.signing_space_mm)}", "padding-bottom: 1pt",
            f"border-bottom: {_pt(house.tables.rule_pt)} solid #{house.colours.rule}",
        ]),
    ]
    return "\n".join(out) + "\n"


__all__ = ["SELECTORS", "house_css", "text_rules"]
