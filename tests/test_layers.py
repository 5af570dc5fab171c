"""The package's layers: no import cycle between subpackages, nor between the modules of one.

Every `import` statement in pseudogen/ counts, wherever it stands (inside a
function, under `if TYPE_CHECKING:`): an import moved into a function to dodge
a cycle is still a cycle. A subpackage (`pseudogen.lm`) and a top-level module
(`pseudogen.pipeline`) are the units of the first test; the modules inside
one subpackage (its `__init__` included) those of the second. Importing a
module is not counted as importing its parent package's `__init__` (Python
runs it, but the `__init__` is then a layer above its own modules only if it
imports them).
"""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pseudogen"

KNOWN_CYCLES: set[frozenset[str]] = set()  # none: a cycle is fixed, not listed


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """The package's modules that `name` imports, each with the line of the import."""
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import mod` imports the module pkg.mod; `from mod import function` imports mod
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.extend((target, node.lineno) for target in targets if target in modules and target != name)
    return found


def layer(module: str) -> str:
    """The unit of the first test: `pseudogen.lm.arpa` -> `pseudogen.lm`; a top-level module stays itself."""
    return ".".join(module.split(".")[:2])


def import_graph(unit) -> dict[str, dict[str, str]]:
    """unit -> {imported unit: "file:line" of one import that makes the edge}."""
    modules = all_modules()
    graph: dict[str, dict[str, str]] = {}
    for name, path in modules.items():
        source = unit(name)
        if source is None:
            continue
        graph.setdefault(source, {})
        for target, line in imported_modules(name, path, modules):
            target_unit = unit(target)
            if target_unit is not None and target_unit != source:
                graph[source].setdefault(target_unit, f"{path.relative_to(PACKAGE.parent)}:{line}")
    return graph


def cycles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """One cycle through each strongly connected component of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                connect(target)
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
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [cycle_in(graph, set(component)) for component in components]


def cycle_in(graph: dict[str, dict[str, str]], component: set[str]) -> list[str]:
    """A shortest path from the component's first unit back to itself, inside the component."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node]):
                if target == start:
                    return paths[node] + [start]
                if target in component and target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    raise AssertionError("a strongly connected component always has a cycle")


def describe(graph: dict[str, dict[str, str]], cycle: list[str]) -> str:
    return "\n".join(f"  {a} -> {b}  ({graph[a][b]})" for a, b in zip(cycle, cycle[1:]))


def unexpected(graph: dict[str, dict[str, str]]) -> list[str]:
    return [describe(graph, cycle) for cycle in cycles(graph) if frozenset(cycle) not in KNOWN_CYCLES]


def test_no_import_cycle_between_subpackages():
    graph = import_graph(layer)
    found = unexpected(graph)
    assert not found, "import cycles between subpackages:\n" + "\n\n".join(found)


@pytest.mark.parametrize("subpackage", sorted(
    module_name(path.parent) for path in PACKAGE.glob("*/__init__.py")))
def test_no_import_cycle_inside_a_subpackage(subpackage):
    graph = import_graph(lambda module: module if module == subpackage or module.startswith(subpackage + ".") else None)
    found = unexpected(graph)
    assert not found, f"import cycles inside {subpackage}:\n" + "\n\n".join(found)


def test_the_reader_sees_every_kind_of_import(tmp_path):
    modules = {"pseudogen.a": None, "pseudogen.a.b": None, "pseudogen.a.c": None, "pseudogen.d": None}
    source = tmp_path / "b.py"
    source.write_text("import pseudogen.d\nfrom . import c\n\ndef f():\n    from pseudogen.a import c, name\n",
                      encoding="utf-8")
    assert imported_modules("pseudogen.a.b", source, modules) == [
        ("pseudogen.d", 1), ("pseudogen.a.c", 2), ("pseudogen.a.c", 5), ("pseudogen.a", 5)]


def test_a_cycle_is_found_and_shown_with_its_imports():
    graph = {"x": {"y": "x.py:3"}, "y": {"z": "y.py:1"}, "z": {"x": "z.py:9"}, "w": {"x": "w.py:2"}}
    assert cycles(graph) == [["x", "y", "z", "x"]]  # w only leads into the cycle
    assert describe(graph, ["x", "y", "z", "x"]) == "  x -> y  (x.py:3)\n  y -> z  (y.py:1)\n  z -> x  (z.py:9)"
