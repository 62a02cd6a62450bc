"""The lab's action labels: every spec records `lastAction = [name |-> "Claim", args |-> [...]]`.

TLC 2.15 prints an action's name but not its arguments, so the specs keep the step
and its arguments in this variable (``specs/README.md`` says why); the step tables,
the replay, conformance and the book read it through here, and show a call one way:
``Call.text()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.parse import Fcn, Record, Seq, State, Value, to_tla

LABEL = "lastAction"


class LabelError(TraceCheckError):
    """A ``lastAction`` value that is not ``[name |-> "...", args |-> [...]]``."""


@dataclass(frozen=True, slots=True)
class Call:
    """One spec action with its arguments: what a step's label records and what a mapping takes."""

    action: str
    args: tuple[tuple[str, Value], ...] = ()

    def text(self) -> str:
        """``Claim(r=r1, w=w1)``: every argument named, in the order given; ``Tick()`` without any."""
        return f"{self.action}({', '.join(f'{name}={to_tla(value)}' for name, value in self.args)})"


def read_call(label: Value, where: str) -> Call:
    """The call a label records, its arguments in the order TLC printed them."""
    if not isinstance(label, Record) or "name" not in label.graph() or "args" not in label.graph():
        raise LabelError(f"{where}: expected a label [name |-> ..., args |-> ...], got {to_tla(label)}")
    name, args = label["name"], label["args"]
    if not isinstance(name, str):
        raise LabelError(f"{where}: the action name is not a string: {to_tla(name)}")
    if isinstance(args, Record):
        return Call(name, args.fields)
    if isinstance(args, Seq | Fcn) and len(args) == 0:
        return Call(name)
    raise LabelError(f"{where}: expected the arguments as a record, got {to_tla(args)}")


def call_of(state: State, label: str = LABEL) -> Call | None:
    """The call ``state``'s label records; None when it has no label of the lab's shape."""
    if label not in state.variables:
        return None
    try:
        return read_call(state.variables[label], f"state {state.index}")
    except LabelError:
        return None
