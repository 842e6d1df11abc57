"""Relations between a deal's values, checked when the deal is planned.

A deal type's ``constraints`` say how its terms must relate: a floor at
least the base fee, royalty tiers in ascending order, an escalation that
fits in ninety days. Each is checked over the values of the build (the
deal's terms, else the defaults); a constraint that names a variable the
build does not use, or one left blank, is not checked. A broken one is an
error naming both values: ``terms.commercial_fee_floor: USD 300,000 must be
at least terms.commercial_base_fee (USD 400,000)``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assembler.base.errors import Problem
from assembler.library.checks import CONSTRAINT_NAMES
from assembler.library.deal_type_schema import Constraint
from assembler.library.schema import VariableSpec
from assembler.library.values import BlankValue, Money, Record

from . import formatting

if TYPE_CHECKING:
    from assembler.deal.load import Deal
    from assembler.library.model import Library

    from .render import Renderer

CONSTRAINT_FUNCTIONS = CONSTRAINT_NAMES

_COMPARISONS = (">=", "<=", "==", "!=", ">", "<")
_PHRASE = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than", "==": "equal to", "!=": "different from"}
_NAME = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


class _Values:
    """The build's values as constraints see them: money as plain amounts."""

    def __init__(self, values: dict[str, Any], specs: dict[str, VariableSpec], sources: dict[str, str]) -> None:
        self.raw = values
        self.specs = specs
        self.sources = sources
        self.currencies: set[str] = set()
        self.plain = {name: self._plain(value) for name, value in values.items()}

    def _plain(self, value: Any) -> Any:
        if isinstance(value, Money):
            self.currencies.add(value.currency)
            return value.amount
        if isinstance(value, tuple):
            return [self._plain(item) for item in value]
        if isinstance(value, Record):
            return Record({key: self._plain(item) for key, item in value.items()})
        return value

    def text(self, name: str, value: Any = None, spec: VariableSpec | None = None) -> str:
        """A value as a reader would write it: "USD 300,000", "60 days"."""
        spec = spec or self.specs.get(name)
        value = self.raw.get(name) if value is None else value
        return describe(value, spec)

    def source(self, name: str) -> str:
        """Where a value came from when the deal file did not give it."""
        where = self.sources.get(name, "")
        return "" if where in ("", "deal file", "blank") else where


def describe(value: Any, spec: VariableSpec | None) -> str:
    """A value with its unit, for an error message."""
    if isinstance(value, Money):
        return formatting.money_text(value.amount, value.currency)
    kind = spec.type if spec is not None else ""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        number = formatting.digits(value)
        if kind in formatting._UNITS:
            singular, plural = formatting._UNITS[kind]
            return f"{number} {singular if value == 1 else plural}"
        if kind == "percent":
            return f"{number}%"
        return number
    return str(value)


def check_constraints(
    deal: Deal,
    library: Library,
    renderer: Renderer,
    values: dict[str, Any],
    sources: dict[str, str],
    positions: dict[str, str],
) -> list[Problem]:
    """The constraints of the deal type that the build's values break.

    ``values`` holds the variables the build uses; ``positions`` the chosen
    position of every included clause.
    """
    spec = deal.deal_type
    if not spec.constraints:
        return []
    data = _Values(values, library.variables, sources)
    context: dict[str, Any] = dict(data.plain)
    context["position"] = lambda clause_id: positions.get(clause_id, "")
    context["included"] = lambda clause_id: clause_id in positions
    context["deal"] = Record(deal_type=spec.id, stance=deal.spec.stance, currency=deal.spec.currency, roles=deal.roles)
    sourced = library.deal_types.get(spec.id)
    path, line = (sourced.path, sourced.line) if sourced is not None else (deal.path, None)
    problems: list[Problem] = []
    for index, constraint in enumerate(spec.constraints):
        where = f"constraints[{index}]"
        try:
            message = _check(constraint, context, data, renderer)
        except Exception as exc:  # a bad expression is reported, never raised raw
            problems.append(Problem(f"constraint cannot be evaluated: {exc}", path, line, field=where))
            continue
        if message is not None:
            field, text = message
            if constraint.message.strip():
                text += f" ({' '.join(constraint.message.split())})"
            name = field.removeprefix("terms.").split("[")[0].split(".")[0]
            owner = next((cid for cid in positions if name in library.clauses[cid].spec.variables), "")
            problems.append(Problem(text, deal.path, deal.term_lines.get(name), owner, field))
    return problems


def _names(renderer: Renderer, expression: str) -> set[str]:
    return renderer.expression_names(expression) - set(CONSTRAINT_FUNCTIONS)


def _applies(names: set[str], data: _Values) -> bool:
    """Only when every variable it reads is in the build and has a value."""
    return all(name in data.raw and not isinstance(data.raw[name], BlankValue) for name in names)


def _check(constraint: Constraint, context: dict[str, Any], data: _Values, renderer: Renderer) -> tuple[str, str] | None:
    if constraint.when:
        if not _applies(_names(renderer, constraint.when), data):
            return None
        if not renderer.expression(constraint.when)(**context):
            return None
    if constraint.check is not None:
        names = _names(renderer, constraint.check)
        if not _applies(names, data):
            return None
        if len(data.currencies) > 1 and any(isinstance(data.raw[n], Money) for n in names):
            currencies = sorted({data.raw[n].currency for n in names if isinstance(data.raw[n], Money)})
            if len(currencies) > 1:
                first = sorted(names)[0]
                return f"terms.{first}", f"cannot compare amounts in {' and '.join(currencies)}: {constraint.check}"
        if renderer.expression(constraint.check)(**context):
            return None
        return _explain(constraint.check, names, context, data, renderer)
    if constraint.ascending is not None:
        return _ascending(constraint.ascending.list, constraint.ascending.field, data)
    assert constraint.non_overlapping is not None
    spec = constraint.non_overlapping
    return _non_overlapping(spec.list, spec.start, spec.end, data)


def _split(expression: str) -> tuple[str, str, str] | None:
    """``lhs op rhs`` at the top level of an expression, or None."""
    depth, quote, found = 0, "", None
    index = 0
    while index < len(expression):
        char = expression[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            for op in _COMPARISONS:
                if expression.startswith(op, index):
                    if found is not None:
                        return None  # a chain: explained as a whole
                    found = (expression[:index].strip(), op, expression[index + len(op) :].strip())
                    index += len(op) - 1
                    break
        index += 1
    if found is None or not found[0] or not found[2]:
        return None
    return found


_EXTREME = re.compile(r"""\b([A-Za-z_]\w*)\s*\|\s*map\(\s*attribute\s*=\s*['"](\w+)['"]\s*\)\s*\|\s*(max|min)\b""")


def _side(text: str, names: set[str], context: dict[str, Any], data: _Values, renderer: Renderer, unit: VariableSpec | None) -> str:
    """One side of a comparison as it reads in the error."""
    if text in names:
        source = data.source(text)
        return f"terms.{text} ({data.text(text)}" + (f", {source})" if source else ")")
    used = [n for n in _NAME.findall(text) if n in names]
    value = renderer.expression(text)(**context)
    scalars = [n for n in used if not isinstance(data.raw.get(n), tuple)]
    spec = data.specs.get(scalars[0]) if scalars else (unit if not used else None)
    result = describe(_with_currency(value, used, data), spec)
    if not used:
        return result
    extreme = _EXTREME.fullmatch(text.strip())
    if extreme:
        name, field, which = extreme.groups()
        return f"the {'largest' if which == 'max' else 'smallest'} {field} in terms.{name} ({result})"

    def shown(match: re.Match[str]) -> str:
        name = match.group(0)
        if name not in names:
            return name
        return f"terms.{name}" if isinstance(data.raw.get(name), tuple) else f"terms.{name} ({data.text(name)})"

    return f"{_NAME.sub(shown, text)} = {result}"


def _with_currency(value: Any, used: list[str], data: _Values) -> Any:
    for name in used:
        raw = data.raw.get(name)
        if isinstance(raw, Money) and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return Money(Decimal(value), raw.currency)
    return value


def _explain(expression: str, names: set[str], context: dict[str, Any], data: _Values, renderer: Renderer) -> tuple[str, str]:
    ordered = [n for n in _NAME.findall(expression) if n in names]
    field = f"terms.{ordered[0]}" if ordered else "terms"
    split = _split(expression)
    if split is None:
        shown = ", ".join(f"terms.{n} = {data.text(n)}" for n in dict.fromkeys(ordered))
        return field, f"does not meet the constraint {expression} ({shown})"
    lhs, op, rhs = split
    lhs_names = [n for n in _NAME.findall(lhs) if n in names]
    rhs_names = [n for n in _NAME.findall(rhs) if n in names]
    unit = data.specs.get((lhs_names or rhs_names or [""])[0])
    if lhs in names:
        # the field names the variable: "terms.a: USD 300,000 must be at least terms.b (USD 400,000)"
        source = data.source(lhs)
        left = data.text(lhs) + (f" ({source})" if source else "")
    else:
        left = _side(lhs, names, context, data, renderer, unit)
    # A literal limit reads with the unit of the other side: "at most 90 days".
    right = _side(rhs, names, context, data, renderer, unit)
    return field, f"{left} must be {_PHRASE[op]} {right}"


def _items(name: str, data: _Values) -> list[Any] | None:
    value = data.raw.get(name)
    if not isinstance(value, tuple):
        return None
    return list(value)


def _field_spec(data: _Values, name: str, field: str) -> VariableSpec | None:
    spec = data.specs.get(name)
    if spec is None or spec.items is None or spec.items.fields is None:
        return None
    return spec.items.fields.get(field)


def _number(value: Any) -> Any:
    return value.amount if isinstance(value, Money) else value


def _ascending(name: str, field: str, data: _Values) -> tuple[str, str] | None:
    items = _items(name, data)
    if items is None:
        return None
    spec = _field_spec(data, name, field)
    previous = None
    for index, item in enumerate(items):
        value = item.get(field) if isinstance(item, dict) else None
        if value is None or isinstance(value, BlankValue):
            previous = None
            continue
        if previous is not None and _number(value) <= _number(previous[1]):
            where = f"terms.{name}[{index}].{field}"
            return where, (
                f"{describe(value, spec)} must be more than terms.{name}[{previous[0]}].{field} "
                f"({describe(previous[1], spec)}): the items must be in ascending order of {field}"
            )
        previous = (index, value)
    return None


def _non_overlapping(name: str, start: str, end: str, data: _Values) -> tuple[str, str] | None:
    items = _items(name, data)
    if items is None:
        return None
    spec = _field_spec(data, name, start)
    ranges: list[tuple[Any, Any, int]] = []
    for index, item in enumerate(items):
        low = item.get(start) if isinstance(item, dict) else None
        high = item.get(end) if isinstance(item, dict) else None
        if low is None or high is None or isinstance(low, BlankValue) or isinstance(high, BlankValue):
            continue
        if _number(high) < _number(low):
            where = f"terms.{name}[{index}].{end}"
            return where, f"{describe(high, spec)} must be at least terms.{name}[{index}].{start} ({describe(low, spec)})"
        ranges.append((low, high, index))
    ranges.sort(key=lambda r: (_number(r[0]), r[2]))
    for (_low_a, high_a, index_a), (low_b, _high_b, index_b) in zip(ranges, ranges[1:], strict=False):
        if _number(low_b) < _number(high_a):
            where = f"terms.{name}[{index_b}].{start}"
            return where, (
                f"{describe(low_b, spec)} must be at least terms.{name}[{index_a}].{end} "
                f"({describe(high_a, spec)}): the ranges of {name} must not overlap"
            )
    return None


__all__ = ["CONSTRAINT_FUNCTIONS", "check_constraints", "describe"]
