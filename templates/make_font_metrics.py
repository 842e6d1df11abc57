"""Generate ``templates/font-metrics.json``: advance widths of the fonts the
PDF route uses, so table columns are sized from their text the same way for
the DOCX and the PDF (``assembler/writers/house/metrics.py``).

Run by hand (it needs fontTools and the fonts installed), and commit the result::

    python templates/make_font_metrics.py

Widths are in thousandths of an em (and each font's single line height in ems), for the printable ASCII and Latin-1
characters and the punctuation our typographic pass writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FAMILIES = ("Liberation Sans", "Liberation Serif", "Liberation Mono", "Liberation Sans Narrow", "Carlito", "Caladea")
CHARS = "".join(chr(c) for c in [*range(32, 127), *range(160, 256)]) + "\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u25cf\u20ac\u2032"


def font_file(family: str, bold: bool) -> str:
    pattern = f"{family}:style={'Bold' if bold else 'Regular'}"
    return subprocess.run(["fc-match", "-f", "%{file}", pattern], check=True, capture_output=True, text=True).stdout


def widths(path: str) -> list[int]:
    font = TTFont(path)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    default = metrics[".notdef"][0] if ".notdef" in metrics else 500
    return [round(metrics[cmap[ord(c)]][0] * scale) if ord(c) in cmap else round(default * scale) for c in CHARS]


def line_height(path: str) -> float:
    """A single line's height in ems, as Word and LibreOffice set it (hhea)."""
    font = TTFont(path)
    hhea = font["hhea"]
    return round((hhea.ascent - hhea.descent + hhea.lineGap) / font["head"].unitsPerEm, 4)


def main(argv: list[str]) -> int:
    data: dict = {"chars": CHARS, "fonts": {}}
    for family in FAMILIES:
        regular = font_file(family, False)
        data["fonts"][family] = {
            "regular": widths(regular), "bold": widths(font_file(family, True)), "line": line_height(regular),
        }
    target = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("font-metrics.json")
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
