"""The lab's action labels: every spec records `lastAction = [name |-> "Claim", args |-> [...]]`.

TLC 2.15 prints an action's name but not its arguments, so the specs keep the step
and its arguments in this variable (``specs/README.md`` says why); the step table and
the replay read it through here.
"""

from __future__ import annotations

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.parse import Fcn, Record, Seq, Value, to_tla

LABEL = "lastAction"


class LabelError(TraceCheckError):
    """A ``lastAction`` value that is not ``[name |-> "...", args |-> [...]]``."""


def split_label(label: Value, where: str) -> tuple[str, tuple[tuple[str, Value], ...]]:
    """The action's name and its arguments in the order TLC printed them."""
    if not isinstance(label, Record) or "name" not in label.graph() or "args" not in label.graph():
        raise LabelError(f"{where}: expected a label [name |-> ..., args |-> ...], got {to_tla(label)}")
    name, args = label["name"], label["args"]
    if not isinstance(name, str):
        raise LabelError(f"{where}: the action name is not a string: {to_tla(name)}")
    if isinstance(args, Record):
        return name, args.fields
    if isinstance(args, Seq | Fcn) and len(args) == 0:
        return name, ()
    raise LabelError(f"{where}: expected the arguments as a record, got {to_tla(args)}")


def call_text(name: str, args: tuple[tuple[str, Value], ...]) -> str:
    """``Claim(r=r1, w=w1)``."""
    return f"{name}({', '.join(f'{arg}={to_tla(value)}' for arg, value in args)})"
