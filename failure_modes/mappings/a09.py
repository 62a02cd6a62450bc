"""The A09 spec meets the runtime: each action one queue call, the store read back as its variables."""

from __future__ import annotations

from failure_lab.trace_check.parse import Value
from failure_lab.trace_check.replay.mapping import Action, Args, SpecMapping, action_table

from .common import (
    INVARIANT_DOCS,
    System,
    arg,
    fcn,
    held_attempt,
    invariants,
    models,
    refusal,
    start_queue,
)

# The bounded model's constants (specs/a09/MCA09.tla and MCA09.cfg); a test keeps them in step.
WORKERS = ("w1", "w2")
DUE_AT = {"r1": 1, "r2": 2}
MAX_TIME = 3
MAX_EPOCH = 2
LEASE_TTL = 1


def start(guards_off: frozenset[str]) -> System:
    """The runtime in A09's initial state: every run scheduled at its due time, time 0."""
    system = start_queue(guards_off, lease_ttl=LEASE_TTL, max_attempts=MAX_EPOCH, system=System)
    for run, due in sorted(DUE_AT.items()):
        system.queue.schedule("job", run, None, due)
    return system


def tick(system: System, args: Args) -> None:
    system.clock.tick()


def scan(system: System, args: Args) -> None:
    system.queue.scan(arg(args, "r"))


def materialize(system: System, args: Args) -> None:
    system.queue.materialize(arg(args, "r"))


def advance_checkpoint(system: System, args: Args) -> None:
    system.queue.advance_checkpoint()


def claim(system: System, args: Args) -> None:
    worker = arg(args, "w")
    system.held[worker] = system.queue.claim(worker, arg(args, "r"))


def complete(system: System, args: Args) -> None:
    worker = arg(args, "w")
    system.queue.complete(system.attempt_of(worker, "Complete"))
    del system.held[worker]


def reject_stale(system: System, args: Args) -> None:
    worker = arg(args, "w")
    system.queue.reject_stale(system.attempt_of(worker, "RejectStale"))
    del system.held[worker]


def abstract(system: System) -> dict[str, Value]:
    """The runtime's store as A09's variables."""
    s = system.queue.inspect()
    runs = sorted(DUE_AT)
    return {
        "now": s.now,
        "scheduled": models(s.scheduled),
        "taken": models(s.taken),
        "checkpoint": s.checkpoint,
        "unit": fcn(runs, {r: s.unit(r) for r in runs}),
        "claimers": fcn(runs, {r: models(s.claimers(r)) for r in runs}),
        "epoch": fcn(runs, {r: s.epoch(r) for r in runs}),
        "leaseUntil": fcn(runs, {r: s.lease_until(r) for r in runs}),
        "attempt": fcn(WORKERS, {w: held_attempt(system, w, "run") for w in WORKERS}),
        "completedEpoch": fcn(runs, {r: s.completed_epoch(r) for r in runs}),
    }


def progress(system: System) -> None:
    """What the fairness of LiveSpec promises: the timer fires and the scanner runs a full pass."""
    if system.clock.now() < MAX_TIME:
        system.clock.tick()
    system.queue.scan_pass()


def every_due_run_materialized(system: System) -> bool:
    """``EveryDueRunMaterialized``'s goal: every run has its unit."""
    s = system.queue.inspect()
    return all(s.unit(run) != "none" for run in DUE_AT)


MAPPING = SpecMapping(
    spec_module="A09",
    variables=frozenset(
        {
            "now",
            "scheduled",
            "taken",
            "checkpoint",
            "unit",
            "claimers",
            "epoch",
            "leaseUntil",
            "attempt",
            "completedEpoch",
        }
    ),
    actions=action_table(
        Action("Tick", (), tick),
        Action("Scan", ("r",), scan),
        Action("Materialize", ("r",), materialize),
        Action("AdvanceCheckpoint", (), advance_checkpoint),
        Action("Claim", ("w", "r"), claim),
        Action("Complete", ("w",), complete),
        Action("RejectStale", ("w",), reject_stale),
    ),
    start=start,
    abstract=abstract,
    invariants=invariants,
    refusal=refusal,
    progress=progress,
    goals={"EveryDueRunMaterialized": every_due_run_materialized},
    invariant_docs=INVARIANT_DOCS,
)

__all__ = ["MAPPING"]
