"""The shape of the package: no import cycles between modules, imports only going down the layers
(cli/web/api/testing -> switchboard/network/billing/store -> interpreter -> markup -> bottom),
and no module over 600 lines. The import graph is read from the sources with ``ast``, counting
every import: at the top, inside functions and under ``TYPE_CHECKING``."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "callbox"
MAX_LINES = 600

LAYERS: dict[str, int] = {
    # the bottom layer every package imports down to
    "codes": 0,
    "diagnostics": 0,
    "errors": 0,
    "settings": 0,
    "records": 0,
    "explanations": 0,
    "schemas": 0,
    "markup": 1,
    "interpreter": 2,
    "switchboard": 3,
    "network": 3,
    "billing": 3,
    "store": 3,
    "messaging": 3,  # SMS encodings and segments, beside billing (pure)
    "cli": 4,
    "web": 4,
    "api": 4,
    "testing": 4,
    "__main__": 5,
}
"""The layer of each top-level name under ``callbox``: a module may import its own layer and the
ones below. A new package gets its place here (the design card's target tree)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["callbox", *parts])


@cache
def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name (``callbox/markup`` etc. are links to the
    top-level directories, followed here as the wheel maps them)."""
    found: dict[str, Path] = {}
    for directory, _, files in os.walk(ROOT, followlinks=True):
        for file in files:
            if file.endswith(".py"):
                path = Path(directory) / file
                found[module_name(path)] = path
    return dict(sorted(found.items()))


def imported(path: Path, name: str) -> Iterator[str]:
    """The ``callbox`` modules the module at ``path`` imports (by name, resolved to modules)."""
    known = modules()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            # ``from package import module`` imports that module (its package is imported
            # first whatever the import); ``from module import name`` imports the module
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target.startswith("callbox.") and target != name:
                yield target


@cache
def graph() -> dict[str, frozenset[str]]:
    edges: dict[str, frozenset[str]] = {}
    for name, path in modules().items():
        found = set(imported(path, name))
        # importing a package runs its __init__: an edge to the package, not to its parents
        edges[name] = frozenset(found)
    return edges


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1:
        return 0  # callbox/__init__.py: the root names nothing above the bottom
    top = parts[1]
    if top not in LAYERS:
        pytest.fail(f"{name}: callbox.{top} has no layer; give it one in LAYERS (DESIGN.md)")
    return LAYERS[top]


def test_the_module_graph_is_read_from_every_layer() -> None:
    names = set(modules())
    for expected in (
        "callbox.codes",
        "callbox.markup.parser",
        "callbox.interpreter.session",
        "callbox.switchboard.board",
        "callbox.cli.main",
        "callbox.testing.simulator",
    ):
        assert expected in names
    assert "callbox.interpreter.fetch" in graph()["callbox.switchboard.board"]


def test_no_import_cycles_between_modules() -> None:
    found = cycles(graph())
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_imports_only_go_down_the_layers() -> None:
    upward = [
        f"{name} (layer {layer(name)}) imports {target} (layer {layer(target)})"
        for name, targets in sorted(graph().items())
        for target in sorted(targets)
        if layer(target) > layer(name)
    ]
    assert upward == [], "imports going up:\n" + "\n".join(upward)


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert cycles(edges) == [["a", "b", "c"]]


def test_no_module_is_over_600_lines() -> None:
    long = {
        name: lines
        for name, path in sorted(modules().items())
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"modules over {MAX_LINES} lines (split them): {long}"
