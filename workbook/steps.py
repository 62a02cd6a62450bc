"""The counterexample as a step table: one row per state, every variable, changed cells marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from failure_lab.trace_check.labels import LABEL, call_of
from failure_lab.trace_check.parse import Fcn, Record, Seq, State, Trace, Value, to_tla


@dataclass(frozen=True, slots=True)
class Cell:
    """One variable's value in one state, and whether the step into that state changed it."""

    text: str
    changed: bool


@dataclass(frozen=True, slots=True)
class Row:
    """One state: TLC's index, the action with its arguments that reached it, and every variable."""

    index: int
    call: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class StepTable:
    """The whole counterexample; ``ending`` says how a lasso goes on (or None)."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    ending: str | None
    violation: str | None


def call(state: State) -> str:
    """``Claim(r=r1, w=w1)``: the call that reached ``state``, shown as the command line shows it."""
    found = call_of(state)
    if found is not None:
        return found.text()
    # Without the lab's label: TLC's action name, or the initial state's.
    return state.action or "Init"


def step_table(trace: Trace, order: Sequence[str]) -> StepTable:
    """The table of ``trace``, columns in the spec's declaration ``order`` (the label left out)."""
    present = set().union(*(state.variables for state in trace.states)) if trace.states else set()
    columns = tuple(name for name in order if name in present and name != LABEL)
    columns += tuple(sorted(present - set(columns) - {LABEL}))
    rows = []
    previous: Mapping[str, Value] | None = None
    for state in trace.states:
        cells = []
        for name in columns:
            value = state.variables.get(name)
            text = "" if value is None else to_tla(value)
            # Compare printed forms: Python's 1 == True would hide a change TLA+ sees.
            old = None if previous is None or name not in previous else to_tla(previous[name])
            cells.append(Cell(text, previous is not None and old != text))
        rows.append(Row(state.index, call(state), tuple(cells)))
        previous = state.variables
    ending = None
    if trace.loop is not None:
        ending = f"then back to state {trace.loop + 1}, forever"
    elif trace.stuttering:
        ending = "then stuttering: nothing changes, forever"
    violation = None
    if trace.violation is not None:
        name = trace.violation.name or ""
        violation = f"{trace.violation.kind.replace('_', ' ')} {name}".strip()
    return StepTable(columns=columns, rows=tuple(rows), ending=ending, violation=violation)


def short(value: Value) -> str:
    """A compact reading of a value for tight spaces: ``r1: 2`` for functions, no quotes on strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, Fcn | Record) and len(value):
        return ", ".join(f"{short(k)}: {short(v)}" for k, v in value.graph().items())
    if isinstance(value, Seq) and not len(value):
        return "none"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(short(item) for item in value)) + "}"
    return to_tla(value)
