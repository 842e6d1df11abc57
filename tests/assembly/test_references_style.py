"""A house reference style: the word for each level, headings' titles,
capitals where a reference starts a sentence; per library
(``conventions.yaml``) or per deal type. Built-in libraries read as before
(``tests/test_compat_texts.py``). The word and its number are tied by a
no-break space, as the typographic pass ties every reference."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import ROOT, run

from assembler.assembly.references import sentence_capitals
from assembler.assembly.tree import Ref, Text
from assembler.assembly.typography import NBSP

OWN = ROOT / "examples" / "own-library"


def _md(tmp_path: Path, library: Path, deal: Path, name: str = "out") -> str:
    out = tmp_path / name
    result = run("build", str(deal), "-o", str(out), "--format", "md", "--no-builtin", "--library", str(library))
    assert result.exit_code == 0, result.stderr
    return next(out.glob("*.md")).read_text("utf-8")


def test_library_style_words_and_sentence_capitals(tmp_path: Path) -> None:
    text = _md(tmp_path, OWN / "library", OWN / "services-agreement.yaml")
    # a list of references in the house words: a whole article cited as such
    assert f"and clause{NBSP}4.1 and clause{NBSP}5 continue to apply." in text
    assert f"\nClause{NBSP}4.1 does not apply to information that:\n" in text
    assert f"withholds under clause{NBSP}3.2(a)," in text
    assert "Section" not in text


def test_a_deal_type_has_its_own_style_with_titles(tmp_path: Path) -> None:
    text = _md(tmp_path, OWN / "library", OWN / "mutual-nda.yaml")
    assert f"\nSection{NBSP}2.2 (Confidentiality Obligations) does not apply to information that:\n" in text
    assert f"which remain subject to Section{NBSP}2.2 (Confidentiality Obligations)." in text


def test_article_titles_and_paragraph_word(tmp_path: Path) -> None:
    root = tmp_path / "house"
    shutil.copytree(OWN / "library", root)
    conventions = root / "conventions.yaml"
    data = yaml.safe_load(conventions.read_text("utf-8"))
    data["references"] = {"article": "Article", "section": "Section", "titles": "articles"}
    conventions.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    clauses = root / "clauses" / "term.yaml"
    clauses.write_text(clauses.read_text("utf-8").replace(
        "It then continues until either Party ends it under {{ ref('svc.term.termination') }}.",
        "It then continues until either Party ends it under {{ ref('svc.term.termination') }}, subject to {{ ref('services') }}."), "utf-8")
    text = _md(tmp_path, root, OWN / "services-agreement.yaml")
    assert f"ends it under Section{NBSP}6.2, subject to Article{NBSP}2 (The Services)." in text


def test_capitals_only_where_a_sentence_starts() -> None:
    def ref(prefix: str) -> Ref:
        return Ref("a.b", "agreement", "section", prefix, "7.2", "", False)

    assert sentence_capitals((ref("clause "), Text(" applies."))) == (ref("Clause "), Text(" applies."))
    assert sentence_capitals((Text("Done. "), ref("clause "))) == (Text("Done. "), ref("Clause "))
    assert sentence_capitals((Text("under "), ref("clause "))) == (Text("under "), ref("clause "))
    assert sentence_capitals((Text("see e.g."), ref("clause "))) == (Text("see e.g."), ref("clause "))
    assert sentence_capitals((ref("Section "),)) == (ref("Section "),)


def test_a_list_uses_the_house_plural(tmp_path: Path) -> None:
    root = tmp_path / "house"
    shutil.copytree(OWN / "library", root)
    liability = root / "clauses" / "liability.yaml"
    text = liability.read_text("utf-8")
    start = text.index("- id: svc.liability.exclusions")
    liability.write_text(text[:start] + text[start:].replace("  survives: true\n", "", 1), "utf-8")
    text = _md(tmp_path, root, OWN / "services-agreement.yaml", "plural")
    assert f"and clauses{NBSP}4.1 and 5.1 continue to apply." in text
    conventions = root / "conventions.yaml"
    data = yaml.safe_load(conventions.read_text("utf-8"))
    data["references"]["plurals"] = {"clause": "cls."}
    conventions.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    text = _md(tmp_path, root, OWN / "services-agreement.yaml", "own-plural")
    assert f"and cls.{NBSP}4.1 and 5.1 continue to apply." in text
