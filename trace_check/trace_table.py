"""The counterexample on a terminal: per step, its call and only the variables it changed."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from failure_lab.trace_check.diff import diff_values
from failure_lab.trace_check.labels import LABEL, call_of
from failure_lab.trace_check.parse import Trace, Value, to_tla

_NOTHING = object()


@dataclass(frozen=True, slots=True)
class StepRow:
    """One step: the state's index and action, and ``(name, old, new)`` per changed variable.

    In the initial state every variable is "changed" and ``old`` is None.
    """

    index: int
    action: str | None
    changes: tuple[tuple[str, Value | None, Value], ...]


def step_rows(trace: Trace) -> tuple[StepRow, ...]:
    """One row per state, keeping only the variables whose value differs from the previous state."""
    rows: list[StepRow] = []
    previous: dict[str, Value] = {}
    for position, state in enumerate(trace.states):
        changes = []
        for name, value in state.variables.items():
            old = previous.get(name, _NOTHING)
            # Compare printed forms too: Python's 1 == True would hide a change TLA+ sees.
            if position == 0 or old is _NOTHING or old != value or to_tla(old) != to_tla(value):  # type: ignore[arg-type]
                changes.append((name, None if old is _NOTHING else old, value))
        rows.append(StepRow(state.index, state.action, tuple(changes)))  # type: ignore[arg-type]
        previous = dict(state.variables)
    return tuple(rows)


def _shorten(text: str, max_width: int) -> str:
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def _ending(trace: Trace) -> str | None:
    if trace.loop is not None:
        return f"back to state {trace.loop + 1}"
    if trace.stuttering:
        return "stuttering"
    return None


def _action_text(trace: Trace, position: int, label: str) -> str:
    """The step's action, with its arguments when the trace carries the lab's action label."""
    state = trace.states[position]
    if position == 0:
        return "Initial predicate"
    call = call_of(state, label)
    # Without the lab's label: TLC's action name.
    return call.text() if call is not None else state.action or "?"


def render_steps(trace: Trace, *, max_width: int = 60, label: str = LABEL) -> Table:
    """The step table: index, action (with arguments), and ``path: old → new`` per changed cell.

    A function or record that changed shows only the entries that changed
    (``epoch[r1]: 0 → 1``); the action label itself is the action column, not a change.
    """
    title = None
    if trace.violation is not None:
        name = f" {trace.violation.name}" if trace.violation.name else ""
        title = f"{trace.violation.kind.replace('_', ' ')}{name}"
    table = Table(title=title, show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("action")
    table.add_column("changes")
    for position, row in enumerate(step_rows(trace)):
        lines = Text()
        for name, old, new in row.changes:
            if name == label:
                continue
            cells: list[tuple[str, Value | None, Value | None]] = [(name, None, new)]
            if old is not None and position:
                # Equal to Python but printed apart by TLC (1 vs TRUE): keep the whole change.
                diffs = diff_values(old, new, name)
                cells = [(d.path, d.expected, d.actual) for d in diffs] or [(name, old, new)]
            for path, before, after in cells:
                if lines:
                    lines.append("\n")
                lines.append(f"{path}: ", style="bold")
                if before is not None:
                    lines.append(_shorten(to_tla(before), max_width), style="dim")
                    lines.append(" → ")
                lines.append(_shorten("(absent)" if after is None else to_tla(after), max_width))
        table.add_row(str(row.index), _action_text(trace, position, label), lines)
    ending = _ending(trace)
    if ending is not None:
        table.add_row("", Text(ending, style="italic"), "")
    return table
