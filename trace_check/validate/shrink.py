"""Shrink a failing recorded run: fewer steps, the same kind of trouble, confirmed by TLC.

Each round puts many smaller candidates of the run (each without one chunk of its schedule,
re-executed on a fresh runtime) into one trace spec. TLC explores them breadth-first, so the
candidate it stops on is the one that parts from the model soonest; that one, cut just after the
event that parts, is the next run. When no candidate fails, every single step is needed.
"""

from __future__ import annotations

from collections.abc import Sequence

from failure_lab.trace_check.labels import Call
from failure_lab.trace_check.replay.mapping import SpecMapping
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate.check import TraceSetting, Validation, check_runs
from failure_lab.trace_check.validate.record import Recording, execute

MAX_ROUNDS = 40


def _cut(recording: Recording, validation: Validation) -> tuple[Call | str, ...]:
    """The schedule up to and including the step of the first unmatched event."""
    assert validation.unmatched is not None
    return recording.schedule[: max(validation.unmatched.position - 1, 0)]


def _candidates(schedule: Sequence[Call | str]) -> list[tuple[Call | str, ...]]:
    found: list[tuple[Call | str, ...]] = []
    size = len(schedule) // 2
    while size >= 1:
        for start in range(0, len(schedule), size):
            candidate = tuple(schedule[:start]) + tuple(schedule[start + size :])
            if candidate not in found and len(candidate) < len(schedule):
                found.append(candidate)
        size //= 2
    return found


def shrink(
    recording: Recording,
    validation: Validation,
    mapping: SpecMapping,
    guards_off: frozenset[str],
    where: TraceSetting,
    workspace: Workspace,
) -> tuple[Recording, Validation]:
    """A shorter run that still parts from the model, and TLC's word on it."""
    if validation.unmatched is None:
        return recording, validation
    best = execute(mapping, guards_off, _cut(recording, validation), recording.seed)
    verdict = check_runs(where, [best], workspace, name="Shrunk")
    if verdict.unmatched is None:  # cutting changed nothing TLC sees; keep the whole run
        return recording, validation
    for _ in range(MAX_ROUNDS):
        runs = [
            execute(mapping, guards_off, schedule, recording.seed) for schedule in _candidates(best.schedule)
        ]
        if not runs:
            break
        found = check_runs(where, runs, workspace, name="Shrinking")
        if found.unmatched is None:
            break
        smaller = runs[found.unmatched.run]
        best = execute(
            mapping, guards_off, smaller.schedule[: max(found.unmatched.position - 1, 0)], recording.seed
        )
        verdict = check_runs(where, [best], workspace, name="Shrunk")
        if verdict.unmatched is None:  # pragma: no cover - the cut run failed inside the batch
            best, verdict = smaller, check_runs(where, [smaller], workspace, name="Shrunk")
    return best, verdict
