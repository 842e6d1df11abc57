"""Stage 2: load and check a deal file against the library.

Every problem of the file is collected, then raised together as one
:class:`~assembler.errors.InputError`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assembler.base.errors import InputError, Problem
from assembler.deal.schema import DealFile, GoverningLawSpec
from assembler.library.deal_type_schema import DealTypeSpec
from assembler.library.fields import NAME
from assembler.library.model import Library, outline_entries
from assembler.library.schema import GOVERNING_LAWS
from assembler.library.validation import closest, short, validate
from assembler.library.values import ValueContext, ValueProblem, coerce
from assembler.library.yamlio import LineDict, loads, read_text

MAX_DEAL_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Deal:
    """A checked deal: the file's content, its deal type and typed terms."""

    spec: DealFile
    path: str
    sha256: str
    deal_type: DealTypeSpec
    terms: dict[str, Any]
    """The deal's own values, checked against their variables."""
    term_lines: dict[str, int]
    law_text: str = ""
    """The governing law as ``law()`` reads it ("the laws of England and Wales")."""

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(p.role for p in self.spec.parties)


def load_deal(path: Path | str, library: Library, *, display: str | None = None, stance: str | None = None) -> Deal:
    """Read, parse and check a deal file; ``stance`` overrides the file's."""
    path = Path(path)
    name = display or str(path)
    text = read_text(path, name, limit=MAX_DEAL_BYTES)
    return parse_deal(text, library, name, stance=stance)


def parse_deal(text: str, library: Library, name: str, *, stance: str | None = None) -> Deal:
    """Check a deal given as YAML text; ``name`` names it in errors.

    ``stance`` (``build --stance``) replaces the stance the file gives."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    data = loads(text, name)
    if not isinstance(data, LineDict):  # every mapping the loader reads is one
        raise InputError([Problem("a deal file must be a mapping (deal_type, parties, terms …)", name, 1)])
    spec, problems = validate(DealFile, data, path=name)
    deal_type_id = data.get("deal_type")
    deal_type = library.deal_types.get(deal_type_id) if isinstance(deal_type_id, str) else None
    if isinstance(deal_type_id, str) and deal_type is None:
        problems.append(
            Problem(
                f"unknown deal type {deal_type_id!r}" + closest(deal_type_id, library.deal_types)
                + f"; known: {', '.join(sorted(library.deal_types))}",
                name,
                data.line_of("deal_type"),
                field="deal_type",
            )
        )
    if deal_type is None:
        raise InputError(_sorted(problems))
    dt_spec: DealTypeSpec = deal_type.spec
    # a stance that is not a name at all: say which stances there are
    problems = [
        replace(p, message=_not_a_stance(data.get("stance"), dt_spec.stance_names())) if p.field == "stance" else p
        for p in problems
    ]
    if spec is not None:
        problems += _check_parties(spec, dt_spec, data, name)
        spec, stance_problems = _choose_stance(spec, dt_spec, data, name, stance)
        problems += stance_problems
        spec, law_text, law_problems = _governing_law(spec, library, data, name)
        problems += law_problems
    # terms and clause choices are checked even when other fields are wrong,
    # so that one run reports every problem of the file
    problems += _check_clause_choices(_raw_choices(data), dt_spec, library, data, name)
    terms, term_problems = _check_terms(data, library, name)
    problems += term_problems
    if problems or spec is None:
        raise InputError(_sorted(problems))
    term_data = data.get("terms")
    lines = {k: term_data.line_of(k) for k in term_data} if isinstance(term_data, LineDict) else {}
    return Deal(spec, name, sha, dt_spec, terms, lines, law_text)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.field))


def _line(data: LineDict, *keys: Any) -> int | None:
    current: Any = data
    line = data.line
    for key in keys:
        if isinstance(current, LineDict) and key in current:
            line = current.line_of(key)
            current = current[key]
        elif isinstance(current, list) and isinstance(key, int) and key < len(current):
            line = current.line_of(key) if hasattr(current, "line_of") else line
            current = current[key]
        else:
            break
    return line


def _check_parties(spec: DealFile, deal_type: DealTypeSpec, data: LineDict, name: str) -> list[Problem]:
    problems: list[Problem] = []
    rules = deal_type.parties
    count = len(spec.parties)
    if count < rules.min or count > rules.max:
        wanted = f"{rules.min}" if rules.min == rules.max else f"{rules.min} to {rules.max}"
        problems.append(
            Problem(f"a {deal_type.id} deal has {wanted} parties (found {count})", name, _line(data, "parties"), field="parties")
        )
    for index, party in enumerate(spec.parties):
        if party.role not in rules.roles:
            problems.append(
                Problem(
                    f"role {party.role!r} is not a role of a {deal_type.id} deal ({', '.join(rules.roles)})"
                    + closest(party.role, rules.roles),
                    name,
                    _line(data, "parties", index, "role"),
                    field=f"parties[{index}].role",
                )
            )
    roles = [p.role for p in spec.parties]
    for role, (low, high) in rules.bounds().items():
        found = roles.count(role)
        message = ""
        if low == high and found != low and count <= rules.max:
            message = f"needs exactly {_parties(low)} with role {role!r} (found {found})"
        elif found < low:
            message = f"needs at least {_parties(low)} with role {role!r}"
        elif found > high:
            message = f"takes at most {_parties(high)} with role {role!r} (found {found})"
        if message:
            problems.append(Problem(message, name, _line(data, "parties"), field="parties"))
    seen: dict[str, int] = {}
    for index, party in enumerate(spec.parties):
        key = party.short_name.casefold()
        if key in seen:
            problems.append(
                Problem(f"short name {party.short_name!r} is also used by parties[{seen[key]}]", name, _line(data, "parties", index, "short_name"), field=f"parties[{index}].short_name")
            )
        seen.setdefault(key, index)
    return problems


def _governing_law(spec: DealFile, library: Library, data: LineDict, name: str) -> tuple[DealFile, str, list[Problem]]:
    """(the file with ``governing_law`` as the id conditions compare, the law's text, problems)."""
    known = {**GOVERNING_LAWS, **{law_id: law.text for law_id, law in library.conventions.laws.items()}}
    value = spec.governing_law
    if isinstance(value, GoverningLawSpec):
        return spec.model_copy(update={"governing_law": value.id or value.text}), value.text, []
    if re.fullmatch(NAME, value):
        if value in known:
            return spec, known[value], []
        listed = ", ".join(repr(k) for k in list(known)[:-1]) + f" or {list(known)[-1]!r}"
        message = f"{value!r} is not one of {listed}" + closest(value, known) + "; for another law, write it out (governing_law: the laws of …)"
        return spec, "", [Problem(message, name, _line(data, "governing_law"), field="governing_law")]
    return spec, value, []


def _not_a_stance(value: Any, names: tuple[str, ...]) -> str:
    listed = ", ".join(repr(n) for n in names[:-1]) + f" or {names[-1]!r}" if len(names) > 1 else repr(names[0])
    return f"{short(value)} is not one of {listed}" + (closest(value[:100], names) if isinstance(value, str) else "")


def _parties(count: int) -> str:
    words = {1: "one party", 2: "two parties", 3: "three parties"}
    return words.get(count, f"{count} parties")


def _choose_stance(spec: DealFile, deal_type: DealTypeSpec, data: LineDict, name: str, override: str | None) -> tuple[DealFile, list[Problem]]:
    """The deal's stance: ``--stance``, else the file's, else the deal type's default."""
    names = deal_type.stance_names()
    given = override if override is not None else spec.stance if "stance" in spec.model_fields_set else None
    if given is None:
        chosen = deal_type.stance_default()
        return (spec if chosen == spec.stance else spec.model_copy(update={"stance": chosen})), []
    if given not in names:
        where = (None, "--stance") if override is not None else (_line(data, "stance"), "stance")
        return spec, [Problem(_not_a_stance(given, names), name, where[0], field=where[1])]
    return (spec if given == spec.stance else spec.model_copy(update={"stance": given})), []


@dataclass(frozen=True, slots=True)
class _Choices:
    positions: dict[str, str]
    include: list[str]
    exclude: list[str]


def _raw_choices(data: LineDict) -> _Choices:
    """positions / include / exclude as given, keeping only well-formed entries
    (malformed ones are already reported by schema validation)."""
    positions = data.get("positions")
    positions = {k: v for k, v in positions.items() if isinstance(v, str)} if isinstance(positions, dict) else {}
    lists = {}
    for key in ("include", "exclude"):
        value = data.get(key)
        lists[key] = [v if isinstance(v, str) else "" for v in value] if isinstance(value, list) else []
    return _Choices(positions, lists["include"], lists["exclude"])


def _check_clause_choices(spec: _Choices, deal_type: DealTypeSpec, library: Library, data: LineDict, name: str) -> list[Problem]:
    problems: list[Problem] = []
    outline: dict[str, bool] = {}
    for entry in deal_type.documents:
        for _where, clause_id, optional in outline_entries(library.document_spec(entry)):
            outline[clause_id] = outline.get(clause_id, False) or optional
    for clause_id, position in spec.positions.items():
        line = _line(data, "positions", clause_id)
        field = f"positions.{clause_id}"
        clause = library.clauses.get(clause_id)
        if clause is None:
            problems.append(Problem("unknown clause" + closest(clause_id, library.clauses), name, line, clause_id, field))
        elif position not in clause.spec.positions:
            problems.append(
                Problem(
                    f"unknown position {position!r}; this clause has {', '.join(clause.spec.positions)}" + closest(position, clause.spec.positions),
                    name, line, clause_id, field,
                )
            )
        elif clause_id not in outline:
            problems.append(Problem(f"clause is not part of a {deal_type.id} deal", name, line, clause_id, field))
    problems += _check_overrides(data, outline, library, deal_type.id, name)
    for key in ("include", "exclude"):
        for index, clause_id in enumerate(getattr(spec, key)):
            if not clause_id:
                continue
            line = _line(data, key, index)
            field = f"{key}[{index}]"
            if clause_id not in library.clauses:
                problems.append(Problem("unknown clause" + closest(clause_id, library.clauses), name, line, clause_id, field))
            elif clause_id not in outline:
                optional_ids = sorted(c for c, o in outline.items() if o)
                hint = f"; optional clauses of a {deal_type.id} deal: {', '.join(optional_ids)}" if optional_ids and key == "include" else ""
                problems.append(Problem(f"clause is not in the outline of a {deal_type.id} deal{hint}", name, line, clause_id, field))
            elif key == "include" and clause_id in spec.exclude:
                problems.append(Problem("clause is both included and excluded", name, line, clause_id, field))
    return problems


def _check_overrides(data: LineDict, outline: dict[str, bool], library: Library, deal_type: str, name: str) -> list[Problem]:
    """Override keys are clauses of the outline, or clauses of this deal only
    (with a title, a text and a place); places name clauses of the deal."""
    overrides = data.get("overrides")
    if not isinstance(overrides, dict):
        return []
    problems: list[Problem] = []
    known = set(outline) | {k for k in overrides if isinstance(k, str)}
    for clause_id, override in overrides.items():
        if not isinstance(clause_id, str) or not isinstance(override, dict):
            continue  # reported by schema validation
        line, field = _line(data, "overrides", clause_id), f"overrides.{clause_id}"
        if clause_id in library.clauses and clause_id not in outline:
            problems.append(Problem(f"clause is not part of a {deal_type} deal", name, line, clause_id, field))
        elif clause_id not in library.clauses and not (override.get("title") and override.get("text") and (override.get("after") or override.get("before"))):
            problems.append(Problem("unknown clause" + closest(clause_id, library.clauses)
                                    + "; a clause of this deal only needs a title, a text and 'after' or 'before'", name, line, clause_id, field))
        for key in ("after", "before"):
            target = override.get(key)
            if isinstance(target, str) and (target not in known or target == clause_id):
                problems.append(Problem(f"{key}: {target!r} is not a clause of this deal" + closest(target, known), name,
                                        _line(data, "overrides", clause_id, key), clause_id, f"{field}.{key}"))
    return problems


def _check_terms(data: LineDict, library: Library, name: str) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    terms: dict[str, Any] = {}
    raw_terms = data.get("terms")
    if not isinstance(raw_terms, dict):
        return terms, problems  # reported by schema validation
    currency = data.get("currency")
    parties = data.get("parties")
    roles = tuple(p["role"] for p in parties if isinstance(p, dict) and isinstance(p.get("role"), str)) if isinstance(parties, list) else ()
    ctx = ValueContext(currency=currency if isinstance(currency, str) and len(currency) == 3 else "USD", roles=roles)
    for key, value in raw_terms.items():
        line = _line(data, "terms", key)
        var = library.variables.get(key)
        if var is None:
            problems.append(Problem("unknown variable" + closest(key, library.variables), name, line, field=f"terms.{key}"))
            continue
        try:
            terms[key] = coerce(var, value, ctx)
        except ValueProblem as exc:
            field = f"terms.{key}" + (exc.field if exc.field.startswith("[") else f".{exc.field}" if exc.field else "")
            problems.append(Problem(str(exc), name, line, field=field))
    return terms, problems
