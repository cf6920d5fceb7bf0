"""The package's imports run one way: no cycle between modules, nor between folders taken as one unit.

Every ``import`` counts, also those inside functions and under ``TYPE_CHECKING``: a lazy import is still a
dependency. ``dockgen/__init__.py`` is the public face (it names everything and nothing imports it for its own
use), so it is left out. See docs/architecture.md, "Dependency direction".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Folders that are one unit each (a package seen from outside); other modules are a unit each.
UNITS = (
    "dockgen/commands",
    "dockgen/builders",
    "dockgen/lint",
    "dockgen/models",
    "dockgen/shell",
    "dockgen/lifecycle",
    "dockgen/registry",
    "dockgen/imagetest",
    "dockgen/integrations",
    "rules/dockgen_rules",
)
FACE = "dockgen/__init__.py"


def _modules() -> dict[str, str]:
    """Dotted module name -> path relative to the repository."""
    found: dict[str, str] = {}
    for base, prefix in ((ROOT / "dockgen", ""), (ROOT / "rules", "")):
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            dotted = path.relative_to(ROOT if base.name == "dockgen" else base).with_suffix("")
            name = prefix + ".".join(dotted.parts)
            found[name.removesuffix(".__init__")] = rel
    return found


def _imported(rel: str, name: str, known: dict[str, str]) -> Iterator[str]:
    tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
    package = name if rel.endswith("__init__.py") else name.rpartition(".")[0]
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, node.module] if node.module else parts)
            else:
                base = node.module or ""
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield known[target]


def _unit(rel: str) -> str:
    for unit in UNITS:
        if rel.startswith(unit + "/"):
            return unit + "/"
    return rel


def _graph(unit_of: object) -> dict[str, set[str]]:
    known = _modules()
    graph: dict[str, set[str]] = {}
    for name, rel in known.items():
        if rel == FACE:
            continue
        for target in _imported(rel, name, known):
            if target == FACE:
                continue
            a, b = unit_of(rel), unit_of(target)  # type: ignore[operator]
            if a != b:
                graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _describe(graph: dict[str, set[str]], cycles: list[list[str]]) -> str:
    lines = []
    for component in cycles:
        members = set(component)
        lines.append("cycle: " + ", ".join(component))
        lines.extend(f"  {a} -> {b}" for a in component for b in sorted(graph[a] & members))
    return "\n".join(lines)


def test_no_module_imports_itself_back() -> None:
    graph = _graph(lambda rel: rel)
    assert len(graph) > 150  # the whole package and rule pack were read
    cycles = _cycles(graph)
    assert not cycles, _describe(graph, cycles)


def test_no_folder_imports_itself_back() -> None:
    graph = _graph(_unit)
    assert {"dockgen/lint/", "rules/dockgen_rules/", "dockgen/commands/", "dockgen/cli.py"} <= set(graph)
    cycles = _cycles(graph)
    assert not cycles, _describe(graph, cycles)


def test_the_checker_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
