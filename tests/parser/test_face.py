"""The parser is one package with one face: nothing outside it imports its private modules, and it
imports nothing of the project but the error and outcome types below it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARSE = ROOT / "trace_check" / "parse"
FOLDERS = ("cli", "trace_check", "python_impl", "workbook", "failure_modes", "bench", "tests")
# The differential tests of the fast value reader against the grammar reach behind the face.
INTERNAL_TESTS = (ROOT / "tests" / "parser" / "test_values.py",)
PARSER_MAY_IMPORT = ("failure_lab.trace_check.errors", "failure_lab.trace_check.outcome")


def imported(source: str) -> Iterator[str]:
    """Every module ``source`` imports, by its absolute name (relative imports are left out)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def private_parser_imports(source: str) -> list[str]:
    """The parser's private modules ``source`` imports."""
    return [name for name in imported(source) if name.startswith("failure_lab.trace_check.parse._")]


def project_imports_of_the_parser(source: str) -> list[str]:
    """What a parser module imports from the project outside the parser and the types below it."""
    return [
        name
        for name in imported(source)
        if (name.startswith(("failure_lab", "failure_modes", "bench")))
        and not name.startswith("failure_lab.trace_check.parse")
        and name not in PARSER_MAY_IMPORT
    ]


def python_files() -> Iterator[Path]:
    for folder in FOLDERS:
        yield from (path for path in (ROOT / folder).rglob("*.py") if "__pycache__" not in path.parts)


def test_nothing_outside_the_parser_imports_its_private_modules() -> None:
    found = {
        str(path.relative_to(ROOT)): names
        for path in python_files()
        if PARSE not in path.parents and path not in INTERNAL_TESTS
        if (names := private_parser_imports(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_parser_imports_nothing_above_it() -> None:
    found = {
        str(path.relative_to(ROOT)): names
        for path in PARSE.rglob("*.py")
        if (names := project_imports_of_the_parser(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_checks_see_a_private_import_and_an_upward_one() -> None:
    behind_the_face = "from failure_lab.trace_check.parse._values import Seq\n"
    assert private_parser_imports(behind_the_face) == ["failure_lab.trace_check.parse._values"]
    assert private_parser_imports("from failure_lab.trace_check.parse import Seq\n") == []
    upward = "import failure_lab.trace_check.tlc\nfrom failure_lab.trace_check.labels import LABEL\n"
    assert project_imports_of_the_parser(upward) == [
        "failure_lab.trace_check.tlc",
        "failure_lab.trace_check.labels",
    ]
    assert project_imports_of_the_parser("from failure_lab.trace_check.outcome import Outcome\n") == []
