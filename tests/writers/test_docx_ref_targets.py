"""Every reference in a DOCX shows the number of the heading it points to.

The truth is the DOCX itself: each REF field's bookmark leads to a paragraph
whose label is computed from numbering.xml and styles.xml (docx_numbering.py),
never from the tree. The words around the field must fit the target too
("Section" before a section, "paragraph 3 of Schedule 2" naming the schedule
the paragraph is in, once after a list of its paragraphs). References to another document are plain text and are
checked against that document's DOCX.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx_fixtures import build
from docx_numbering import Numbering
from docx_xml import NS, Docx, bookmarks, text, w
from known_findings import build_tolerating_known
from lxml import etree
from test_docx_structure import document_refs

from assembler.api import build_deal
from assembler.assembly.tree import Build, Document
from assembler.writers.docx import write_docx
from assembler.writers.docx.bookmarks import iter_anchored

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
# The word before a REF field's number is tied to it by a no-break space (assembly/typography.py).
PREFIX = {"heading 1": "Article\u00a0", "heading 2": "Section\u00a0", "Schedule Title": "", "Schedule Heading": "paragraph\u00a0"}


def pieces(par: etree._Element) -> list[str | tuple[str, str]]:
    """The paragraph as plain text and (instruction, cached result) fields, in order."""
    out: list[str | tuple[str, str]] = []
    state = ""  # "" outside a field, "instr", "result"
    instruction = result = ""
    for node in par.iter(w("fldChar"), w("instrText"), w("t")):
        if node.tag == w("fldChar"):
            kind = node.get(w("fldCharType"))
            if kind == "begin":
                state, instruction, result = "instr", "", ""
            elif kind == "separate":
                state = "result"
            else:
                out.append((instruction.strip(), result))
                state = ""
        elif node.tag == w("instrText"):
            instruction += node.text or ""
        elif state == "result":
            result += node.text or ""
        elif not state:
            out.append(node.text or "")
    return out


_LIST = re.compile(r"(Sections|Articles|paragraphs|Section|Article|paragraph)[ \u00a0](?:, | to | and )*$")


def _in_list(before: str, kind: str) -> bool:
    """Whether a field continues a list whose prefix fits its target ("Articles 1, 11 and ")."""
    found = _LIST.search(before)
    return bool(PREFIX[kind]) and found is not None and found.group(1).rstrip("s") + " " == PREFIX[kind].replace("\u00a0", " ")


def style_name(docx: Docx, par: etree._Element) -> str:
    style_id = par.find("w:pPr/w:pStyle", NS).get(w("val"))
    style = docx.styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    return str(style.find("w:name", NS).get(w("val")))


def check_ref_fields(docx: Docx, numbering: Numbering) -> int:
    """Assert every REF field of ``docx`` against its target; return how many."""
    marks = bookmarks(docx.document)
    checked = 0
    for par in docx.paragraphs():
        parts = pieces(par)
        for index, part in enumerate(parts):
            if not (isinstance(part, tuple) and part[0].startswith("REF ")):
                continue
            instruction, cached = part
            match = re.fullmatch(r"REF (\S+) \\n \\h", instruction)
            assert match, instruction
            target = marks[match.group(1)]
            # (a space or the no-break space the typographic pass puts in "Schedule 2")
            assert cached.replace("\u00a0", " ") == numbering.ref_text(target).replace("\u00a0", " "), (
                f"{text(par)!r}: REF {match.group(1)} shows {cached!r}; its heading is numbered {numbering.labels[target]!r}"
            )
            before = "".join(p for p in parts[:index] if isinstance(p, str))
            after = "".join(p for p in parts[index + 1:] if isinstance(p, str))
            kind = style_name(docx, target)
            # "Section 7.2", or a number in a list of references: "Sections 7.2, 9.1 to 9.4"
            # (field results are not in ``before``, so only the prefix and separators remain);
            # the word is tied to its number by a no-break space, except in the hand-built fixture
            prefixes = (PREFIX[kind], PREFIX[kind].replace("\u00a0", " "))
            assert (before.endswith(prefixes) or _in_list(before, kind)) and not before.endswith(("Schedule ", "Schedule\u00a0")), (
                kind, text(par))
            if kind == "Schedule Title":
                assert after.startswith(f" ({text(target).strip()})"), (after, text(target))
            if kind == "Schedule Heading":
                schedule = numbering.enclosing(target, *numbering.level_of[target][:1], 0)
                assert schedule is not None
                # the schedule is named after the paragraph, or after the last paragraph of its list
                # ("paragraphs 2, 4 to 6 and 9 of Schedule 3": only separators come between)
                plain, label = after.replace("\u00a0", " "), f" of {numbering.labels[schedule]}".replace("\u00a0", " ")
                assert re.match(rf"(?:, | to | and )*{re.escape(label)}", plain), (after, numbering.labels[schedule])
            checked += 1
    return checked


def check_external_refs(the_build: Build, written: dict[str, Docx], numberings: dict[str, Numbering]) -> int:
    """References to another document: plain text whose number is that of the
    target heading in the other document's DOCX."""
    checked = 0
    for doc in the_build.documents:
        body = "\n".join(text(p) for p in written[doc.id].paragraphs())
        for ref in document_refs(doc):
            if not ref.external:
                continue
            assert ref.text in body, (doc.id, ref.text)
            target_doc: Document = the_build.document(ref.document)
            (node,) = [n for n in iter_anchored(target_doc) if ref.target in {n.clause_id, getattr(n, "id", None)}]
            par = bookmarks(written[ref.document].document)[node.bookmark]
            numbering = numberings[ref.document]
            assert ref.number == numbering.ref_text(par), (doc.id, ref.text, numbering.labels[par])
            if ref.kind == "schedule_section" and ref.suffix:  # in a list, only the last paragraph names the schedule
                schedule = numbering.enclosing(par, numbering.level_of[par][0], 0)
                assert ref.suffix.startswith(f" of {numbering.labels[schedule]}"), (ref.text, numbering.labels[schedule])  # tied
            checked += 1
    return checked


@pytest.fixture(scope="module", params=["fixture", *EXAMPLES])
def written_build(request: pytest.FixtureRequest) -> tuple[Build, dict[str, Docx]]:
    if request.param == "fixture":
        the_build = build()
    else:
        the_build = build_tolerating_known(ROOT / "examples" / f"{request.param}.yaml")  # tests/known_findings.yaml
    files = write_docx(the_build)
    return the_build, {doc.id: Docx(files[f"{doc.id}.docx"]) for doc in the_build.documents}


def test_each_ref_field_shows_its_headings_number(written_build: tuple[Build, dict[str, Docx]]) -> None:
    the_build, written = written_build
    numberings = {doc_id: Numbering(docx) for doc_id, docx in written.items()}
    internal = external = 0
    for doc in the_build.documents:
        count = check_ref_fields(written[doc.id], numberings[doc.id])
        assert count == len([r for r in document_refs(doc) if not r.external]), doc.id
        internal += count
    external = check_external_refs(the_build, written, numberings)
    assert internal > 5
    assert external == sum(r.external for doc in the_build.documents for r in document_refs(doc))
    if the_build.deal.deal_type == "research_collaboration":
        assert external > 0  # the governance plans refer to the agreement


def test_the_reader_numbers_headings_as_word_does() -> None:
    """The independent reader, held against headings whose numbers are known:
    the example agreement's articles run 1, 2, 3 … and sections restart per
    article; lists restart at (a)."""
    the_build = build_deal(ROOT / "examples" / "research-collaboration.yaml")
    docx = Docx(write_docx(the_build)["agreement.docx"])
    numbering = Numbering(docx)
    articles = [numbering.labels[p] for p in docx.paragraphs("heading 1")]
    assert articles == [f"{n}." for n in range(1, len(articles) + 1)]
    sections = [numbering.labels[p] for p in docx.paragraphs("heading 2")]
    assert sections[:2] == ["1.1", "1.2"] and "2.1" in sections
    schedules = [numbering.labels[p] for p in docx.paragraphs("Schedule Title")]
    assert schedules == [f"Schedule\u00a0{n}" for n in range(1, len(schedules) + 1)]  # tied, as in the text
    items = [numbering.labels[p] for p in docx.paragraphs("List (a)")]
    assert items[0] == "(a)" and items.count("(a)") > 3 and "(b)" in items
