"""The package layout shows the pipeline: imports point one way, down the flow.

Every import counts: at module level, inside functions, under
``TYPE_CHECKING``, and through a package's ``__init__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "assembler"
LAYERS = ["base", "library", "deal", "assembly", "writers", "review", "api", "batch", "serve", "cli"]
"""Bottom to top: a module may import its own layer and the layers below it."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def import_graph() -> dict[str, set[str]]:
    """Each dealdraft module → the dealdraft modules it imports."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in modules)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if source not in modules:
                    continue
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.add(submodule if submodule in modules else source)
        targets.discard(name)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) == 1:
        return None  # assembler/__init__: the public face, re-exports the API lazily
    return LAYERS.index(parts[1])


def test_no_import_cycles() -> None:
    assert _cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_imports_point_down_the_flow() -> None:
    upward = []
    for module, targets in import_graph().items():
        here = _layer(module)
        for target in targets:
            there = _layer(target)
            if here is not None and (there is None or there > here):
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_the_top_of_the_package_is_short_and_every_package_says_what_it_is() -> None:
    entries = [path.name for path in PACKAGE.iterdir() if path.name != "__pycache__" and not path.name.startswith(".")]
    assert len(entries) <= 12, sorted(entries)
    assert all(_layer(f"assembler.{Path(entry).stem}") is not None for entry in entries if entry != "__init__.py")
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert doc and len(doc.splitlines()) >= 3, f"{init.relative_to(ROOT)} needs a docstring: stage, in, out, public names"
