"""Judge a replay against what its direction promises: repro, prevent, or lasso."""

from __future__ import annotations

from dataclasses import dataclass

from failure_lab.trace_check.parse import Trace
from failure_lab.trace_check.replay.engine import Replay


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a replay shows what it should, and a one-line reason either way."""

    ok: bool
    reason: str


def judge_repro(trace: Trace, result: Replay, invariant: str) -> Verdict:
    """Guard off: every state agrees, and the invariant of the same name breaks at the end."""
    total = len(result.steps)
    if result.refusal is not None:
        r = result.refusal
        return Verdict(
            False, f"the runtime refused step {r.step.position} {r.step.call()} ({r.guard}): {r.message}"
        )
    if result.divergence is not None:
        step, where = result.divergence.step, ", ".join(d.path for d in result.divergence.differences)
        return Verdict(False, f"model and runtime part at step {step.position} {step.call()}: {where}")
    if trace.violation is not None and trace.violation.kind == "property":
        if any(result.goals.values()) or not result.goals:
            return Verdict(False, f"the runtime left the loop: goals {result.goals}")
        return Verdict(
            True, f"agrees on {result.agreed} states and stays in the loop: {invariant} never holds"
        )
    breaches = result.invariants.get(invariant, ())
    if not breaches:
        return Verdict(False, f"agrees on {total} states but {invariant} holds in the runtime")
    return Verdict(True, f"agrees on {result.agreed} states; {invariant} breaks: {breaches[0]}")


def judge_prevent(result: Replay, guard: str, action: str) -> Verdict:
    """Guard on: the runtime parts from the bug trace at an ``action`` step, and no invariant breaks."""
    if result.completed:
        return Verdict(False, f"the runtime followed the bug trace to the end: guard {guard} refused nothing")
    if result.refusal is not None:
        step = result.refusal.step
        if result.refusal.guard != guard:
            return Verdict(
                False,
                f"step {step.position} {step.call()} was refused by {result.refusal.guard}, not {guard}",
            )
        parted = f"the guard refuses step {step.position} {step.call()}"
    else:
        assert result.divergence is not None
        step = result.divergence.step
        if step.action != action:
            where = ", ".join(d.path for d in result.divergence.differences)
            parted = f"model and runtime part at step {step.position} {step.call()} ({where})"
            return Verdict(False, f"{parted}, not at {action}")
        parted = f"the guard changes step {step.position} {step.call()}"
    if step.action != action:
        return Verdict(False, f"{parted}, but the guard acts on {action}")
    if result.broken:
        return Verdict(False, f"{parted}, yet {', '.join(result.broken)} breaks")
    if result.goals and not all(result.goals.values()):
        return Verdict(False, f"{parted}, yet the runtime makes no progress: {result.goals}")
    return Verdict(True, f"agrees on {result.agreed} states; {parted}; every invariant holds")
