"""``dealdraft lint``: problems of a clause library, with severities.

Beyond what loading checks, lint compiles every template, checks literal
``ref``/``term`` targets, finds unused terms, variables and clauses, applies
the drafting consistency rules, and builds every deal type in every stance
(with and without its optional clauses) to catch what only rendering shows.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import partial
from typing import Any, TypedDict

from jinja2 import nodes

from assembler.assembly.build_helpers import BUILD_HELPERS
from assembler.assembly.dialect import dialect_problems
from assembler.assembly.render import Helpers, Renderer
from assembler.base.errors import Problem
from assembler.base.parallel import fork_map, fork_pool
from assembler.library import cache
from assembler.library.deal_type_schema import DocumentSpec
from assembler.library.declarations import definition_of
from assembler.library.model import Library, outline_entries
from assembler.library.rules import consistency_rules
from assembler.library.validation import closest
from assembler.library.yamlio import LineDict

from .lint_builds import build_variant, coverage_variants, first_variants

_REF = re.compile(r"""\bref\(\s*['"]([^'"]+)['"]""")
_TERM = re.compile(r"""\bterm\(\s*['"]([^'"]+)['"]""")
_ITEM_REF = re.compile(r"""\bref\(\s*['"]([^'"]+)['"]\s*,\s*item\s*=\s*['"]([^'"]+)['"]""")
_DEFINE = re.compile(r"""\bdefine\(\s*['"]([^'"]+)['"]""")
_WORD = re.compile(r"\w+")
"""A variable is read where its name is a whole word of the text."""


def _texts(clause: Any) -> list[tuple[str, str]]:
    spec = clause.spec
    texts = [(f"positions.{name}.text", pos.text) for name, pos in spec.positions.items()]
    texts += [(f"defines.{term}", definition_of(entry).means or "") for term, entry in spec.defines.items()]
    return texts


def lint_library(library: Library, deal_types: Collection[str] | None = None) -> list[Problem]:
    """Every problem of the library, errors first.

    ``deal_types`` limits the builds to those deal types (all by default;
    the checks that need no build always run). The result is cached by the
    library's content fingerprint (every file's path and bytes, see
    ``cache.py``): linting an unchanged library again costs only loading it.
    """
    only = None if deal_types is None else sorted(deal_types)
    key = cache.content_key([("lint", library.fingerprint.encode())], salt="|".join(library.roots) + f"|{only}")
    cached = cache.read("lint", key)
    if isinstance(cached, list) and all(isinstance(p, Problem) for p in cached):
        return cached
    problems = _lint(library, only)
    cache.write("lint", key, problems)
    return problems


def _lint(library: Library, only: list[str] | None) -> list[Problem]:
    problems: list[Problem] = list(library.problems)
    renderer = Renderer()
    # The builds (most of the work) start first, in forked workers; the
    # checks below run here meanwhile.
    variants = [] if library.errors() else first_variants(library, renderer, only)
    build = partial(build_variant, library, renderer)
    with fork_pool(build, variants, weight=lambda variant: variant.size) as built:
        problems += _check_texts(library, renderer)
        problems += _reachability(library)
        problems += consistency_rules(library)
        results = built()
    problems += [problem for found in results for problem in found.problems]
    # Then the positions no build rendered yet, each in a build that includes its clause.
    extra, unreachable = coverage_variants(library, variants, results, only) if variants else ([], [])
    problems += unreachable
    problems += [problem for found in fork_map(build, extra, weight=lambda variant: variant.size) for problem in found.problems]
    return _dedupe(problems)


class _Where(TypedDict):
    """Where a clause's problems are: its file, line and id."""

    path: str
    line: int | None
    clause: str


def _check_texts(library: Library, renderer: Renderer) -> list[Problem]:
    """Template syntax, literal ref/term targets, unused terms and variables."""
    problems: list[Problem] = []
    used_terms: set[str] = set()
    article_ids = _article_ids(library)
    for clause_id, clause in sorted(library.clauses.items()):
        spec = clause.spec
        where = _Where(path=clause.path, line=clause.line, clause=clause_id)
        all_text = ""
        for field, text in _texts(clause):
            all_text += text + "\n"
            error = renderer.check_syntax((clause_id, field), text)
            if error:
                problems.append(Problem(error, field=field, **where))
            else:
                problems += _unknown_names(library, renderer, text, field, where)
            for construct in dialect_problems(text):
                problems.append(Problem(f"not part of clause text: {construct}", field=field, **where))
            for target in _REF.findall(text):
                if target not in library.clauses and target not in library.invalid and target not in article_ids and target != "definitions":
                    problems.append(Problem(f"ref('{target}'): no clause has that id", field=field, **where))
            for target, item in _ITEM_REF.findall(text):
                clause_texts = [p.text for p in library.clauses[target].spec.positions.values()] if target in library.clauses else []
                if clause_texts and not any(re.search(rf"^\s*(?:\d+[.)]|[-*+])\s+\[#{re.escape(item)}\]", t, re.M) for t in clause_texts):
                    problems.append(Problem(f"ref('{target}', item='{item}'): no position of clause {target} has a list item [#{item}]", field=field, **where))
            for term in _TERM.findall(text):
                used_terms.add(term)
                if term not in library.terms:
                    problems.append(Problem(f"term('{term}') is not defined by any clause", field=field, **where))
            if "business_days(" in text:
                used_terms.add("Business Day")
        problems += _check_inline_terms(clause)
        if not spec.summary.strip():
            problems.append(Problem("clause has no summary", field="summary", severity="warning", **where))
        for name, position in spec.positions.items():
            if not position.rationale.strip():
                problems.append(Problem("position has no rationale", field=f"positions.{name}.rationale", severity="warning", **where))
        words = set(_WORD.findall(all_text))
        for name in spec.variables:
            if name not in words and not _used_in_when(spec, name):
                problems.append(Problem("variable is declared but no text reads it", field=f"variables.{name}", severity="warning", **where))
    used_terms |= {library.aliases[t] for t in used_terms if t in library.aliases}
    for term, owner in sorted(library.terms.items()):
        if term in library.aliases:
            continue  # another name of a term: the term's own use counts
        entry = library.clauses[owner].spec.defines.get(term)
        if term not in used_terms and not (entry is not None and definition_of(entry).keep):
            clause = library.clauses[owner]
            problems.append(
                Problem(f"defined term {term!r} is never used", clause.path, clause.line, owner, f"defines.{term}", "warning")
            )
    return problems


def _context_names() -> frozenset[str]:
    """Names clause text may read besides the deal's variables."""
    helpers = Helpers([], "USD", "england_wales").functions()
    return frozenset({*helpers, *BUILD_HELPERS, "deal", "range", "namespace", "loop"})


def _unknown_names(library: Library, renderer: Renderer, text: str, field: str, where: _Where) -> list[Problem]:
    """A name the text reads that no clause declares: a typo'd variable.

    Checked on the template, so a name in a branch that no build takes is
    found too."""
    try:
        tree = renderer.env.parse(text)
    except Exception:  # a syntax error is reported by check_syntax
        return []
    # Names the text sets anywhere ({% set %}, loop and macro variables) are
    # its own, also when set in only one branch.
    found = list(tree.find_all(nodes.Name))
    stored = {node.name for node in found if node.ctx in ("store", "param")}
    names = {node.name for node in found if node.ctx == "load"} - stored
    known = _context_names()
    position = field.split(".")[1] if field.startswith("positions.") else ""
    return [
        Problem(
            f"reads variable {name!r}" + (f" in its {position} position" if position else "")
            + ", which no clause declares" + closest(name, library.variables),
            field=field, **where,
        )
        for name in sorted(names)
        if name not in known and name not in library.variables
    ]


def _check_inline_terms(clause: Any) -> list[Problem]:
    """A term defined inline is defined by every position's text, with define()."""
    spec = clause.spec
    where = _Where(path=clause.path, line=clause.line, clause=spec.id)
    problems: list[Problem] = []
    inline = {term for term, entry in spec.defines.items() if definition_of(entry).inline}
    for name, position in spec.positions.items():
        field = f"positions.{name}.text"
        defined = set(_DEFINE.findall(position.text))
        for term in sorted(inline - defined):
            problems.append(Problem(f"the text never defines {term!r} (inline: true): write {{{{ define('{term}') }}}} where it is defined", field=field, **where))
        for term in sorted(defined - inline):
            problems.append(Problem(f"define('{term}'): the clause does not define {term!r} inline (defines: {{{term}: {{inline: true}}}})", field=field, **where))
    return problems


def _used_in_when(spec: Any, name: str) -> bool:
    return bool(spec.when and re.search(rf"\b{re.escape(name)}\b", spec.when))


def _article_ids(library: Library) -> set[str]:
    """The ids of every article and schedule of every deal type's outlines."""
    return {
        article.id
        for sourced in library.deal_types.values()
        for doc in library.documents_of(sourced.spec)
        for article in (*doc.articles, *doc.schedules)
        if article.id
    }


def _reachability(library: Library) -> list[Problem]:
    problems: list[Problem] = []
    reachable: set[str] = set()
    for type_id, sourced in sorted(library.deal_types.items()):
        for entry in sourced.spec.documents:
            if not isinstance(entry, DocumentSpec) and entry.use not in library.documents:
                continue
            doc = library.document_spec(entry)
            shared = not isinstance(entry, DocumentSpec)
            for where, clause_id, _optional in outline_entries(doc):
                clause = library.clauses.get(clause_id)
                if clause is None:
                    continue
                if clause.spec.applies_to(type_id):
                    reachable.add(clause_id)
                elif not shared:
                    problems.append(
                        Problem(
                            f"the {type_id} outline uses this clause, but its deal_types do not include {type_id}",
                            sourced.path, sourced.line, clause_id, f"documents.{doc.id}.{where}",
                        )
                    )
    for clause_id, clause in sorted(library.clauses.items()):
        if clause_id not in reachable:
            problems.append(
                Problem("clause is not used by any deal type's outline", clause.path, clause.line, clause_id, "id", "warning")
            )
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    result: list[Problem] = []
    for problem in problems:
        key = (problem.path, problem.line, problem.clause, problem.field, re.sub(r" \(building an? .*\)$", "", problem.message))
        if key in seen:
            continue
        seen.add(key)
        result.append(problem)
    return sorted(result, key=lambda p: (p.severity != "error", p.path, p.line or 0, p.clause, p.field))


__all__ = ["LineDict", "lint_library"]
