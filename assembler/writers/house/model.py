"""The house style as data: ``templates/house-style.yaml``, checked by pydantic.

One description of the page, the type and the colours drives both routes:
``templates/make_reference_docx.py`` writes the DOCX styles from it, and
:mod:`.css` writes the print stylesheet's values from it at every build.
A house DOCX (``--reference-docx``) gives a :class:`HouseStyle` too
(:mod:`.docx_import`), so its fonts, sizes, colours and spacing reach the PDF.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assembler.base.errors import OutputError
from assembler.base.resources import templates_dir

STYLE_NAME = "house-style.yaml"
SCHEMA_NAME = "house-style.schema.json"

Colour = Annotated[str, Field(pattern=r"^[0-9A-Fa-f]{6}$", description="RGB in hex, as Word writes it: 1F3864")]
Points = Annotated[float, Field(ge=0, le=200)]
Millimetres = Annotated[float, Field(ge=0, le=300)]

PAPER_MM: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
"""Paper sizes (width, height) in mm, by ``--paper`` value."""

# Word fonts → the metric-compatible font that the PDF route uses (same
# advance widths, so lines break at the same words), and the CSS generic.
METRIC_TWINS: dict[str, tuple[str, str]] = {
    "arial": ("Liberation Sans", "sans-serif"),
    "helvetica": ("Liberation Sans", "sans-serif"),
    "liberation sans": ("Liberation Sans", "sans-serif"),
    "arimo": ("Liberation Sans", "sans-serif"),
    "arial narrow": ("Liberation Sans Narrow", "sans-serif"),
    "times new roman": ("Liberation Serif", "serif"),
    "times": ("Liberation Serif", "serif"),
    "liberation serif": ("Liberation Serif", "serif"),
    "tinos": ("Liberation Serif", "serif"),
    "courier new": ("Liberation Mono", "monospace"),
    "liberation mono": ("Liberation Mono", "monospace"),
    "calibri": ("Carlito", "sans-serif"),
    "carlito": ("Carlito", "sans-serif"),
    "cambria": ("Caladea", "serif"),
    "caladea": ("Caladea", "serif"),
}
_SERIF_HINTS = ("times", "roman", "garamond", "georgia", "book", "serif", "palatino", "cambria", "minion")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(_Model):
    top: Millimetres
    right: Millimetres
    bottom: Millimetres
    left: Millimetres


class Page(_Model):
    """The page geometry; the paper size comes from ``--paper``."""

    margins_mm: Margins
    header_mm: Millimetres = Field(description="From the page edge to the running header")
    footer_mm: Millimetres = Field(description="From the page edge to the running footer")


class TextStyle(_Model):
    """The look of one kind of paragraph. Space before and after adds up, as in Word."""

    font: str | None = Field(default=None, description="Word font name; the document font when absent")
    size_pt: Annotated[float, Field(gt=0, le=200)]
    line_pt: Annotated[float, Field(gt=0, le=400)] = Field(description="Exact line pitch")
    bold: bool = False
    italic: bool = False
    caps: bool = Field(default=False, description="Shown in capitals (the text keeps its case)")
    colour: Colour | None = None
    before_pt: Points = 0
    after_pt: Points = 0
    align: Literal["left", "center", "right", "justify"] = "left"


class Styles(_Model):
    body: TextStyle
    title: TextStyle
    article: TextStyle
    section: TextStyle
    preamble_heading: TextStyle
    schedule: TextStyle
    contents_heading: TextStyle
    contents_1: TextStyle
    contents_2: TextStyle
    cover_marking: TextStyle
    cover_title: TextStyle
    cover_text: TextStyle
    cover_party: TextStyle
    cover_date: TextStyle
    running: TextStyle
    table: TextStyle
    signature: TextStyle


class Colours(_Model):
    text: Colour
    running: Colour
    marking: Colour
    rule: Colour
    table_header: Colour
    blank: Colour


class CellPadding(_Model):
    vertical: Points
    horizontal: Points


class Tables(_Model):
    padding_pt: CellPadding
    rule_pt: Annotated[float, Field(gt=0, le=6)]
    after_pt: Points


class Cover(_Model):
    top_mm: Millimetres


class Execution(_Model):
    columns: Annotated[int, Field(ge=1, le=3)] = 2
    signing_space_mm: Annotated[float, Field(ge=8, le=80)] = 18
    before_pt: Points = 18
    row_gap_pt: Points = 18


class HouseStyle(_Model):
    """The whole house style (``templates/house-style.yaml``)."""

    page: Page
    font: str = Field(description="The document font, as Word names it")
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = Field(
        default="en-GB", description="The language of the text (BCP 47), for spelling in Word and the tagged PDF"
    )
    indent_mm: Millimetres = Field(description="The number column; body text lines up with heading text")
    colours: Colours
    styles: Styles
    tables: Tables
    cover: Cover
    execution: Execution

    def font_of(self, style: TextStyle) -> str:
        return style.font or self.font


def css_font_family(word_font: str) -> str:
    """The CSS ``font-family`` for a Word font: its metric twin first."""
    twin, generic = METRIC_TWINS.get(word_font.strip().lower(), ("", ""))
    if not generic:
        lower = word_font.lower()
        generic = "serif" if any(hint in lower for hint in _SERIF_HINTS) and "sans" not in lower else "sans-serif"
    names = [name for name in dict.fromkeys([twin, word_font]) if name]
    return ", ".join([*(f'"{name}"' for name in names), generic])


def parse_house_style(data: object, source: str) -> HouseStyle:
    """A checked house style; :class:`OutputError` naming each problem."""
    try:
        return HouseStyle.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
        )
        raise OutputError(f"{source}: not a valid house style: {problems}") from None


@cache
def _shipped(path: Path) -> HouseStyle:
    from assembler.library.yamlio import loads, plain

    return parse_house_style(plain(loads(path.read_text("utf-8"), str(path))), str(path))


def default_house_style() -> HouseStyle:
    """The shipped house style (read once per process)."""
    return _shipped(templates_dir() / STYLE_NAME)


def house_style_schema() -> str:
    """The JSON Schema of house-style files, as ``templates/house-style.schema.json`` holds it."""
    schema = HouseStyle.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dealdraft house style"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


__all__ = [
    "METRIC_TWINS",
    "PAPER_MM",
    "HouseStyle",
    "TextStyle",
    "css_font_family",
    "default_house_style",
    "house_style_schema",
    "parse_house_style",
]
