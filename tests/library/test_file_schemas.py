"""The JSON Schemas of library files (``dealdraft schema --clauses`` …) accept
every shipped file and refuse what loading refuses."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run
from jsonschema import Draft202012Validator

from assembler.library.file_schemas import KINDS, file_schema

LIBRARIES = [ROOT / "clauses", ROOT / "examples" / "own-library" / "library", ROOT / "tests" / "fixtures" / "library"]


def _plain(value: Any) -> Any:
    """YAML as an editor's language server sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _kind(root: Path, path: Path) -> str:
    rel = path.relative_to(root).as_posix()
    if rel == "conventions.yaml":
        return "conventions"
    top = rel.split("/", 1)[0]
    return top if top in ("deal-types", "documents") and "/" in rel else "clauses"


def _files() -> list[tuple[str, Path]]:
    return [(_kind(root, path), path) for root in LIBRARIES for path in sorted(root.rglob("*.yaml"))]


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    found = {}
    for kind in KINDS:
        schema = file_schema(kind)
        Draft202012Validator.check_schema(schema)
        found[kind] = Draft202012Validator(schema)
    return found


def test_every_library_file_kind_is_covered() -> None:
    kinds = {kind for kind, _path in _files()}
    assert kinds == set(KINDS)
    assert sum(kind == "clauses" for kind, _ in _files()) > 60


def test_every_shipped_library_file_is_valid(validators: dict[str, Draft202012Validator]) -> None:
    failures = []
    for kind, path in _files():
        data = _plain(yaml.safe_load(path.read_text("utf-8")))
        for error in validators[kind].iter_errors(data):
            failures.append(f"{path.relative_to(ROOT)}: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")
    assert failures == []


@pytest.mark.parametrize(
    ("kind", "data", "where"),
    [
        ("clauses", [{"id": "a.b", "title": "T", "version": "1.0.0", "deal_types": "all", "positons": {}}], "0"),
        ("clauses", [{"id": "a.b", "title": "T", "version": "1.0", "deal_types": "all", "positions": {"balanced": {"text": "x"}}}], "0/version"),
        ("deal-types", {"id": "x", "name": "X", "parties": {"roles": ["a"]}, "documents": [{"use": "y"}], "stances": {"s": {"postion": "a"}}}, "stances"),
        ("documents", {"id": "plan", "title": "P", "kind": "plan", "ref_name": "the Plan", "articles": [{"title": "A", "clauses": ["Bad Id"]}]}, "articles/0/clauses/0"),
        ("conventions", {"money": {"currency": "sign"}}, "money/currency"),
    ],
)
def test_schemas_refuse_what_loading_refuses(validators: dict[str, Draft202012Validator], kind: str, data: Any, where: str) -> None:
    errors = list(validators[kind].iter_errors(data))
    assert errors, f"{kind} schema accepted {data}"
    assert any("/".join(map(str, e.absolute_path)) == where for e in errors), [list(e.absolute_path) for e in errors]


def test_schema_command_prints_each_kind(tmp_path: Path) -> None:
    for kind in KINDS:
        result = run("schema", f"--{kind}")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout) == json.loads(json.dumps(file_schema(kind)))
    result = run("schema", "--clauses", "--deal-type", "research_collaboration")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --deal-type: --deal-type is only for the schema of deal files"


def test_shipped_conventions_schema_is_current() -> None:
    shipped = (ROOT / "examples" / "own-library" / "conventions.schema.json").read_text("utf-8")
    assert shipped == run("schema", "--conventions").stdout, "regenerate: dealdraft schema --conventions -o examples/own-library/conventions.schema.json"
