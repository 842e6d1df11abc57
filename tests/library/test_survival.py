"""Survival and start computed from the library: the survival clause lists the
clauses of the draft that survive, as live references, and the conditions-
precedent clause lists those that bind from signature. Texts read as typeset:
"Sections 2.1" with a no-break space."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from docx_xml import Docx, bookmarks, fields, text
from known_findings import build_tolerating_known
from logic_fixtures import clause, deal_text, deal_type, plan_problems, positions, write_library
from pypdf import PdfReader

from assembler.api import build, build_deal
from assembler.assembly.tree import Article, Build, Section
from assembler.assembly.tree_text import block_text
from assembler.assembly.typography import NBSP
from assembler.library import load as library_module
from assembler.library.rules import consistency_rules

SURVIVAL = clause("end.survival", "The following survive the end of this Agreement: {{ surviving() }}.")


def survival_library(tmp_path: Path, *, optional_five: bool = False):
    clauses = [
        clause("conf.a", survives=True),
        clause("conf.b", survives=True),
        clause("t.one", survives=True),
        clause("t.two"),
        clause("t.three", survives=True),
        clause("t.four", survives=True),
        clause("t.five", survives=True),
        SURVIVAL,
    ]
    five = {"id": "t.five", "optional": True} if optional_five else "t.five"
    spec = deal_type("deal", [["Confidentiality", ["conf.a", "conf.b"]], ["Terms", ["t.one", "t.two", "t.three", "t.four", five]], ["End", ["end.survival"]]])
    return write_library(tmp_path, clauses, [spec])


def built(library, tmp_path: Path, formats: list[str], **changes: object) -> tuple[Build, Path]:
    deal = tmp_path / "deal.yaml"
    deal.write_text(deal_text(library, "deal", **changes), "utf-8")
    build(deal, tmp_path / "out", formats=formats, library=library)
    return build_deal(deal, library), tmp_path / "out"


def section(result: Build, clause_id: str, doc: str = "agreement") -> Section | Article:
    for article in result.document(doc).articles:
        if article.clause_id == clause_id:
            return article
        for sec in article.sections:
            if sec.clause_id == clause_id:
                return sec
    raise KeyError(clause_id)


def test_the_survival_clause_lists_survivors_with_ranges_and_whole_articles(tmp_path: Path) -> None:
    result, _ = built(survival_library(tmp_path), tmp_path, ["md"])
    assert block_text(section(result, "end.survival").blocks) == (
        f"The following survive the end of this Agreement: Sections{NBSP}2.1 and 2.3 to 2.5, and Article{NBSP}1."
    )


def test_a_clause_left_out_leaves_the_list(tmp_path: Path) -> None:
    library = survival_library(tmp_path, optional_five=True)
    result, _ = built(library, tmp_path, ["md"])
    assert block_text(section(result, "end.survival").blocks).endswith(f"Sections{NBSP}2.1, 2.3 and 2.4, and Article{NBSP}1.")


def test_each_number_is_a_live_reference_in_docx_html_and_pdf(tmp_path: Path) -> None:
    result, out = built(survival_library(tmp_path), tmp_path, ["docx", "html", "pdf"])
    # DOCX: one REF field per number, each to the bookmark of its clause or article.
    docx = Docx((out / "agreement.docx").read_bytes())
    marks = bookmarks(docx.document)
    par = next(p for p in docx.paragraphs() if text(p).startswith("The following survive"))
    refs = [f for f in fields(docx.document) if f.paragraph is par]
    assert [f.result for f in refs] == ["2.1", "2.3", "2.5", "1"]
    expected = [section(result, c).bookmark for c in ("t.one", "t.three", "t.five")] + [result.document("agreement").articles[0].bookmark]
    assert [f.instruction.split()[1] for f in refs] == expected
    assert all(re.fullmatch(r"REF \S+ \\n \\h", f.instruction) for f in refs)
    assert set(expected) <= set(marks)
    # HTML: one internal link per number.
    html = (out / "agreement.html").read_text("utf-8")
    paragraph = re.search(r"<p>The following survive.*?</p>", html, re.S).group(0)
    links = re.findall(r'<a class="ref" href="#([^"]+)">([^<]+)</a>', paragraph)
    assert [label for _href, label in links] == [f"Sections{NBSP}2.1", "2.3", "2.5", f"Article{NBSP}1"]
    assert [href for href, _label in links] == expected
    assert all(f'id="{href}"' in html for href, _ in links)
    # PDF: a link annotation to each of those destinations.
    reader = PdfReader(io.BytesIO((out / "agreement.pdf").read_bytes()))
    targets = [str(a.get_object().get("/Dest") or a.get_object()["/A"]["/D"]) for page in reader.pages for a in page.get("/Annots") or []]
    assert set(expected) <= set(targets)
    assert set(expected) <= set(reader.named_destinations)


def test_refs_helper_and_external_lists(tmp_path: Path) -> None:
    plan = clause("plan.refs", "See {{ refs('t.one', 't.two') }}.")
    lib = survival_library(tmp_path)
    spec = lib.deal_types["deal"].spec.model_dump()
    spec["documents"].append({"id": "charter", "title": "Charter", "kind": "plan", "ref_name": "the Agreement", "articles": [{"title": "A", "clauses": ["plan.refs"]}]})
    clauses = [c.spec.model_dump(exclude_defaults=True) for c in lib.clauses.values()] + [plan]
    library = write_library(tmp_path / "2", clauses, [spec])
    result, _ = built(library, tmp_path / "2", ["md"])
    assert block_text(section(result, "plan.refs", "charter").blocks) == f"See Sections{NBSP}2.1 and 2.2 of the Agreement."


def test_nothing_to_list_is_an_error_not_an_empty_phrase(tmp_path: Path) -> None:
    library = write_library(tmp_path, [clause("t.one"), SURVIVAL], [deal_type("deal", [["A", ["t.one", "end.survival"]]])])
    problems = plan_problems(library, "deal")
    assert [(p.clause, p.message) for p in problems] == [
        ("end.survival", "surviving(): no other clause of this document qualifies, so the list would be empty")
    ]


def test_lint_wants_survivors_listed_in_every_position(tmp_path: Path) -> None:
    hand_written = clause("end.survival", positions=positions(balanced="{{ surviving() }} survive.", pharma="Sections 2.1 and 2.3 survive."))
    library = write_library(tmp_path, [clause("t.one", survives=True), hand_written], [deal_type("deal", [["A", ["t.one", "end.survival"]]])])
    found = [p for p in consistency_rules(library) if p.clause == "end.survival"]
    assert [p.field for p in found] == ["positions.pharma.text"]
    assert "does not list the surviving clauses with surviving()" in found[0].message
    library = write_library(tmp_path / "2", [clause("t.one", survives=True), clause("end.list", "Section 1.1 survives.")], [deal_type("deal", [["A", ["t.one", "end.list"]]])])
    assert any("no clause of a deal deal lists them with surviving()" in p.message for p in consistency_rules(library))


def test_lint_asks_a_text_that_outlasts_the_term_to_survive(tmp_path: Path) -> None:
    outlasts = clause("conf.duration", "These obligations continue for five (5) years after its expiry or termination.")
    library = write_library(tmp_path, [clause("t.one", survives=True), outlasts, SURVIVAL], [deal_type("deal", [["A", ["t.one", "conf.duration", "end.survival"]]])])
    found = [p for p in consistency_rules(library) if p.clause == "conf.duration" and p.severity == "error"]
    assert [p.field for p in found] == ["survives"], found


def test_from_signature_lists_what_binds_before_the_effective_date(tmp_path: Path) -> None:
    clauses = [
        clause("defs.a", starts="signature"),
        clause("pay.upfront"),
        clause("conf.a", starts="signature"),
        clause("cp.clearance", "This Section and {{ from_signature() }} bind the Parties from signature."),
    ]
    library = write_library(tmp_path, clauses, [deal_type("deal", [["Definitions", ["defs.a"]], ["Payments", ["pay.upfront", "conf.a"]], ["Conditions", ["cp.clearance"]]])])
    result, _ = built(library, tmp_path, ["md"])
    # a one-section article is cited by its section; two sections in a row are not a range
    assert block_text(section(result, "cp.clearance").blocks) == f"This Section and Sections{NBSP}1.1 and 2.2 bind the Parties from signature."


# -- the shipped library ---------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> library_module.Library:
    return library_module.load_library()


def survival_text(result: Build, clause_id: str = "term.survival") -> str:
    return block_text(section(result, clause_id).blocks)


def number_of(result: Build, clause_id: str) -> str:
    node = section(result, clause_id)
    return f"Article {node.number}" if isinstance(node, Article) else node.number


def cited(phrase: str) -> set[str]:
    """The sections ("7.3") and articles ("Article 6") a list of references cites,
    ranges expanded: "Sections 7.3 to 7.5 and 9.1, and Articles 6 and 8" (a word
    and its number are tied by a no-break space, which ``split()`` splits at)."""
    found: set[str] = set()
    kind = ""
    for item in re.split(r",? and |, ", phrase):
        words = item.split()
        if words and words[0] in ("Section", "Sections", "Article", "Articles", "paragraph", "paragraphs"):
            kind, words = words[0].rstrip("s"), words[1:]
        if kind == "paragraph":  # paragraphs of a schedule ("paragraphs 2, 4 to 6 of Schedule 3")
            continue
        if len(words) == 3 and words[1] == "to":
            art, first = words[0].split(".")
            found |= {f"{art}.{n}" for n in range(int(first), int(words[2].split(".")[1]) + 1)}
        elif words:
            found.add(words[0] if kind == "Section" else f"Article {words[0]}")
    return found


def listed_in(result: Build, clause_id: str, phrase: str) -> bool:
    """Whether a list cites a clause: by number, in a range or by its whole article."""
    number = number_of(result, clause_id)
    citations = cited(phrase)
    return number in citations or f"Article {number.split('.')[0]}" in citations


def test_research_exclusivity_and_joint_patents_survive(shipped) -> None:
    """Issue 7: the exclusivity tail ran after the Term, but the survival clause omitted it."""
    result = build_deal(ROOT / "examples" / "research-collaboration.yaml", shipped)
    phrase = survival_text(result).split(": ", 1)[1].split(". ", 1)[0]
    for clause_id in ("scope.exclusivity", "ip.prosecution", "ip.joint_ip", "confidentiality.duration", "disputes.arbitration", "boilerplate.notices"):
        assert listed_in(result, clause_id, phrase), (clause_id, number_of(result, clause_id), phrase)
    for clause_id in ("governance.jsc.meetings", "economics.upfront", "term.termination_breach"):
        assert not listed_in(result, clause_id, phrase), clause_id


def test_option_right_of_first_refusal_survives(shipped, tmp_path: Path) -> None:
    """Issue 7: the option's right of first refusal (pharma position) was not in the survival list."""
    data = yaml.safe_load((ROOT / "examples" / "option-to-license.yaml").read_text("utf-8"))
    data["stance"] = "pharma"
    path = tmp_path / "option.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    result = build_tolerating_known(path, shipped)
    assert "right of first refusal" in block_text(section(result, "option.lapse").blocks) or "first offering" in block_text(section(result, "option.lapse").blocks)
    phrase = survival_text(result).split(": ", 1)[1].split(". ", 1)[0]
    assert listed_in(result, "option.lapse", phrase), phrase


def test_a_clearance_condition_moves_the_effective_date(shipped, tmp_path: Path) -> None:
    """Issue 2: with antitrust clearance the Agreement took effect on the Clearance Date while
    "Effective Date" meant signature, so payments and clocks started before clearance."""
    data = yaml.safe_load((ROOT / "examples" / "co-dev-co-com.yaml").read_text("utf-8"))
    path = tmp_path / "codev.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    library = shipped
    result = build_tolerating_known(path, library)
    definitions = {d.term: d for s in result.document("agreement").articles[0].sections for d in s.definitions}
    effective = "".join(getattr(i, "text", "") for i in definitions["Effective Date"].inlines)
    assert effective.startswith(f"the Clearance Date, on which this Agreement takes effect under Section{NBSP}")
    assert "Signature Date" in definitions
    cp = survival_text(result, "licence.antitrust_clearance")
    assert cp.startswith(f"This Section and Sections{NBSP}")
    phrase = cp.split(" bind the Parties")[0].removeprefix("This Section and ")
    for clause_id in ("confidentiality.obligations", "disputes.governing_law", "boilerplate.notices", "defs.core"):
        assert listed_in(result, clause_id, phrase), (clause_id, phrase)
    for clause_id in ("economics.upfront", "governance.jsc.establish", "codev.development_plan"):
        assert not listed_in(result, clause_id, phrase), (clause_id, phrase)
    assert "no payment falls due" in cp
    # without a clearance condition the Effective Date is the date of signature
    data["terms"]["antitrust_filing_required"] = False
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    result = build_tolerating_known(path, library)
    definitions = {d.term: d for s in result.document("agreement").articles[0].sections for d in s.definitions}
    assert "".join(getattr(i, "text", "") for i in definitions["Effective Date"].inlines) == "the date on which this Agreement has been signed by all Parties."
    assert "Signature Date" not in definitions
