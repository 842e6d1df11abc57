"""Page alignment: the PDF against LibreOffice's layout of the DOCX, per example.

For every example deal, builds the DOCX and the PDF in one run, converts
each DOCX with ``soffice --headless --convert-to pdf`` (LibreOffice lays the
DOCX out as delivered, never updating a field), and compares the two PDFs of
every document: their page counts, and on which page each article and
section heading starts (read from each PDF's outline, matched by title).

    python bench/bench_pages.py [examples/*.yaml ...] [--json]
    python bench/bench_pages.py --library examples/own-library/library examples/own-library/*.yaml

Prints one line per example (documents, pages PDF / LibreOffice, headings on
the same page) and the totals; ``tests/writers/test_examples_onedoc.py``
asserts the same figures, and the README quotes them.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
_NUMBER = re.compile(r"^(?:Schedule\s+\d+|\d+(?:\.\d+)*\.?)\s*")


@dataclass(frozen=True)
class Alignment:
    """How one document's PDF and LibreOffice's layout of its DOCX agree."""

    document: str
    pages_pdf: int
    pages_docx: int
    headings: int
    same_page: int


def outline(data: bytes) -> tuple[int, list[tuple[str, int]]]:
    """Page count, and (title without its number, page) of every outline entry."""
    reader = PdfReader(io.BytesIO(data))
    entries: list[tuple[str, int]] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            title = " ".join(_NUMBER.sub("", str(item.title)).split()).casefold()
            entries.append((title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return len(reader.pages), entries


def align(document: str, pdf: bytes, docx_pdf: bytes) -> Alignment:
    """Compare the PDF with LibreOffice's PDF of the DOCX: the headings both
    outlines have (by title, in order of occurrence), and how many of them
    start on the same page."""
    pages_pdf, ours = outline(pdf)
    pages_docx, theirs = outline(docx_pdf)
    where: dict[str, list[int]] = {}
    for title, page in theirs:
        where.setdefault(title, []).append(page)
    seen: dict[str, int] = {}
    headings = same = 0
    for title, page in ours:
        index = seen.get(title, 0)
        seen[title] = index + 1
        pages = where.get(title, [])
        if index < len(pages):
            headings += 1
            same += pages[index] == page
    return Alignment(document, pages_pdf, pages_docx, headings, same)


def share(rows: list[Alignment]) -> float:
    """Share of the headings that start on the same page, in percent."""
    headings = sum(row.headings for row in rows)
    return 100.0 * sum(row.same_page for row in rows) / headings if headings else 100.0


def measure(deal: Path, work: Path, library: Path | None = None) -> list[Alignment]:
    """Build ``deal`` (DOCX and PDF; from ``library`` alone when given),
    convert the DOCX and compare."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("bench_pages: soffice (LibreOffice) is not installed")
    out = work / deal.stem
    dealdraft = [sys.executable, "-c", "from assembler.cli.main import main; main()"]
    own = ["--no-builtin", "--library", str(library)] if library else []
    subprocess.run([*dealdraft, "build", str(deal), "-o", str(out), "--format", "docx,pdf", *own],
                   check=True, capture_output=True, cwd=ROOT)
    converted = out / "libreoffice"
    documents = sorted(out.glob("*.docx"))
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(converted), *map(str, documents)],
                   check=True, capture_output=True)
    return [
        align(path.stem, (out / f"{path.stem}.pdf").read_bytes(), (converted / f"{path.stem}.pdf").read_bytes())
        for path in documents
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deals", nargs="*", type=Path)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--library", type=Path, help="build from this clause library only (--no-builtin)")
    args = parser.parse_args()
    deals = [path.resolve() for path in args.deals] or sorted((ROOT / "examples").glob("*.yaml"))
    results: dict[str, list[Alignment]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        for deal in deals:
            results[deal.stem] = measure(deal, Path(tmp), args.library.resolve() if args.library else None)
    everything = [row for rows in results.values() for row in rows]
    if args.json:
        print(json.dumps({name: [asdict(row) for row in rows] for name, rows in results.items()}, indent=2))
        return
    print(f"{'example':26} {'docs':>4} {'pages PDF / DOCX':>17} {'within 1':>8} {'headings':>8} {'same page':>9}")
    for name, rows in results.items():
        pages = f"{sum(r.pages_pdf for r in rows)} / {sum(r.pages_docx for r in rows)}"
        close = sum(abs(r.pages_pdf - r.pages_docx) <= 1 for r in rows)
        print(f"{name:26} {len(rows):>4} {pages:>17} {close:>4}/{len(rows):<3} "
              f"{sum(r.headings for r in rows):>8} {share(rows):>8.1f}%")
        for row in rows:
            if row.pages_pdf != row.pages_docx or row.same_page != row.headings:
                print(f"    {row.document}: {row.pages_pdf} / {row.pages_docx} pages, "
                      f"{row.same_page} of {row.headings} headings on the same page")
    print(f"{'all':26} {len(everything):>4} {sum(r.pages_pdf for r in everything):>8} / "
          f"{sum(r.pages_docx for r in everything):<6} {'':8} {sum(r.headings for r in everything):>8} "
          f"{share(everything):>8.1f}%")


if __name__ == "__main__":
    main()
