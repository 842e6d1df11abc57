"""Checks a library needs once every file is loaded: defaults that fit their
variables, variables declared alike wherever they are shared, terms defined
once, and outlines whose clauses, documents and positions exist."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jinja2 import nodes

from assembler.base.errors import Problem

from .deal_type_schema import DealTypeSpec, DocumentSpec, DocumentUse, ListField
from .declarations import definition_of
from .model import outline_entries
from .schema import ClauseSpec
from .validation import closest
from .values import ValueContext, ValueProblem, coerce
from .yamlio import LineDict

if TYPE_CHECKING:
    from .model import Library


def check_defaults(spec: ClauseSpec, raw: LineDict, display: str, problems: list[Problem]) -> None:
    ctx = ValueContext()
    for name, var in spec.variables.items():
        if var.default is None:
            continue
        try:
            coerce(var, var.default, ctx)
        except ValueProblem as exc:
            line = _deep_line(raw, ["variables", name, "default"])
            field = f"variables.{name}.default" + (f".{exc.field}" if exc.field else "")
            problems.append(Problem(str(exc), display, line, spec.id, field))
    for position_name, position in spec.positions.items():
        for name, value in position.defaults.items():
            line = _deep_line(raw, ["positions", position_name, "defaults", name])
            field = f"positions.{position_name}.defaults.{name}"
            if name not in spec.variables:
                problems.append(
                    Problem("not a variable of this clause" + closest(name, spec.variables), display, line, spec.id, field)
                )
                continue
            try:
                coerce(spec.variables[name], value, ctx)
            except ValueProblem as exc:
                problems.append(Problem(str(exc), display, line, spec.id, field))


def _deep_line(data: Any, keys: list[str]) -> int | None:
    line = getattr(data, "line", None)
    current = data
    for key in keys:
        if isinstance(current, LineDict) and key in current:
            line = current.line_of(key)
            current = current[key]
        else:
            break
    return line


def index_variables(library: Library, problems: list[Problem]) -> None:
    for clause_id in sorted(library.clauses):
        clause = library.clauses[clause_id]
        for name, var in clause.spec.variables.items():
            first = library.variables.get(name)
            if first is None:
                library.variables[name] = var
                library.variable_owner[name] = clause_id
            elif first.signature() != var.signature():
                owner = library.variable_owner[name]
                problems.append(
                    Problem(
                        f"declared differently in clause {owner} (variables are shared deal-wide; "
                        "use the same type and bounds or another name)",
                        clause.path,
                        clause.line,
                        clause_id,
                        f"variables.{name}",
                    )
                )
        for main, entry in clause.spec.defines.items():
            for term in (main, *definition_of(entry).aliases):
                if term in library.terms and library.terms[term] != clause_id:
                    problems.append(
                        Problem(
                            f"term {term!r} is already defined by clause {library.terms[term]}",
                            clause.path,
                            clause.line,
                            clause_id,
                            "defines",
                        )
                    )
                else:
                    library.terms.setdefault(term, clause_id)
                    if term != main:
                        library.aliases.setdefault(term, main)


def check_outlines(library: Library, problems: list[Problem]) -> None:

    def check_doc(doc: DocumentSpec, path: str, line: int, prefix: str) -> None:
        for where, clause_id, _optional in outline_entries(doc):
            if clause_id not in library.clauses and clause_id not in library.invalid:
                problems.append(
                    Problem(
                        "unknown clause " + repr(clause_id) + closest(clause_id, library.clauses),
                        path,
                        line,
                        field=f"{prefix}{where}",
                    )
                )

    for doc_id, sourced in sorted(library.documents.items()):
        check_doc(sourced.spec, sourced.path, sourced.line, "")
        del doc_id
    for _type_id, sourced in sorted(library.deal_types.items()):
        spec: DealTypeSpec = sourced.spec
        ids: list[str] = []
        for index, entry in enumerate(spec.documents):
            if isinstance(entry, DocumentUse):
                if entry.use not in library.documents:
                    problems.append(
                        Problem(
                            f"unknown shared document {entry.use!r}" + closest(entry.use, library.documents),
                            sourced.path,
                            sourced.line,
                            field=f"documents[{index}].use",
                        )
                    )
                    continue
                ids.append(entry.use)
            else:
                check_doc(entry, sourced.path, sourced.line, f"documents[{index}].")
                ids.append(entry.id)
        for doc_id in {i for i in ids if ids.count(i) > 1}:
            problems.append(Problem(f"document id {doc_id!r} appears twice", sourced.path, sourced.line, field="documents"))
        for clause_id, position in spec.positions.items():
            clause = library.clauses.get(clause_id)
            if clause is None and clause_id in library.invalid:
                continue  # its own error is the one to fix
            if clause is None:
                problems.append(
                    Problem("unknown clause" + closest(clause_id, library.clauses), sourced.path, sourced.line, field=f"positions.{clause_id}")
                )
            elif position not in clause.spec.positions:
                problems.append(
                    Problem(
                        f"clause has no {position!r} position ({', '.join(clause.spec.positions)})",
                        sourced.path,
                        sourced.line,
                        clause_id,
                        f"positions.{clause_id}",
                    )
                )
        problems.extend(_check_stances(library, sourced))
        for name, value in spec.defaults.items():
            var = library.variables.get(name)
            if var is None:
                problems.append(
                    Problem("unknown variable" + closest(name, library.variables), sourced.path, sourced.line, field=f"defaults.{name}")
                )
                continue
            try:
                coerce(var, value, ValueContext())
            except ValueProblem as exc:
                problems.append(Problem(str(exc), sourced.path, sourced.line, field=f"defaults.{name}"))
        _check_sides(spec, sourced.path, sourced.line, problems)
        _check_constraints(library, spec, sourced.path, sourced.line, problems)


CONSTRAINT_NAMES = ("position", "included", "deal")
"""What a constraint may read besides the deal's variables."""


def _check_sides(spec: DealTypeSpec, path: str, line: int, problems: list[Problem]) -> None:
    for stance, roles in spec.sides.items():
        for role in roles:
            if role not in spec.parties.roles:
                problems.append(
                    Problem(
                        f"{role!r} is not a role of a {spec.id} deal ({', '.join(spec.parties.roles)})" + closest(role, spec.parties.roles),
                        path, line, field=f"sides.{stance}",
                    )
                )


def _outline_variables(library: Library, spec: DealTypeSpec) -> set[str]:
    names: set[str] = set()
    for doc in library.documents_of(spec):
        for _where, clause_id, _optional in outline_entries(doc):
            clause = library.clauses.get(clause_id)
            if clause is not None and clause.spec.applies_to(spec.id):
                names.update(clause.spec.variables)
    return names


def _check_constraints(library: Library, spec: DealTypeSpec, path: str, line: int, problems: list[Problem]) -> None:
    """Constraints parse, and name variables of the deal type's clauses."""
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment()
    own = _outline_variables(library, spec)
    for index, constraint in enumerate(spec.constraints):
        where = f"constraints[{index}]"
        names: set[str] = set()
        for key in ("check", "when"):
            expression = getattr(constraint, key)
            if expression is None:
                continue
            try:
                tree = env.parse("{{ " + expression + " }}")
            except TemplateSyntaxError as exc:
                problems.append(Problem(f"not a valid expression: {exc.message}", path, line, field=f"{where}.{key}"))
                continue
            names |= {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"} - set(CONSTRAINT_NAMES)
        for structured in (constraint.ascending, constraint.non_overlapping):
            if structured is None:
                continue
            names.add(structured.list)
            var = library.variables.get(structured.list)
            fields = var.items.fields if var is not None and var.items is not None and var.items.fields else None
            if var is not None and fields is None:
                problems.append(Problem(f"{structured.list!r} is not a list of items with fields", path, line, field=f"{where}.{'ascending' if structured is constraint.ascending else 'non_overlapping'}"))
                continue
            wanted = [structured.field] if isinstance(structured, ListField) else [structured.start, structured.end]
            for field_name in wanted:
                if fields is not None and field_name not in fields:
                    problems.append(
                        Problem(f"the items of {structured.list!r} have no field {field_name!r}" + closest(field_name, fields), path, line, field=where)
                    )
        for name in sorted(names):
            if name not in library.variables:
                problems.append(Problem(f"unknown variable {name!r}" + closest(name, library.variables), path, line, field=where))
            elif name not in own:
                problems.append(Problem(f"variable {name!r} is not read by any clause of a {spec.id} deal", path, line, field=where))


def _check_stances(library: Library, sourced: Any) -> list[Problem]:
    """A deal type's declared stances choose positions that exist."""
    spec: DealTypeSpec = sourced.spec
    problems: list[Problem] = []
    if not spec.stances:
        return problems
    outline = {cid for doc in library.documents_of(spec) for _w, cid, _o in outline_entries(doc)}
    for stance, declared in spec.stances.items():
        for clause_id, position in declared.positions.items():
            field = f"stances.{stance}.positions.{clause_id}"
            clause = library.clauses.get(clause_id)
            if clause is None:
                if clause_id not in library.invalid:
                    problems.append(Problem("unknown clause" + closest(clause_id, library.clauses), sourced.path, sourced.line, field=field))
            elif position not in clause.spec.positions:
                problems.append(
                    Problem(f"clause has no {position!r} position ({', '.join(clause.spec.positions)})", sourced.path, sourced.line, clause_id, field)
                )
        wanted = declared.position or stance
        if wanted != "balanced" and not any(wanted in library.clauses[c].spec.positions for c in outline if c in library.clauses):
            problems.append(
                Problem(
                    f"no clause of the {spec.id} outline has a {wanted!r} position, so this stance changes nothing",
                    sourced.path, sourced.line, field=f"stances.{stance}", severity="warning",
                )
            )
    return problems
