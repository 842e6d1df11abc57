"""A curated mutation check: does the test suite fail when the product breaks?

Each mutant is one small, realistic bug. The script copies the project's
files (tracked and new, as ``git ls-files`` lists them) to a temporary
folder once, then for each mutant edits the copy, runs the tests named for
it there (a fresh cache folder each time, no bytecode written), puts the file
back and prints whether the tests caught it. The working tree is never
touched. It first runs every named test on the unmutated copy, so a test that
fails anyway cannot pass for a catch.

    .venv/bin/python bench/mutants.py              # every mutant
    .venv/bin/python bench/mutants.py refs-one-higher atomic-output
    .venv/bin/python bench/mutants.py --list

Exit code 1 when any mutant survives (or breaks the tests in another way than
a failing test). Not a CI step: it takes several minutes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    name: str
    what: str
    edits: tuple[tuple[str, str, str], ...]
    """(file, text that must occur exactly once, its replacement)."""
    tests: tuple[str, ...]
    """pytest arguments: the tests that should catch it."""


MUTANTS = [
    Mutant(
        "checks-declared-differently", "a variable declared differently in two clauses is accepted",
        (("assembler/library/checks.py", "elif first.signature() != var.signature():", "elif False:"),),
        ("tests/library/test_checks_broken.py",),
    ),
    Mutant(
        "rules-escalation-timing", "the escalation_timing lint rule is not registered",
        (("assembler/library/rules.py", "@rule\ndef escalation_timing(", "def escalation_timing("),),
        ("tests/library/test_checks_broken.py",),
    ),
    Mutant(
        "refs-one-higher", "every reference is one higher than its heading",
        (("assembler/assembly/assemble.py",
          'self._target(planned.id, doc_id, "section", f"{number}.{s_index}", planned.clause.spec.title)',
          'self._target(planned.id, doc_id, "section", f"{number}.{s_index + 1}", planned.clause.spec.title)'),
         ("assembler/assembly/assemble.py",
          "                number = str(a_index)\n                if part.level_clause:",
          "                number = str(a_index + 1)\n                if part.level_clause:"),
         ("assembler/assembly/assemble.py",
          "            for s_index, part in enumerate(doc.schedules, start=1):\n                number = str(s_index)",
          "            for s_index, part in enumerate(doc.schedules, start=1):\n                number = str(s_index + 1)")),
        # only the tests that compare references with their targets' headings
        ("tests/writers/test_docx_ref_targets.py", "tests/writers/test_pdf_example.py", "tests/writers/test_docx_libreoffice.py",
         "-k", "ref_field or in_place"),
    ),
    Mutant(
        "numbering-sections", "sections after the definitions are numbered from one too many",
        (("assembler/assembly/assemble.py",
          'sections.extend(finish(p, f"{number}.{i}") for i, p in enumerate(part.clauses, start=1 + offset))',
          'sections.extend(finish(p, f"{number}.{i}") for i, p in enumerate(part.clauses, start=1 + 2 * offset))'),),
        ("tests/writers/test_docx_libreoffice.py", "tests/writers/test_pdf_example.py", "-k", "libreoffice or in_place"),
    ),
    Mutant(
        "numbering-list-restart", "a DOCX sub-list continues the previous one instead of restarting at (a)",
        (("assembler/writers/docx/numbering.py", '        el("startOverride", override, val=start)\n', ""),),
        ("tests/writers/test_docx_structure.py", "tests/writers/test_docx_libreoffice.py"),
    ),
    Mutant(
        "ref-cached-text", "a REF field caches the article number only ('7' for '7.2')",
        (("assembler/writers/docx/inlines.py",
          "runs.extend(ref_field(bookmark, ref.number, style, props))",
          "runs.extend(ref_field(bookmark, ref.number.split('.')[0], style, props))"),),
        ("tests/writers/test_docx_ref_targets.py",),
    ),
    Mutant(
        "atomic-output", "the output set is replaced file by file, not swapped in one step",
        (("assembler/base/output.py", "        elif _exchange(staging, folder):", "        elif False and _exchange(staging, folder):"),),
        ("tests/test_reliability.py", "-k", "middle_of_the_commit"),
    ),
    Mutant(
        "url-fetcher", "the PDF's URL fetcher serves a file outside templates/",
        (("assembler/writers/pdf/layout.py", "        if not real.is_relative_to(self.root):", "        if False:"),),
        ("tests/writers/test_pdf_security.py",),
    ),
    Mutant(
        "stance-selection", "a deal type's pinned position beats the deal file's own positions",
        (("assembler/assembly/plan.py",
          "    if clause.id in deal.spec.positions:\n        return deal.spec.positions[clause.id], \"set in the deal file's positions\"\n"
          "    if clause.id in deal.deal_type.positions:\n        return deal.deal_type.positions[clause.id], f\"pinned by the {deal.deal_type.id} deal type\"\n",
          "    if clause.id in deal.deal_type.positions:\n        return deal.deal_type.positions[clause.id], f\"pinned by the {deal.deal_type.id} deal type\"\n"
          "    if clause.id in deal.spec.positions:\n        return deal.spec.positions[clause.id], \"set in the deal file's positions\"\n"),),
        ("tests/assembly/test_positions.py", "tests/assembly/test_core_cases.py"),
    ),
    Mutant(
        "definitions-nested-terms", "a term used only inside another definition is left out of the definitions",
        (("assembler/assembly/assemble.py", "                    pending.setdefault(other, src)\n", ""),),
        ("tests/assembly/test_definitions.py", "tests/assembly/test_core_cases.py"),
    ),
    Mutant(
        "definitions-order", "the definitions are listed in the order they were found, not alphabetically",
        (("assembler/assembly/assemble.py",
          "return tuple(sorted(done.values(), key=lambda d: (d.term.casefold(), d.term)))",
          "return tuple(done.values())"),),
        ("tests/assembly/test_definitions.py", "tests/assembly/test_core_cases.py"),
    ),
    Mutant(
        "markdown-escaping", "deal values reach the Markdown parser unescaped (a party name becomes markup)",
        (("assembler/assembly/sandbox.py", '    return _ESCAPE.sub(r"\\\\\\1", text)\n', "    return text\n"),),
        ("tests/test_hostile.py",),
    ),
    Mutant(
        "edited-file-overwritten", "a file the user edited since the last build is overwritten without --force",
        (("assembler/base/output.py", "    if folder.is_dir() and not force:", "    if False:"),),
        ("tests/base/test_output.py",),
    ),
]


def project_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    return [name for name in listed if name and (ROOT / name).is_file()]


def copy_tree(target: Path) -> None:
    for name in project_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)


def run_tests(tree: Path, args: tuple[str, ...] | list[str], cache: Path) -> tuple[int, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DEALDRAFT_CI", "DEALDRAFT_FAULT", "PYTHONPATH")}
    env.update(DEALDRAFT_CACHE_DIR=str(cache), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=tree, env=env, capture_output=True, text=True,
    )
    lines = done.stdout.splitlines()
    summary = next((line for line in reversed(lines) if line.strip()), "").strip("= ")
    failed = next((line.split(" ", 1)[1].split(" - ")[0] for line in lines if line.startswith(("FAILED ", "ERROR "))), "")
    return done.returncode, f"{summary}; first: {failed}" if failed else summary


def apply(tree: Path, mutant: Mutant) -> dict[Path, str]:
    """Edit the copy; return the files' texts before the edits."""
    originals: dict[Path, str] = {}
    for name, old, new in mutant.edits:
        path = tree / name
        text = path.read_text("utf-8")
        originals.setdefault(path, text)
        if text.count(old) != 1:
            restore(originals)
            raise SystemExit(f"{mutant.name}: the text to change occurs {text.count(old)} times in {name}; update the mutant")
        path.write_text(text.replace(old, new), "utf-8")
    return originals


def restore(originals: dict[Path, str]) -> None:
    for path, text in originals.items():
        path.write_text(text, "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    options = parser.parse_args()
    chosen = [m for m in MUTANTS if not options.names or m.name in options.names]
    unknown = set(options.names) - {m.name for m in MUTANTS}
    if unknown:
        parser.error(f"unknown mutant(s): {', '.join(sorted(unknown))}")
    if options.list:
        for mutant in chosen:
            print(f"{mutant.name:28} {mutant.what}\n{'':28} tests: {' '.join(mutant.tests)}")
        return 0
    with tempfile.TemporaryDirectory(prefix="dealdraft-mutants-") as scratch:
        tree = Path(scratch) / "tree"
        copy_tree(tree)
        located = subprocess.run([sys.executable, "-c", "import assembler; print(assembler.__file__)"],
                                 cwd=tree, capture_output=True, text=True, check=True).stdout.strip()
        if not Path(located).is_relative_to(tree):
            raise SystemExit(f"the copy imports assembler from {located}, not from the copy")
        for mutant in chosen:  # every text to change is there before anything runs
            restore(apply(tree, mutant))
        print(f"baseline: the named tests of {len(chosen)} mutants on the unmutated tree …", flush=True)
        for mutant in chosen:
            code, summary = run_tests(tree, mutant.tests, Path(scratch) / f"cache-base-{mutant.name}")
            if code != 0:
                print(f"baseline failed for {mutant.name}: {summary}")
                return 2
        caught = 0
        for mutant in chosen:
            originals = apply(tree, mutant)
            started = time.perf_counter()
            try:
                code, summary = run_tests(tree, mutant.tests, Path(scratch) / f"cache-{mutant.name}")
            finally:
                restore(originals)
            verdict = {0: "SURVIVED", 1: "caught"}.get(code, f"ERROR (pytest exit {code})")
            caught += code == 1
            print(f"{mutant.name:28} {verdict:9} {time.perf_counter() - started:5.0f} s  {summary}", flush=True)
        print(f"{caught} of {len(chosen)} mutants caught")
    return 0 if caught == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
