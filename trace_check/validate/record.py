"""Record the runtime's own runs: seeded random schedules with faults, as events with the abstract state.

A schedule is what a run did: spec actions with their arguments, and faults the spec has no action
for (a scanner restart). Executing a schedule on a fresh runtime is deterministic, so a run can be
re-executed from any part of its schedule, which is how a failing run is shrunk. Refused steps are
skipped: what the recording holds is what the runtime accepted, each step with the state after it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from failure_lab.trace_check.conform.engine import beyond_horizon
from failure_lab.trace_check.conform.restore import restore, save
from failure_lab.trace_check.labels import Call
from failure_lab.trace_check.parse import Value
from failure_lab.trace_check.replay.mapping import MappingError, SpecMapping, System

RESTART = "restart_scanner"  # a fault: the scanner loses its memory and recovers it from the store
STUTTER = "Stutter"  # the event of a fault: the spec's state must not change


@dataclass(frozen=True, slots=True)
class Event:
    """One accepted step (or fault) and the abstract state after it."""

    action: str  # a spec action, "Init", or STUTTER for a fault
    args: tuple[tuple[str, Value], ...]
    state: tuple[tuple[str, Value], ...]
    fault: str | None = None

    def text(self) -> str:
        """``Claim(w=w1, r=r1)`` or the fault's name."""
        return self.fault if self.fault is not None else Call(self.action, self.args).text()


@dataclass(frozen=True, slots=True)
class Recording:
    """A recorded run: its seed, the schedule that produced it, and its events from ``Init``."""

    seed: int
    schedule: tuple[Call | str, ...]  # a Call, or the name of a fault
    events: tuple[Event, ...]

    def python(self, fm: str, guards_off: frozenset[str]) -> str:
        """The run as lines of Python over the failure mode's mapping, to paste and rerun in its lab."""
        lines = [
            "from pathlib import Path",
            "from failure_lab.trace_check.registry import load_registry",
            "from failure_lab.trace_check.replay import load_mapping",
            "from failure_lab.trace_check.parse import ModelValue as M",
            f"mapping = load_mapping(load_registry(Path('.')).get({fm!r}))",
            f"rt = mapping.start(frozenset({sorted(guards_off)!r}))",
        ]
        for item in self.schedule:
            if isinstance(item, str):
                lines.append("rt.queue.restart_scanner()")
                continue
            args = ", ".join(f"{name!r}: M({_name(value)!r})" for name, value in item.args)
            lines.append(f"mapping.actions[{item.action!r}](rt, {{{args}}})")
        return "\n".join(lines)


def _name(value: Value) -> str:
    return getattr(value, "name", str(value))


def _state(mapping: SpecMapping, system: System) -> tuple[tuple[str, Value], ...]:
    return tuple(sorted(mapping.abstract(system).items()))


def _take(mapping: SpecMapping, system: System, call: Call) -> bool:
    """Try ``call``; on a refusal (or a step the mapping cannot take) leave the runtime as it was."""
    before = save(system)
    try:
        mapping.actions[call.action](system, dict(call.args))
    except MappingError:
        restore(system, before)
        return False
    except Exception as error:
        if mapping.refusal(error) is None:
            raise
        restore(system, before)
        return False
    return True


def execute(
    mapping: SpecMapping, guards_off: frozenset[str], schedule: Sequence[Call | str], seed: int = 0
) -> Recording:
    """Run ``schedule`` on a fresh runtime and record what it accepted."""
    system = mapping.start(guards_off)
    events = [Event("Init", (), _state(mapping, system))]
    done: list[Call | str] = []
    for item in schedule:
        if isinstance(item, str):
            system.queue.restart_scanner()
            events.append(Event(STUTTER, (), _state(mapping, system), fault=item))
            done.append(item)
        elif _take(mapping, system, item):
            events.append(Event(item.action, item.args, _state(mapping, system)))
            done.append(item)
    return Recording(seed, tuple(done), tuple(events))


def random_run(
    mapping: SpecMapping,
    guards_off: frozenset[str],
    calls: Sequence[Call],
    *,
    seed: int,
    steps: int,
    horizon: int | None,
    fault_rate: float = 0.08,
) -> Recording:
    """A seeded random run of up to ``steps`` accepted steps, with scanner restarts and worker crashes.

    A crashed worker takes no further step (its attempt stays held until its lease runs out, as
    when a process dies); a restart makes the scanner recover its memory from the store. Time
    never passes the model's horizon (its time, its epochs).
    """
    rng = random.Random(seed)
    system = mapping.start(guards_off)
    schedule: list[Call | str] = []
    crashed: set[Value] = set()
    for _ in range(steps):
        roll = rng.random()
        if roll < fault_rate / 2:
            system.queue.restart_scanner()
            schedule.append(RESTART)
            continue
        if roll < fault_rate:
            workers = sorted({value for call in calls for name, value in call.args if name == "w"}, key=str)
            if workers:
                crashed.add(rng.choice(workers))
        options = [call for call in calls if not any(v in crashed for name, v in call.args if name == "w")]
        rng.shuffle(options)
        for call in options:
            before = save(system)
            if not _take(mapping, system, call):
                continue
            if beyond_horizon(mapping, mapping.abstract(system), horizon):
                restore(system, before)
                continue
            schedule.append(call)
            break
        else:
            break
    return execute(mapping, guards_off, schedule, seed)
