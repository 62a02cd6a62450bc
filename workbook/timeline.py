"""The counterexample as a timeline: a lane per worker, the scanner and the store, drawn as inline SVG.

The spec vocabulary it reads is shared by every model here: ``now`` is the clock (moved by ``Tick``),
``attempt[w]`` the attempt a worker believes it holds (``[run|job, epoch]``), ``epoch`` the current
attempt's epoch per run or job, ``leaseUntil`` when that claim's lease expires, ``lastAction`` the
step's label, and a worker argument is called ``w``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from failure_lab.trace_check.labels import LABEL, call_of
from failure_lab.trace_check.parse import Fcn, ModelValue, Record, State, Trace, to_tla
from failure_lab.workbook.sources import Definition
from failure_lab.workbook.steps import call, short

CLOCK, WORKER_PARAM, ATTEMPT, LEASE, EPOCH = "now", "w", "attempt", "leaseUntil", "epoch"

LEFT, COLUMN, TOP, LANE, BOTTOM = 92, 150, 44, 64, 46
_BAR = {"live": "#2f6fdf", "expired": "#e8871e", "stale": "#8a4fb8"}
_STATUS = {"live": "lease live", "expired": "lease expired", "stale": "stale epoch"}
_PRIMED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)'")


@dataclass(frozen=True, slots=True)
class Lanes:
    """Who does what: worker names, whether there is a scanner, and which variables each side writes."""

    workers: tuple[str, ...]
    scanner_actions: frozenset[str]
    scanner_variables: frozenset[str]
    store_variables: tuple[str, ...]


def lanes(trace: Trace, order: Sequence[str], actions: Mapping[str, Definition]) -> Lanes:
    """Sort the spec's actions and variables into lanes from who writes what in the spec text."""
    workers: list[str] = []
    for state in trace.states:
        held = state.variables.get(ATTEMPT)
        if isinstance(held, Fcn):
            workers = [to_tla(key) for key in held.graph()]
            break
    writers: dict[str, set[str]] = {}
    for name, action in actions.items():
        for variable in set(_PRIMED.findall(action.text)):
            writers.setdefault(variable, set()).add(name)
    worker_actions = {name for name, action in actions.items() if WORKER_PARAM in action.params}
    scanner_actions = frozenset(
        name for name in actions if name not in worker_actions and writers.get(CLOCK) != {name}
    )
    scanner_variables = frozenset(
        variable
        for variable, names in writers.items()
        if names and names <= scanner_actions and variable not in (LABEL, CLOCK)
    )
    store = tuple(
        name for name in order if name not in scanner_variables and name not in (LABEL, CLOCK, ATTEMPT)
    )
    return Lanes(tuple(sorted(workers)), scanner_actions, scanner_variables, store)


def _changes(before: State | None, after: State, names: Sequence[str]) -> list[str]:
    lines = []
    for name in names:
        new = after.variables.get(name)
        old = before.variables.get(name) if before is not None else None
        if new is None or before is None or (old is not None and to_tla(old) == to_tla(new)):
            continue
        if isinstance(new, Fcn) and isinstance(old, Fcn):
            for key, value in new.graph().items():
                if key not in old.graph() or to_tla(old.graph()[key]) != to_tla(value):
                    lines.append(f"{name}[{short(key)}] = {short(value)}")
        else:
            lines.append(f"{name} = {short(new)}")
    return lines


def _actor(state: State) -> str | None:
    call = call_of(state)
    worker = None if call is None else dict(call.args).get(WORKER_PARAM)
    return None if worker is None else to_tla(worker)


def _attempt(state: State, worker: str) -> tuple[str, int, str] | None:
    """What ``worker`` holds in ``state``: (run or job, epoch, "live" | "expired" | "stale"), or None.

    An attempt is stale once another claim opened a newer epoch, whatever that claim's lease says.
    """
    held = state.variables.get(ATTEMPT)
    if not isinstance(held, Fcn):
        return None
    mine = held.graph().get(ModelValue(worker))
    if not isinstance(mine, Record):
        return None
    fields = dict(mine.fields)
    key = fields.get("run", fields.get("job"))
    epoch = fields.get("epoch")
    if key is None or not isinstance(epoch, int):
        return None
    current = state.variables.get(EPOCH)
    if isinstance(current, Fcn) and current.graph().get(key, epoch) != epoch:
        return short(key), epoch, "stale"
    now, lease = state.variables.get(CLOCK), state.variables.get(LEASE)
    if isinstance(now, int) and isinstance(lease, Fcn):
        until = lease.graph().get(key)
        if isinstance(until, int) and now >= until:
            return short(key), epoch, "expired"
    return short(key), epoch, "live"


def _text(x: float, y: float, text: str, css: str, anchor: str = "middle") -> str:
    return f'<text x="{x:.0f}" y="{y:.0f}" class="{css}" text-anchor="{anchor}">{escape(text)}</text>'


def timeline_svg(
    trace: Trace,
    order: Sequence[str],
    actions: Mapping[str, Definition],
    *,
    title: str,
    violated: str | None = None,
    verdict: str | None = None,
) -> str:
    """The SVG of ``trace``: one column per state, attempts as bars, lease expiry and epochs marked.

    The last state is framed in red and labelled ``verdict`` (default: the violated invariant).
    """
    layout = lanes(trace, order, actions)
    # Several timelines share a page; their marker ids must not collide.
    marker = "arrow-" + hashlib.sha256(title.encode()).hexdigest()[:10]
    names = [*layout.workers] + (["scanner"] if layout.scanner_actions else []) + ["store"]
    states = trace.states
    width = LEFT + COLUMN * len(states) + 16
    height = TOP + LANE * len(names) + BOTTOM
    lane_y = {name: TOP + LANE * position for position, name in enumerate(names)}
    x = [LEFT + COLUMN * position + COLUMN / 2 for position in range(len(states))]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        "<style>.tl-lane{font:600 12px sans-serif;fill:#333}.tl-act{font:600 11px monospace;fill:#111}"
        ".tl-chg{font:10px monospace;fill:#555}.tl-now{font:11px sans-serif;fill:#333}"
        ".tl-bad{font:600 11px sans-serif;fill:#b00020}.tl-good{font:600 11px sans-serif;fill:#1b7f3b}"
        ".tl-epoch{font:600 10px monospace;fill:#fff}"
        ".tl-note{font:italic 11px sans-serif;fill:#333}</style>",
    ]
    for position, name in enumerate(names):
        y = lane_y[name]
        fill = "#f6f7f9" if position % 2 == 0 else "#ffffff"
        out.append(f'<rect x="0" y="{y}" width="{width}" height="{LANE}" fill="{fill}"/>')
        out.append(_text(8, y + 20, name, "tl-lane", "start"))
    # The clock: now, and a mark where a Tick moved it.
    for position, state in enumerate(states):
        now = state.variables.get(CLOCK)
        ticked = state.action == "Tick"
        out.append(_text(x[position], 16, f"state {state.index}", "tl-chg"))
        if isinstance(now, int):
            out.append(_text(x[position], 32, f"now = {now}", "tl-bad" if ticked else "tl-now"))
        out.append(
            f'<line x1="{x[position]:.0f}" y1="{TOP}" x2="{x[position]:.0f}" y2="{TOP + LANE * len(names)}" '
            'stroke="#d0d4da" stroke-dasharray="2 3"/>'
        )
    out.append(_text(8, 32, "clock", "tl-lane", "start"))
    # Attempts: a bar per held attempt, blue while its lease is live, orange once it has expired.
    for worker in layout.workers:
        y = lane_y[worker] + 30
        for position, state in enumerate(states):
            held = _attempt(state, worker)
            if held is None:
                continue
            key, epoch, status = held
            start = x[position] - COLUMN / 2 + 2
            bar = f'width="{COLUMN - 4}" height="16" rx="3" fill="{_BAR[status]}"'
            out.append(f'<rect x="{start:.0f}" y="{y}" {bar}/>')
            previous = _attempt(states[position - 1], worker) if position else None
            if previous is None or previous[:2] != (key, epoch):
                out.append(_text(start + 4, y + 12, f"{key} epoch {epoch}", "tl-epoch", "start"))
            elif previous[2] != status:
                out.append(_text(start + 4, y + 12, _STATUS[status], "tl-epoch", "start"))
    # The step itself: a dot in the actor's lane, the call beside it, and what it changed.
    for position, state in enumerate(states):
        before = states[position - 1] if position else None
        if state.action is None:
            actor = None
        elif state.action in layout.scanner_actions:
            actor = "scanner"
        else:
            actor = _actor(state)
        label = call(state)
        if actor is not None and actor in lane_y:
            y = lane_y[actor]
            out.append(f'<circle cx="{x[position]:.0f}" cy="{y + 10}" r="4" fill="#111"/>')
            out.append(_text(x[position], y + 25 if actor == "scanner" else y + 24, label, "tl-act"))
        elif state.action == "Tick" or state.action is None:
            pass
        else:
            out.append(_text(x[position], lane_y["store"] - 4, label, "tl-act"))
        if "scanner" in lane_y:
            scanned = _changes(before, state, sorted(layout.scanner_variables))
            for line_no, line in enumerate(scanned[:2]):
                out.append(_text(x[position], lane_y["scanner"] + 40 + 11 * line_no, line, "tl-chg"))
        stored = _changes(before, state, layout.store_variables)
        for line_no, line in enumerate(stored[:4]):
            out.append(_text(x[position], lane_y["store"] + 14 + 12 * line_no, line, "tl-chg"))
        if len(stored) > 4:
            out.append(_text(x[position], lane_y["store"] + 62, f"+{len(stored) - 4} more", "tl-chg"))
    base = TOP + LANE * len(names)
    if trace.violation is not None and states:
        last = x[-1]
        out.append(
            f'<rect x="{last - COLUMN / 2 + 1:.0f}" y="{TOP - 2}" width="{COLUMN - 2}" '
            f'height="{LANE * len(names) + 4}" fill="none" stroke="{"#1b7f3b" if verdict else "#b00020"}" '
            'stroke-width="2"/>'
        )
        what = trace.violation.name or violated or trace.violation.kind.replace("_", " ")
        label = verdict or f"{what} violated"
        css = "tl-good" if verdict else "tl-bad"
        out.append(_text(last, base + 18, label, css, "end" if len(states) > 1 else "middle"))
    if trace.loop is not None and states:
        back = x[trace.loop]
        curve = (
            f"M{x[-1]:.0f},{base + 4} C{x[-1]:.0f},{base + 40} {back:.0f},{base + 40} {back:.0f},{base + 6}"
        )
        out.append(
            f'<path d="{curve}" fill="none" stroke="#333" stroke-width="1.5" marker-end="url(#{marker})"/>'
        )
        again = f"back to state {trace.loop + 1}, forever"
        out.append(_text((x[-1] + back) / 2, base + 40, again, "tl-note"))
        out.insert(
            2,
            f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="8" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
        )
    elif trace.stuttering and states:
        out.append(_text(x[-1], base + 36, "then stutters forever", "tl-note"))
    out.append("</svg>")
    return "\n".join(out)


def holds_attempts(trace: Trace) -> bool:
    """Whether any worker holds an attempt somewhere in ``trace`` (so the timeline draws bars)."""
    for state in trace.states:
        held = state.variables.get(ATTEMPT)
        if isinstance(held, Fcn) and any(isinstance(value, Record) for value in held.graph().values()):
            return True
    return False


def legend(*, with_attempts: bool = True, goal: bool = False) -> str:
    """The key to the timeline's colours in one line; ``goal``: its last state is a goal, not a bug."""
    bars = (
        "Blue bar: the attempt a worker holds while its lease is live; orange: the same attempt after "
        "its lease expired; purple: a newer claim has opened a higher epoch, so the attempt is stale "
        "(the worker does not know). "
    )
    ending = (
        "Red: the clock moved; green: the state that reaches the goal."
        if goal
        else ("Red: the clock moved, or the state that breaks the invariant.")
    )
    return (bars if with_attempts else "") + ending
