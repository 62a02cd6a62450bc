"""The step table keeps only what changed, checked against TLC's own -difftrace output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from failure_lab.trace_check.parse import parse_tlc_output
from failure_lab.trace_check.trace_table import step_rows

from .tlc import DATA


def _printed_names(tool_output: str) -> list[list[str]]:
    """Per state of each trace, the variables TLC printed (with -difftrace: the changed ones)."""
    bodies = re.findall(r"@!@!@STARTMSG 2217:4 @!@!@\n.*?\n(.*?)\n\n@!@!@ENDMSG", tool_output, re.DOTALL)
    return [re.findall(r"^/\\ (\w+) = ", body, re.MULTILINE) for body in bodies]


@pytest.mark.parametrize(
    ("full", "diff"), [("shapes", "shapes_difftrace"), ("shapes_continue", "shapes_continue_difftrace")]
)
def test_changed_variables_are_the_ones_difftrace_prints(full: str, diff: str) -> None:
    traces = parse_tlc_output((DATA / f"{full}.tool.out").read_text()).traces
    rows = [(trace, position, row) for trace in traces for position, row in enumerate(step_rows(trace))]
    printed = _printed_names((DATA / f"{diff}.tool.out").read_text())
    assert len(rows) == len(printed)
    for (trace, position, row), names in zip(rows, printed, strict=True):
        changed = {name for name, _, _ in row.changes}
        assert changed <= set(names)
        # TLC 2.15 sometimes reprints an unchanged string under -difftrace; those must be equal indeed.
        for name in set(names) - changed:
            assert trace.states[position].variables[name] == trace.states[position - 1].variables[name]


def test_rows_carry_old_and_new_values_and_the_action() -> None:
    [trace] = parse_tlc_output((DATA / "stop_deadlock.out").read_text()).traces
    rows = step_rows(trace)
    assert [(row.index, row.action) for row in rows] == [(s.index, s.action) for s in trace.states]
    for row, before, after in zip(rows[1:], trace.states, trace.states[1:], strict=False):
        for name, old, new in row.changes:
            assert (old, new) == (before.variables[name], after.variables[name])
    assert all(old is None for _, old, _ in rows[0].changes)


def test_render_shows_arguments_and_only_the_changed_cells() -> None:
    from rich.console import Console

    from failure_lab.trace_check.parse import loads_itf
    from failure_lab.trace_check.trace_table import render_steps

    path = Path(__file__).resolve().parents[2] / "failure_modes/a09_stale_epoch/traces/bug.itf.json"
    (trace,) = loads_itf(path.read_text(), source=str(path))
    console = Console(width=200, record=True)
    console.print(render_steps(trace))
    text = console.export_text()
    assert "│ 7 │ Claim(r=r1, w=w2)" in text
    assert "epoch[r1]: 1 → 2" in text and "claimers[r1]: {w1} → {w2}" in text
    assert "lastAction" not in text
    assert "epoch: (r1 :> 1 @@ r2 :> 0) → " not in text
