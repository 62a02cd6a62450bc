"""The step table: every state a row, every variable a column, exactly the changed cells marked."""

from __future__ import annotations

from failure_lab.trace_check.parse import Record, to_tla
from failure_lab.workbook.evidence import Evidence
from failure_lab.workbook.sources import definitions, variables
from failure_lab.workbook.steps import LABEL, step_table


def test_step_table_marks_exactly_the_cells_whose_value_changed(evidence: Evidence) -> None:
    checked = 0
    for ve in evidence.failure_modes:
        params = {name: d.params for name, d in definitions(ve.design).items()}
        for v in ve.variants:
            if v.trace is None:
                continue
            table = step_table(v.trace, variables(ve.design), params)
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


def test_step_rows_name_the_action_with_its_arguments_in_parameter_order(evidence: Evidence) -> None:
    ve = evidence.get("a09_stale_epoch")
    assert ve.bug is not None and ve.bug.trace is not None
    params = {name: d.params for name, d in definitions(ve.design).items()}
    table = step_table(ve.bug.trace, variables(ve.design), params)
    for state, row in zip(ve.bug.trace.states[1:], table.rows[1:], strict=True):
        label = state.variables[LABEL]
        assert isinstance(label, Record)
        given = label["args"]
        args = dict(given.fields) if isinstance(given, Record) else {}
        ordered = [to_tla(args[name]) for name in params[state.action or ""]]
        expected = f"{state.action}({', '.join(ordered)})" if ordered else state.action
        assert row.call == expected


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
        table = step_table(v.trace, variables(ve.design), {})
        assert table.ending is not None
