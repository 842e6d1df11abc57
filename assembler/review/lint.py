"""``dealdraft lint``: problems of a clause library, with severities.

Beyond what loading checks, lint compiles every template, checks literal
``ref``/``term`` targets, finds unused terms, variables and clauses, applies
the drafting consistency rules, and builds every deal type in every stance
(with and without its optional clauses) to catch what only rendering shows.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial
from typing import Any

from assembler.assembly.assemble import assemble
from assembler.assembly.options import BuildOptions
from assembler.assembly.plan import make_plan
from assembler.assembly.render import Renderer
from assembler.base.errors import DealdraftError, Problem
from assembler.base.parallel import fork_pool
from assembler.deal.load import parse_deal
from assembler.deal.scaffold import sample_deal
from assembler.library import cache
from assembler.library.model import Library, outline_entries
from assembler.library.rules import consistency_rules
from assembler.library.schema import STANCES, DocumentSpec
from assembler.library.yamlio import LineDict

_REF = re.compile(r"""\bref\(\s*['"]([^'"]+)['"]""")
_TERM = re.compile(r"""\bterm\(\s*['"]([^'"]+)['"]""")
_WORD = re.compile(r"\w+")
"""A variable is read where its name is a whole word of the text."""


def _texts(clause: Any) -> list[tuple[str, str]]:
    spec = clause.spec
    texts = [(f"positions.{name}.text", pos.text) for name, pos in spec.positions.items()]
    texts += [(f"defines.{term}", text) for term, text in spec.defines.items()]
    return texts


def lint_library(library: Library) -> list[Problem]:
    """Every problem of the library, errors first.

    The result is cached by the library's content fingerprint (every file's
    path and bytes, see ``cache.py``): linting an unchanged library again
    costs only loading it.
    """
    key = cache.content_key([("lint", library.fingerprint.encode())], salt="|".join(library.roots))
    cached = cache.read("lint", key)
    if isinstance(cached, list) and all(isinstance(p, Problem) for p in cached):
        return cached
    problems = _lint(library)
    cache.write("lint", key, problems)
    return problems


def _lint(library: Library) -> list[Problem]:
    problems: list[Problem] = list(library.problems)
    renderer = Renderer()
    # The builds (most of the work) start first, in forked workers; the
    # checks below run here meanwhile.
    variants = [] if library.errors() else _variants(library)
    build = partial(_build_variant, library, renderer)
    with fork_pool(build, variants, weight=lambda variant: variant[3]) as built:
        problems += _check_texts(library, renderer)
        problems += _reachability(library)
        problems += consistency_rules(library)
        problems += [problem for found in built() for problem in found]
    return _dedupe(problems)


def _check_texts(library: Library, renderer: Renderer) -> list[Problem]:
    """Template syntax, literal ref/term targets, unused terms and variables."""
    problems: list[Problem] = []
    used_terms: set[str] = set()
    article_ids = _article_ids(library)
    for clause_id, clause in sorted(library.clauses.items()):
        spec = clause.spec
        where = dict(path=clause.path, line=clause.line, clause=clause_id)
        all_text = ""
        for field, text in _texts(clause):
            all_text += text + "\n"
            error = renderer.check_syntax((clause_id, field), text)
            if error:
                problems.append(Problem(error, field=field, **where))
            for target in _REF.findall(text):
                if target not in library.clauses and target not in article_ids and target != "definitions":
                    problems.append(Problem(f"ref('{target}'): no clause has that id", field=field, **where))
            for term in _TERM.findall(text):
                used_terms.add(term)
                if term not in library.terms:
                    problems.append(Problem(f"term('{term}') is not defined by any clause", field=field, **where))
            if "business_days(" in text:
                used_terms.add("Business Day")
        if not spec.summary.strip():
            problems.append(Problem("clause has no summary", field="summary", severity="warning", **where))
        for name, position in spec.positions.items():
            if not position.rationale.strip():
                problems.append(Problem("position has no rationale", field=f"positions.{name}.rationale", severity="warning", **where))
        words = set(_WORD.findall(all_text))
        for name in spec.variables:
            if name not in words and not _used_in_when(spec, name):
                problems.append(Problem("variable is declared but no text reads it", field=f"variables.{name}", severity="warning", **where))
    for term, owner in sorted(library.terms.items()):
        if term not in used_terms:
            clause = library.clauses[owner]
            problems.append(
                Problem(f"defined term {term!r} is never used", clause.path, clause.line, owner, f"defines.{term}", "warning")
            )
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


def _deal_yaml(data: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


_DEAL_CHOICE_FIELDS = ("requires", "excludes")


def _variants(library: Library) -> list[tuple[str, str, str | None, int]]:
    """The builds that lint makes: each deal type in each stance, then with
    each optional clause, as (deal type, stance, extra clause, size).

    With an optional clause, problems that depend on the deal's other choices
    (requires, excludes, required values) are left to the deal; what remains
    (dangling references, undefined terms, template errors) is the clause's.
    """
    variants: list[tuple[str, str, str | None, int]] = []
    for type_id, sourced in sorted(library.deal_types.items()):
        entries = [e for spec in sourced.spec.documents for e in outline_entries(library.document_spec(spec))]
        optional = sorted({cid for _w, cid, opt in entries if opt})
        variants += [(type_id, stance, None, len(entries)) for stance in STANCES]
        variants += [(type_id, "balanced", cid, len(entries)) for cid in optional]
    return variants


def _build_variant(library: Library, renderer: Renderer, variant: tuple[str, str, str | None, int]) -> list[Problem]:
    type_id, stance, extra, _size = variant
    sourced = library.deal_types[type_id]
    data = sample_deal(library, sourced.spec, stance)
    data["include"] = [extra] if extra else []
    label = f"{type_id} deal, stance {stance}" + (f", with {extra}" if extra else "")
    problems: list[Problem] = []
    try:
        deal = parse_deal(_deal_yaml(data), library, f"<{label}>")
        plan = make_plan(deal, library, renderer)
        assemble(plan, library, renderer, BuildOptions())
    except DealdraftError as exc:
        for problem in exc.problems:
            if extra and (problem.field in _DEAL_CHOICE_FIELDS or problem.message.startswith("a value is required")):
                continue
            clause = library.clauses.get(problem.clause)
            if clause is not None:
                problem = replace(problem, path=clause.path, line=clause.line)
            problems.append(replace(problem, message=f"{problem.message} (building a {label})"))
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    result: list[Problem] = []
    for problem in problems:
        key = (problem.path, problem.line, problem.clause, problem.field, re.sub(r" \(building a .*\)$", "", problem.message))
        if key in seen:
            continue
        seen.add(key)
        result.append(problem)
    return sorted(result, key=lambda p: (p.severity != "error", p.path, p.line or 0, p.clause, p.field))


__all__ = ["LineDict", "lint_library"]
