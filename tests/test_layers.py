"""The layers drawn in ARCHITECTURE.md hold: no import runs the wrong way, and no module import cycle."""

from __future__ import annotations

import pytest

from tests.layers import ROOT, cycles, read_table, sources, wrong_way

TABLE = read_table((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def modules() -> dict[str, str]:
    return sources()


def test_every_module_of_the_project_is_read(modules: dict[str, str]) -> None:
    for name in ("failure_lab.python_impl.queue", "failure_lab.trace_check.parse", "failure_lab.cli.check"):
        assert name in modules
    assert not any(name.startswith(("trace_check", "python_impl")) for name in modules)


def test_no_import_runs_against_the_layers(modules: dict[str, str]) -> None:
    assert wrong_way(modules, TABLE) == []


def test_no_two_modules_import_each_other_round_a_cycle(modules: dict[str, str]) -> None:
    assert cycles(modules) == []


def test_the_runtime_importing_the_parser_is_caught(modules: dict[str, str]) -> None:
    broken = dict(modules)
    broken["failure_lab.python_impl.queue"] += "\nfrom failure_lab.trace_check.parse import Trace\n"
    (problem,) = set(wrong_way(broken, TABLE)) - set(wrong_way(modules, TABLE))
    assert problem.startswith("failure_lab.python_impl.queue:")
    assert "imports failure_lab.trace_check.parse, but python_impl/ may import nothing of the project" in (
        problem
    )


def test_the_parser_importing_replay_by_string_is_caught(modules: dict[str, str]) -> None:
    broken = dict(modules)
    broken["failure_lab.trace_check.parse"] += (
        "\nimport importlib\nimportlib.import_module('failure_lab.trace_check.replay')\n"
    )
    (problem,) = set(wrong_way(broken, TABLE)) - set(wrong_way(modules, TABLE))
    assert "imports failure_lab.trace_check.replay, but trace_check/parse/ may import" in problem


def test_the_workbook_importing_the_runtime_is_caught(modules: dict[str, str]) -> None:
    broken = dict(modules)
    lazy = "\ndef f() -> None:\n    from failure_lab.python_impl import Queue\n"
    broken["failure_lab.workbook.render"] += lazy
    (problem,) = set(wrong_way(broken, TABLE)) - set(wrong_way(modules, TABLE))
    assert "workbook/ may import failure_lab.trace_check" in problem


def test_a_bare_import_of_a_part_is_caught(modules: dict[str, str]) -> None:
    broken = dict(modules)
    broken["failure_lab.cli.check"] += "\nimport trace_check.registry\n"
    (problem,) = set(wrong_way(broken, TABLE)) - set(wrong_way(modules, TABLE))
    assert "imports trace_check.registry bare; import it through failure_lab" in problem


def test_an_import_cycle_is_caught(modules: dict[str, str]) -> None:
    broken = dict(modules)
    broken["failure_lab.trace_check.parse._values"] += "\nfrom failure_lab.trace_check.parse import _itf\n"
    found = cycles(broken)
    pair = {"failure_lab.trace_check.parse._values", "failure_lab.trace_check.parse._itf"}
    assert any(pair <= set(cycle) for cycle in found)


def test_a_module_the_table_does_not_place_is_caught(modules: dict[str, str]) -> None:
    table = tuple(unit for unit in TABLE if unit.path != "bench/")
    assert any("the layer table has no row for this module" in p for p in wrong_way(modules, table))
