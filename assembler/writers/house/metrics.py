"""How wide a text is set in a font: advance widths from
``templates/font-metrics.json`` (made by ``templates/make_font_metrics.py``).

Word fonts are measured through their metric twins (Arial through Liberation
Sans), which have the same widths; a font we have no widths for is measured
as the twin of its kind (serif or sans serif), a little wider to be safe.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from assembler.base.resources import templates_dir

from .model import METRIC_TWINS, css_font_family

METRICS_NAME = "font-metrics.json"
_UNKNOWN_FONT_MARGIN = 1.08


@cache
def _metrics() -> tuple[dict[str, int], dict[str, dict[str, Any]]]:
    """Character → index, and per family its "regular" and "bold" widths and "line" height."""
    data = json.loads((templates_dir() / METRICS_NAME).read_text("utf-8"))
    return {char: index for index, char in enumerate(data["chars"])}, data["fonts"]


@cache
def _font(word_font: str) -> tuple[str, float]:
    """The measured family for a Word font, and a safety factor."""
    fonts = _metrics()[1]
    twin = METRIC_TWINS.get(word_font.strip().lower(), ("", ""))[0]
    if twin in fonts:
        return twin, 1.0
    if word_font in fonts:
        return word_font, 1.0
    serif = css_font_family(word_font).endswith(" serif")
    return ("Liberation Serif" if serif else "Liberation Sans"), _UNKNOWN_FONT_MARGIN


def text_width(text: str, word_font: str, size_pt: float, bold: bool = False) -> float:
    """The width of ``text`` on one line, in points."""
    index, fonts = _metrics()
    family, factor = _font(word_font)
    widths: list[int] = fonts[family]["bold" if bold else "regular"]
    average = widths[index["n"]]
    total = sum(widths[index[char]] if char in index else average for char in text)
    return total * size_pt / 1000 * factor




def line_height(word_font: str) -> float:
    """A single line's height in ems for a Word font (its twin's)."""
    family, _ = _font(word_font)
    return float(_metrics()[1][family]["line"])


__all__ = ["line_height", "text_width"]
