"""Write a generated clause library (and a deal per deal type) for the scale benchmarks.

    python bench/gen_library.py OUT [--clauses 10000] [--deal-types 100,1000,10000]

OUT/library/ gets the clauses (100 per file, one file per family), one deal
type ``gen_<k>`` per size k whose agreement uses the first k clauses, and
OUT/deals/gen_<k>.yaml a deal of each. Every clause reads its own variable,
refers to the previous clause, uses its family's defined term and has three
positions, so loading, linting and building exercise the real work.
The library lints without errors: ``dealdraft lint --no-builtin --library OUT/library``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PER_FILE = 100
PER_ARTICLE = 20

DEAL = """\
deal_type: {type_id}
parties:
  - role: pharma
    legal_name: Nordhaven Pharmaceuticals AG
    short_name: Nordhaven
    entity_type: a company incorporated under the laws of Switzerland
    address: Rheinweg 12, 4058 Basel, Switzerland
  - role: partner
    legal_name: Helixa Bio Ltd
    short_name: Helixa
    entity_type: a company incorporated in England and Wales
    address: 40 Station Road, Cambridge CB1 2JH, United Kingdom
effective_date: 2027-01-04
stance: {stance}
terms: {{}}
"""


def clause_id(index: int) -> str:
    return f"gen.f{index // PER_FILE:03d}.c{index:05d}"


def term_name(index: int) -> str:
    return f"Generated Term {index // PER_FILE}"


def clause_yaml(index: int) -> str:
    var = f"gen_c{index:05d}_days"
    ref = f" subject to {{{{ ref('{clause_id(index - 1)}') }}}}," if index % PER_FILE else ""
    defines = ""
    if index % PER_FILE == 0:
        defines = f"  defines:\n    {term_name(index)}: a matter that the Parties describe in {{{{ ref('{clause_id(index)}') }}}}\n"
    body = f"{{{{ party('pharma') }}}} shall give {{{{ party('partner') }}}} notice of each {{{{ term('{term_name(index)}') }}}} within"
    positions = "".join(
        f"    {stance}:\n"
        f"      rationale: The {stance} variant of generated clause {index}.\n"
        + (f"      defaults: {{{var}: {days}}}\n" if stance != "balanced" else "")
        + f"      text: |\n        {body} {{{{ days({var}) }}}},{ref} {tail}.\n"
        for stance, days, tail in (
            ("pharma", 60, "and may extend that period once"),
            ("balanced", 0, "and the Parties may agree a longer period"),
            ("partner", 15, "and may not extend that period"),
        )
    )
    return (
        f"- id: {clause_id(index)}\n"
        f"  title: Generated Clause {index}\n"
        f"  summary: Notice period number {index}.\n"
        f"  version: 1.0.{index % 7}\n"
        f"  deal_types: all\n"
        f"  variables:\n"
        f"    {var}: {{type: days, default: 30, min: 1, max: 365, description: Notice period of generated clause {index}.}}\n"
        f"{defines}"
        f"  positions:\n{positions}"
    )


def deal_type_yaml(size: int) -> str:
    lines = [
        f"id: gen_{size}",
        f"name: Generated Deal Type of {size} Clauses",
        f"summary: The first {size} generated clauses.",
        "parties: {roles: [pharma, partner], min: 2, max: 2}",
        "documents:",
        "  - id: agreement",
        f"    title: Generated Agreement of {size} Clauses",
        "    kind: agreement",
        "    ref_name: the Agreement",
        "    articles:",
    ]
    for start in range(0, size, PER_ARTICLE):
        lines.append(f"      - title: Generated Article {start // PER_ARTICLE + 1}")
        if start == 0:
            lines.append("        definitions: true")
        lines.append("        clauses:")
        lines += [f"          - {clause_id(i)}" for i in range(start, min(start + PER_ARTICLE, size))]
    return "\n".join(lines) + "\n"


def write_library(out: Path, clauses: int, sizes: list[int], stance: str = "balanced") -> tuple[Path, list[Path]]:
    """Write OUT/library and OUT/deals; return the library folder and the deal files."""
    library = out / "library"
    (library / "deal-types").mkdir(parents=True, exist_ok=True)
    (library / "gen").mkdir(exist_ok=True)
    (out / "deals").mkdir(exist_ok=True)
    for start in range(0, clauses, PER_FILE):
        text = "".join(clause_yaml(i) for i in range(start, min(start + PER_FILE, clauses)))
        (library / "gen" / f"f{start // PER_FILE:03d}.yaml").write_text(text, "utf-8")
    deals = []
    for size in sizes:
        if size > clauses:
            raise SystemExit(f"gen_library: a deal type of {size} clauses needs --clauses {size} or more")
        (library / "deal-types" / f"gen_{size}.yaml").write_text(deal_type_yaml(size), "utf-8")
        deal = out / "deals" / f"gen_{size}.yaml"
        deal.write_text(DEAL.format(type_id=f"gen_{size}", stance=stance), "utf-8")
        deals.append(deal)
    return library, deals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--clauses", type=int, default=10_000)
    parser.add_argument("--deal-types", default="100,1000,10000", help="Comma-separated sizes (clauses per deal type).")
    args = parser.parse_args()
    sizes = [int(s) for s in args.deal_types.split(",") if s.strip()]
    library, deals = write_library(args.out, args.clauses, sizes)
    print(f"wrote {args.clauses} clauses to {library} and {len(deals)} deal(s) to {args.out / 'deals'}")


if __name__ == "__main__":
    main()
