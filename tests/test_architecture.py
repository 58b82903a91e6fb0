"""Data flows one way: data -> model -> i18n -> query -> renderers -> app and CLI. These tests read the
package's imports (module level and inside functions alike) and fail on an import circle or a layer
reaching up."""

from __future__ import annotations

import ast
from pathlib import Path

from graphs import cycles

PACKAGE = Path(__file__).resolve().parent.parent / "bodymap"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph = {}
    for name, path in known.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
                for alias in node.names:
                    deps.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        graph[name] = {d for d in deps if d in known and d != name}
    return graph


def test_the_graph_is_read():
    graph = import_graph()
    assert "bodymap.query" in graph["bodymap.app.state"]
    assert "bodymap.i18n" in graph["bodymap.query"]


def test_no_import_circles():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# Each layer may import only from the layers listed before it.
LOWER = {
    "bodymap.i18n": ("bodymap.model", "bodymap.translations", "bodymap.tables", "bodymap.problems", "bodymap.body",
                     "bodymap.silhouettes", "bodymap.i18n"),
    "bodymap.query": ("bodymap.model", "bodymap.codes", "bodymap.i18n", "bodymap.body", "bodymap.silhouettes"),
}


def test_no_layer_reaches_up():
    graph = import_graph()
    top = ("bodymap.app", "bodymap.cli")
    for name, deps in graph.items():
        if not name.startswith(top) and name not in ("bodymap", "bodymap.__main__"):
            assert not {d for d in deps if d.startswith(top)}, f"{name} imports the app or the CLI"
        if name.startswith(("bodymap.model", "bodymap.tables", "bodymap.translations", "bodymap.loader")):
            assert not {d for d in deps if d.startswith(("bodymap.i18n", "bodymap.query", "bodymap.handout"))}, name
    for layer, allowed in LOWER.items():
        for name, deps in graph.items():
            if name == layer or name.startswith(layer + "."):
                assert all(d.startswith(allowed) for d in deps), (name, sorted(deps))
