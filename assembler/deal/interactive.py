"""``dealdraft new --interactive``: a deal file from answers to questions.

Asks for the stance, each party, the governing law, currency and effective
date, then each variable of the deal type with its description, default and
bounds. Every answer is checked as it is given (with the same checks a build
applies) and asked again with the reason when it does not fit. The questions
go through an injected ``ask`` (the CLI passes ``click.prompt``), so tests and
other front ends can drive them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from assembler.base.errors import InputError, Problem
from assembler.library.deal_type_schema import DealTypeSpec
from assembler.library.model import Library, outline_entries
from assembler.library.schema import GOVERNING_LAWS, VariableSpec
from assembler.library.validation import closest
from assembler.library.values import ValueContext, ValueProblem, coerce
from assembler.library.yamlio import loads, plain

from .scaffold import _describe, _value_yaml, deal_type_variables

T = TypeVar("T")
_TEXT_TYPES = ("string", "text", "choice", "party")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LINE = VariableSpec(type="string")
_MAX_ATTEMPTS = 10


class Ask(Protocol):
    """Ask one question; return the answer (``default`` when the user just presses Enter).

    ``default`` None means there is no default (``click.prompt`` then insists on an answer).
    """

    def __call__(self, text: str, *, default: str | None, show_default: bool) -> Any: ...


Tell = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class _Term:
    name: str
    var: VariableSpec
    clause_id: str
    value: Any
    """The answer as plain YAML data; None leaves the variable blank."""


class _Questions:
    """Asks until an answer passes its check, telling the reason each time it does not."""

    def __init__(self, ask: Ask, tell: Tell) -> None:
        self.ask = ask
        self.tell = tell

    def until_valid(self, text: str, default: str | None, check: Callable[[str], T]) -> T:
        for _attempt in range(_MAX_ATTEMPTS):
            answer = self.ask(text, default=default, show_default=bool(default))
            try:
                return check("" if answer is None else str(answer).strip())
            except ValueProblem as exc:
                self.tell(f"  {exc.field + ': ' if exc.field else ''}{exc}")
        # answers piped from a script that never fit: stop instead of asking forever
        raise InputError([Problem(f"no valid answer after {_MAX_ATTEMPTS} tries", field=text.strip())])

    def choice(self, text: str, choices: Sequence[str], default: str) -> str:
        def check(answer: str) -> str:
            answer = answer or default
            if answer not in choices:
                raise ValueProblem(f"{answer!r} is not one of {', '.join(choices)}" + closest(answer, choices))
            return answer

        return self.until_valid(f"{text} ({', '.join(choices)})", default, check)

    def line(self, text: str, default: str | None = None) -> str:
        return self.until_valid(text, default, lambda answer: str(coerce(_LINE, answer, ValueContext())))


def _short_name(legal_name: str) -> str:
    first = legal_name.split()[0] if legal_name.split() else legal_name
    return first.strip(",.;:") or legal_name


def _parties(q: _Questions, deal_type: DealTypeSpec) -> list[dict[str, str]]:
    rules = deal_type.parties
    roles = list(rules.roles)
    count = rules.min
    if rules.max > rules.min:
        default = max(rules.min, min(len(roles), rules.max))

        def check_count(answer: str) -> int:
            return int(coerce(VariableSpec(type="integer", min=rules.min, max=rules.max), _parse(answer or str(default)), ValueContext()))

        count = q.until_valid(f"Number of parties ({rules.min} to {rules.max})", str(default), check_count)
    fixed_roles = count == len(roles)
    parties = []
    for index in range(count):
        if fixed_roles:
            role = roles[index]
            q.tell(f"Party {index + 1}: {role}")
        else:
            role = q.choice(f"Party {index + 1}: role", roles, roles[index % len(roles)])
        legal_name = q.line(f"  {role}: legal name")
        party = {
            "role": role,
            "legal_name": legal_name,
            "short_name": q.line(f"  {role}: short name (used in the text)", _short_name(legal_name)),
            "entity_type": q.line(f"  {role}: entity type (e.g. a company incorporated in England and Wales)"),
            "address": q.line(f"  {role}: address"),
        }
        parties.append(party)
    return parties


def _parse(answer: str) -> Any:
    """A typed answer as YAML data (numbers, dates, booleans, flow lists and mappings)."""
    if _THOUSANDS.fullmatch(answer):
        answer = answer.replace(",", "")
    try:
        return plain(loads(answer, "answer"))
    except InputError as exc:
        raise ValueProblem(exc.problems[0].message if exc.problems else "is not valid") from None


def _shown_default(var: VariableSpec, default: Any) -> str | None:
    if default is None:
        return None
    if var.type in _TEXT_TYPES and isinstance(default, str):
        return default
    return _value_yaml(plain(default))


def _required_names(library: Library, deal_type: DealTypeSpec) -> set[str]:
    """Variables declared ``required`` by a clause the deal type always uses
    (an optional clause's required variable only matters when a deal includes it)."""
    names: set[str] = set()
    for doc in library.documents_of(deal_type):
        for _where, clause_id, optional in outline_entries(doc):
            clause = library.clauses.get(clause_id)
            if clause is not None and not optional and clause.spec.applies_to(deal_type.id):
                names.update(name for name, var in clause.spec.variables.items() if var.required)
    return names


def _ask_term(q: _Questions, name: str, var: VariableSpec, clause_id: str, default: Any, ctx: ValueContext, required: bool) -> Any:
    shown = _shown_default(var, default)
    hint = "" if shown is not None else " (required)" if required else " (optional: Enter to leave it to the text)" if var.optional else " (Enter to leave blank)"

    def check(answer: str) -> Any:
        if not answer:
            if shown is not None:
                answer = shown
            elif required:
                raise ValueProblem("a value is required")
            else:
                return None
        value = answer if var.type in _TEXT_TYPES else _parse(answer)
        coerce(var, value, ctx)
        return value

    q.tell(_describe(var, clause_id))
    return q.until_valid(f"{name}{hint}", shown if shown is not None else "", check)


def _check_currency(answer: str) -> str:
    answer = (answer or "USD").upper()
    if not re.fullmatch(r"[A-Z]{3}", answer):
        raise ValueProblem(f"{answer!r} is not a three-letter currency code (e.g. USD, EUR, CHF)")
    return answer


def _check_date(answer: str) -> dt.date | None:
    if not answer:
        return None
    return coerce(VariableSpec(type="date"), answer, ValueContext())  # type: ignore[no-any-return]


def interactive_deal_text(
    library: Library,
    deal_type: DealTypeSpec,
    ask: Ask,
    *,
    tell: Tell | None = None,
    stance: str = "balanced",
    every_term: bool = True,
) -> str:
    """Ask for a deal's parties, choices and terms; return the commented deal file.

    ``tell`` shows descriptions and the reason an answer was refused.
    ``every_term=False`` asks only for the variables without a default.
    """
    q = _Questions(ask, tell or (lambda _text: None))
    q.tell(f"{deal_type.name}: press Enter to keep the value in [brackets].")
    chosen_stance = q.choice("Stance", list(deal_type.stance_names()), stance if stance in deal_type.stance_names() else deal_type.stance_default())
    parties = _parties(q, deal_type)
    law = q.choice("Governing law", list(GOVERNING_LAWS), "england_wales")
    currency = q.until_valid("Currency", "USD", _check_currency)
    effective = q.until_valid("Effective date (YYYY-MM-DD; Enter to leave blank)", "", _check_date)
    ctx = ValueContext(currency=currency, roles=tuple(p["role"] for p in parties))
    required = _required_names(library, deal_type)
    terms = []
    for name, (var, clause_id) in deal_type_variables(library, deal_type).items():
        default = deal_type.defaults.get(name, var.default)
        if every_term or default is None or name in required:
            value = _ask_term(q, name, var, clause_id, default, ctx, name in required)
        else:
            value = plain(default)
        terms.append(_Term(name, var, clause_id, value))
    return _deal_text(deal_type, chosen_stance, parties, law, currency, effective, terms)


def _deal_text(
    deal_type: DealTypeSpec, stance: str, parties: list[dict[str, str]], law: str, currency: str,
    effective: dt.date | None, terms: list[_Term],
) -> str:
    lines = [
        "# yaml-language-server: $schema=./deal.schema.json",
        f"# {deal_type.name} — a deal file written by `dealdraft new {deal_type.id} --interactive`.",
        "# Build it with: dealdraft build THIS_FILE -o out/ --format docx,pdf",
        f"deal_type: {deal_type.id}",
        "parties:",
    ]
    for party in parties:
        lines.append(f"  - role: {party['role']}")
        for key in ("legal_name", "short_name", "entity_type", "address"):
            lines.append(f"    {key}: {_value_yaml(party[key])}")
    lines.append(f"effective_date: {effective.isoformat()}" if effective else "# effective_date: YYYY-MM-DD      # not given: renders as [●] until given")
    lines += [
        f"date: {dt.date.today().isoformat()}              # the draft's date: cover page and document properties",
        f"governing_law: {law}",
        f"currency: {currency}",
        f"stance: {stance}               # pharma | balanced | partner",
        "positions: {}                 # clause id: position, to override the stance for one clause",
        "include: []                   # optional clauses to add",
        "exclude: []                   # clauses to leave out",
        "terms:" if terms else "terms: {}",
    ]
    for term in terms:
        lines.append(f"  # {_describe(term.var, term.clause_id)}")
        if term.value is None:
            lines.append(f"  # {term.name}:                 # no value: renders as [●] until given")
        else:
            lines.append(f"  {term.name}: {_value_yaml(term.value)}")
    return "\n".join(lines) + "\n"


def click_prompts() -> tuple[Ask, Tell]:
    """``ask`` and ``tell`` for a terminal: questions and notes on standard error,
    so the deal file can go to standard output."""
    import functools

    import click

    return functools.partial(click.prompt, err=True), functools.partial(click.echo, err=True)
