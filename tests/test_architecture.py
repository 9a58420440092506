"""The layering the docs promise, checked on the code: imports run downward only, no cycles, no hidden imports.

Layers (docs/architecture.md): lang -> geo -> events / context -> text / analysis -> report / web -> commands -> cli.
A module may import its own package and any lower layer; packages of the same layer may import each other
only without a cycle. Imports inside function bodies are allowed only for optional or heavy dependencies, and
the import line must say so in a comment (``# optional: ...`` or ``# heavy: ...``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "rasid"
LAYER = {"errors": 0, "_lazy": 0, "lang": 0, "geo": 1, "events": 2, "context": 2, "text": 3, "analysis": 3,
         "report": 4, "web": 4, "commands": 5, "cli": 6, "__init__": 6}


def _modules() -> dict[str, Path]:
    out = {}
    for p in ROOT.rglob("*.py"):
        rel = p.relative_to(ROOT.parent).with_suffix("")
        name = ".".join(rel.parts)
        out[name.removesuffix(".__init__")] = p
    return out


MODULES = _modules()


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(module-level rasid imports, imports inside function bodies) as (line, module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top, body = [], []
    in_func: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import | ast.ImportFrom):
                    in_func.add(id(sub))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for n in names:
            (body if id(node) in in_func else top).append((node.lineno, n))
    return top, body


def _rasid_target(name: str) -> str | None:
    """The rasid module an import names (a package's __init__ when it names a package)."""
    if not name.startswith("rasid"):
        return None
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def test_every_package_has_a_layer() -> None:
    missing = {_package(m) for m in MODULES} - set(LAYER)
    assert not missing, f"packages without a layer in docs/architecture.md: {missing}"


def test_imports_run_downward_only() -> None:
    bad = []
    for mod, path in MODULES.items():
        src = _package(mod)
        for line, name in _imports(path)[0]:
            target = _rasid_target(name)
            if target is None or target == "rasid":
                continue
            dst = _package(target)
            if LAYER[dst] > LAYER[src]:
                bad.append(f"{path.relative_to(ROOT.parent)}:{line}: {src} (layer {LAYER[src]}) imports {target} "
                           f"(layer {LAYER[dst]})")
    assert not bad, "upward imports:\n" + "\n".join(bad)


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for mod, path in MODULES.items():
        deps = {t for _, n in _imports(path)[0] if (t := _rasid_target(n)) and t != mod and t != "rasid"}
        graph[mod] = deps
    pkg_graph: dict[str, set[str]] = {}
    for mod, deps in graph.items():
        pkg_graph.setdefault(_package(mod), set()).update(_package(d) for d in deps if _package(d) != _package(mod))

    def cycle(g: dict[str, set[str]]) -> list[str] | None:
        state: dict[str, int] = {}
        stack: list[str] = []

        def visit(n: str) -> list[str] | None:
            state[n] = 1
            stack.append(n)
            for d in sorted(g.get(n, ())):
                if state.get(d) == 1:
                    return stack[stack.index(d):] + [d]
                if d not in state and (found := visit(d)):
                    return found
            stack.pop()
            state[n] = 2
            return None

        for n in sorted(g):
            if n not in state and (found := visit(n)):
                return found
        return None

    assert cycle(pkg_graph) is None, f"package import cycle: {' -> '.join(cycle(pkg_graph) or [])}"
    # package __init__ modules re-export their own modules, so module cycles are checked without them
    inner = {m: {d for d in deps if not (MODULES[d].name == "__init__.py")} for m, deps in graph.items()}
    assert cycle(inner) is None, f"module import cycle: {' -> '.join(cycle(inner) or [])}"


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_imports_inside_functions_say_why(mod: str) -> None:
    path = MODULES[mod]
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = [f"{path.relative_to(ROOT.parent)}:{line}: {name}" for line, name in _imports(path)[1]
           if not any(k in lines[line - 1] for k in ("# optional", "# heavy"))]
    assert not bad, "imports in function bodies without an '# optional:' or '# heavy:' reason:\n" + "\n".join(bad)
