"""The step table: every state a row, every variable a column, exactly the changed cells marked."""

from __future__ import annotations

from failure_lab.trace_check.labels import LABEL
from failure_lab.trace_check.parse import to_tla
from failure_lab.workbook.evidence import Evidence
from failure_lab.workbook.sources import variables
from failure_lab.workbook.steps import step_table


def test_step_table_marks_exactly_the_cells_whose_value_changed(evidence: Evidence) -> None:
    checked = 0
    for ve in evidence.failure_modes:
        for v in ve.variants:
            if v.trace is None:
                continue
            table = step_table(v.trace, variables(ve.design))
            assert len(table.rows) == len(v.trace.states)
            assert LABEL not in table.columns
            assert not any(cell.changed for cell in table.rows[0].cells)
            for before, after, row in zip(v.trace.states, v.trace.states[1:], table.rows[1:], strict=False):
                for column, cell in zip(table.columns, row.cells, strict=True):
                    changed = to_tla(before.variables[column]) != to_tla(after.variables[column])
                    assert cell.changed == changed, (ve.failure_mode.id, row.index, column)
                    assert cell.text == to_tla(after.variables[column])
                checked += 1
    assert checked > 0


def test_step_rows_show_each_call_as_the_command_line_does(evidence: Evidence) -> None:
    # The same text as `failure-lab tlc` and `failure-lab replay` print for this trace (README).
    ve = evidence.get("a09_stale_epoch")
    assert ve.bug is not None and ve.bug.trace is not None
    table = step_table(ve.bug.trace, variables(ve.design))
    assert [row.call for row in table.rows] == [
        "Init()",
        "Tick()",
        "Scan(r=r1)",
        "Materialize(r=r1)",
        "Claim(r=r1, w=w1)",
        "Tick()",
        "Claim(r=r1, w=w2)",
        "Complete(w=w1)",
    ]


def test_a_lasso_says_how_it_goes_on(evidence: Evidence) -> None:
    lassos = [
        (ve, v)
        for ve in evidence.failure_modes
        for v in ve.variants
        if v.trace is not None and (v.trace.loop is not None or v.trace.stuttering)
    ]
    assert lassos, "the liveness variant should end in a lasso"
    for ve, v in lassos:
        assert v.trace is not None
        table = step_table(v.trace, variables(ve.design))
        assert table.ending is not None
