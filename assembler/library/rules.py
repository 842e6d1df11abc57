"""Drafting consistency rules that ``lint`` applies to the library.

Each rule guards a mistake a reviewing lawyer would flag in a first draft:
a final say without protected exceptions, joint IP without an exploitation
rule, a processor breach notice that leaves the controller no time to meet
its own 72-hour deadline, minutes that could amend the agreement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from assembler.base.errors import Problem

from .drafting_rules import DRAFTING_RULES
from .logic_rules import logic_rules
from .model import Clause, Library

Rule = Callable[[Library], Iterator[Problem]]
RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    RULES.append(func)
    return func


def _values(clause: Clause, name: str) -> list[tuple[str, Any]]:
    """Every default a variable takes in a clause: its own and per position."""
    spec = clause.spec
    found: list[tuple[str, Any]] = []
    var = spec.variables.get(name)
    if var is not None and var.default is not None:
        found.append((f"variables.{name}.default", var.default))
    for position, pos in spec.positions.items():
        if name in pos.defaults:
            found.append((f"positions.{position}.defaults.{name}", pos.defaults[name]))
    return found


def _problem(clause: Clause, field: str, message: str, severity: str = "error") -> Problem:
    return Problem(message, clause.path, clause.line, clause.id, field, severity)  # type: ignore[arg-type]


@rule
def processor_breach_notice(library: Library) -> Iterator[Problem]:
    """A processor's breach notice must be shorter than the controller's 72 hours (GDPR Art. 33)."""
    for clause in library.clauses.values():
        for name, var in clause.spec.variables.items():
            if var.type != "hours" or "breach" not in name and "incident" not in name:
                continue
            if var.max is not None and var.max >= 72:
                yield _problem(clause, f"variables.{name}.max", f"breach notice may reach {var.max} hours; it must stay under 72 so the controller can notify within 72 hours")
            for field, value in _values(clause, name):
                if isinstance(value, (int, float)) and value >= 72:
                    yield _problem(clause, field, f"breach notice of {value} hours; it must be under 72 hours")


@rule
def hipaa_notice(library: Library) -> Iterator[Problem]:
    """A HIPAA business associate's breach notice is at most 60 days."""
    for clause in library.clauses.values():
        for name, var in clause.spec.variables.items():
            if "hipaa" in name and var.type == "days":
                if var.max is not None and var.max > 60:
                    yield _problem(clause, f"variables.{name}.max", "a HIPAA breach notice may not exceed 60 days (45 C.F.R. 164.410)")


@rule
def review_periods(library: Library) -> Iterator[Problem]:
    """Abstract review is never longer than manuscript review."""
    for clause in library.clauses.values():
        names = clause.spec.variables
        abstract = next((n for n in names if "abstract" in n and n.endswith("_days")), None)
        manuscript = next((n for n in names if ("manuscript" in n or n == "publication_review_days") and n.endswith("_days")), None)
        if not abstract or not manuscript:
            continue
        for position, pos in [("", None), *clause.spec.positions.items()]:
            a = (pos.defaults if pos else {}).get(abstract, names[abstract].default)
            m = (pos.defaults if pos else {}).get(manuscript, names[manuscript].default)
            if isinstance(a, int) and isinstance(m, int) and a > m:
                where = f"positions.{position}.defaults" if position else "variables"
                yield _problem(clause, where, f"abstract review ({a} days) is longer than manuscript review ({m} days)")


@rule
def escalation_timing(library: Library) -> Iterator[Problem]:
    """JSC deadlock plus executive resolution should not exceed 90 days."""
    for clause in library.clauses.values():
        names = clause.spec.variables
        if "jsc_deadlock_days" in names and "exec_resolution_days" in names:
            for position, pos in clause.spec.positions.items():
                a = pos.defaults.get("jsc_deadlock_days", names["jsc_deadlock_days"].default)
                b = pos.defaults.get("exec_resolution_days", names["exec_resolution_days"].default)
                if isinstance(a, int) and isinstance(b, int) and a + b > 90:
                    yield _problem(clause, f"positions.{position}.defaults", f"escalation takes {a + b} days before a final say applies (more than 90)", "warning")


def _texts(clause: Clause) -> list[tuple[str, str]]:
    return [(name, pos.text) for name, pos in clause.spec.positions.items()]


@rule
def final_say_exceptions(library: Library) -> Iterator[Problem]:
    """A final say always carries its protected exceptions."""
    for clause in library.clauses.values():
        if not clause.id.endswith("final_say"):
            continue
        for position, text in _texts(clause):
            lowered = text.lower()
            if "final" in lowered and not ("amend" in lowered and re.search(r"^\s*\d+\.\s", text, re.M)):
                yield _problem(clause, f"positions.{position}.text", "a final say must list its protected exceptions (amendment, waiver, milestones, the other party's costs, IP ownership)")


@rule
def joint_ip_exploitation(library: Library) -> Iterator[Problem]:
    """Joint IP has an explicit exploitation rule (the US default lets each co-owner exploit freely)."""
    for clause in library.clauses.values():
        if "Joint IP" not in clause.spec.defines:
            continue
        for position, text in _texts(clause):
            if not re.search(r"exploit|licen[cs]e", text, re.I):
                yield _problem(clause, f"positions.{position}.text", "joint IP needs an explicit rule on exploitation and licensing")


@rule
def minutes_not_amendment(library: Library) -> Iterator[Problem]:
    """Committee minutes never amend the agreement."""
    for clause in library.clauses.values():
        if not clause.id.endswith("minutes"):
            continue
        for position, text in _texts(clause):
            if "amend" not in text.lower():
                yield _problem(clause, f"positions.{position}.text", "minutes must state that they cannot amend the agreement")


RULES.extend(DRAFTING_RULES)


def consistency_rules(library: Library) -> list[Problem]:
    """The problems every rule finds, the logic rules over metadata included."""
    return [problem for check in RULES for problem in check(library)] + logic_rules(library)
