"""The project's layers, read from ARCHITECTURE.md's table, and every import checked against them.

Each row of the table names a unit (a folder or a module, as a path from the repository root), its
role, and the units it may import. A module belongs to the most specific unit whose path holds it.
An import of a project module outside its own unit and the units its row lists runs the wrong way.
Imports made by string (``importlib.import_module("…")``) count like any other; so do imports inside
functions and under ``TYPE_CHECKING``: each is a dependency. Separately, the graph of modules must
have no cycle.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Folders that hold the project's Python, as the import name each is reached by.
PACKAGES = {
    "cli": "failure_lab.cli",
    "trace_check": "failure_lab.trace_check",
    "python_impl": "failure_lab.python_impl",
    "workbook": "failure_lab.workbook",
    "failure_lab": "failure_lab",
    "failure_modes": "failure_modes",
    "bench": "bench",
    "tests": "tests",
}
# Reached only through failure_lab; a bare import would load a second copy of the module.
BARE = ("cli", "trace_check", "python_impl", "workbook")
EVERYTHING = "everything"


@dataclass(frozen=True, slots=True)
class Unit:
    """A row of the layer table: a module prefix and the prefixes it may import."""

    path: str
    module: str
    may_import: tuple[str, ...] | None  # None: everything
    row: int  # units of one row are one layer: they may import each other


@dataclass(frozen=True, slots=True)
class Edge:
    """``importer`` imports ``imported`` at ``line``."""

    importer: str
    imported: str
    line: int


def module_of(path: str) -> str:
    """``trace_check/parse/`` -> ``failure_lab.trace_check.parse``; ``python_impl/queue.py`` likewise."""
    parts = path.strip("/").removesuffix(".py").split("/")
    head = PACKAGES.get(parts[0])
    if head is None:
        raise ValueError(f"{path}: not a folder of the project's Python ({', '.join(PACKAGES)})")
    rest = [part for part in parts[1:] if part != "__init__"]
    return ".".join([head, *rest])


def read_table(text: str) -> tuple[Unit, ...]:
    """The units of the table that follows the ``## Layers`` heading of ARCHITECTURE.md."""
    match = re.search(r"^## Layers\s*$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if match is None:
        raise ValueError("ARCHITECTURE.md: no '## Layers' section")
    units: list[Unit] = []
    for row, line in enumerate(match.group(1).splitlines()):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        paths = re.findall(r"`([^`]+)`", cells[0])
        allowed: tuple[str, ...] | None
        if cells[2].strip() == EVERYTHING:
            allowed = None
        else:
            allowed = tuple(module_of(path) for path in re.findall(r"`([^`]+)`", cells[2]))
        units.extend(Unit(path, module_of(path), allowed, row) for path in paths)
    if not units:
        raise ValueError("ARCHITECTURE.md: the '## Layers' section has no table rows")
    return tuple(units)


def sources(root: Path = ROOT) -> dict[str, str]:
    """Every Python module of the project by its import name (the failure_lab links are not read twice)."""
    found: dict[str, str] = {}
    for folder in PACKAGES:
        base = root / folder
        for path in sorted(base.rglob("*.py")):
            relative = path.relative_to(root)
            if folder == "failure_lab" and relative.parent != Path("failure_lab"):
                continue  # failure_lab/<part> are links to the top-level folders, read there
            if "templates" in relative.parts:
                continue
            found[module_of(str(relative))] = path.read_text(encoding="utf-8")
    return found


def _is_package(name: str, modules: Mapping[str, str]) -> bool:
    return any(other.startswith(name + ".") for other in modules)


def imports(name: str, text: str, modules: Mapping[str, str]) -> Iterator[Edge]:
    """The project modules ``name`` imports, each at the line it does so."""
    package = name if _is_package(name, modules) else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(text)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import sub`` imports the module pkg.sub when there is one.
            subs = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
            targets = subs if len(subs) == len(node.names) else [base, *subs]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            targets = [node.args[0].value]
        for target in targets:
            head = target.split(".")[0]
            if head in PACKAGES.values() or head in BARE or target.startswith("failure_lab"):
                yield Edge(name, target, getattr(node, "lineno", 0))


def unit_of(module: str, units: Iterable[Unit]) -> Unit | None:
    """The most specific unit holding ``module``."""
    holding = [u for u in units if module == u.module or module.startswith(u.module + ".")]
    return max(holding, key=lambda u: len(u.module)) if holding else None


def wrong_way(modules: Mapping[str, str], units: tuple[Unit, ...]) -> list[str]:
    """Every import that runs against the table, as ``module:line imports X (unit may import …)``."""
    problems = []
    for name, text in sorted(modules.items()):
        own = unit_of(name, units)
        for edge in imports(name, text, modules):
            where = f"{name}:{edge.line}"
            if edge.imported.split(".")[0] in BARE:
                problems.append(f"{where} imports {edge.imported} bare; import it through failure_lab")
                continue
            if own is None:
                problems.append(f"{where}: the layer table has no row for this module")
                continue
            target = unit_of(edge.imported, units)
            if target is None or target.row == own.row or own.may_import is None:
                continue
            # Naming one unit of a row allows the row; naming a folder allows everything under it.
            rows = {u.row for m in own.may_import if (u := unit_of(m, units)) is not None and u.module == m}
            inside = any(target.module == m or target.module.startswith(m + ".") for m in own.may_import)
            if target.row not in rows and not inside:
                allowed = ", ".join(own.may_import) or "nothing of the project"
                problems.append(f"{where} imports {edge.imported}, but {own.path} may import {allowed}")
    return problems


def cycles(modules: Mapping[str, str]) -> list[tuple[str, ...]]:
    """The import cycles between modules: each strongly connected set of more than one module."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, text in modules.items():
        for edge in imports(name, text, modules):
            target = edge.imported
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    # Tarjan's algorithm, iterative so deep graphs cannot exhaust the stack.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[tuple[str, ...]] = []
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
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(tuple(sorted(members)))
    return sorted(found)
