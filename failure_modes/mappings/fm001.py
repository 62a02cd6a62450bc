"""The FM_001 spec (``specs/fm001/LeaseExpiry.tla``) meets the runtime's lease and commit boundary."""

from __future__ import annotations

from failure_lab.python_impl import Rejection
from failure_lab.trace_check.parse import Value
from failure_lab.trace_check.replay.mapping import Action, Args, MappingError, SpecMapping, action_table

from .common import INVARIANT_DOCS, System, arg, fcn, held_attempt, invariants, refusal, start_queue

# The bounded model's constants (specs/fm001/MCLeaseExpiry.tla and .cfg); a test keeps them in step.
WORKERS = ("w1", "w2")
JOBS = ("j1", "j2")
MAX_TIME = 3
MAX_EPOCH = 2
LEASE_TTL = 1


def start(guards_off: frozenset[str]) -> System:
    """The runtime in FM_001's initial state: every job enqueued and runnable, time 0."""
    system = start_queue(guards_off, lease_ttl=LEASE_TTL, max_attempts=MAX_EPOCH, system=System)
    for job in JOBS:
        system.queue.enqueue("job", job)
    return system


def tick(system: System, args: Args) -> None:
    system.clock.tick()


def lease(system: System, args: Args) -> None:
    worker = arg(args, "w")
    system.held[worker] = system.queue.claim(worker, arg(args, "j"))


def commit(system: System, args: Args) -> None:
    # The model's Commit ends the job (Lease needs effects[j] = 0), so the runtime completes it in the
    # commit's own transaction; a zombie's commit, accepted without the guard, cannot complete a job
    # that is no longer its own, and its worker walks away.
    worker = arg(args, "w")
    attempt = system.attempt_of(worker, "Commit")
    system.queue.commit(attempt, complete=True)
    if system.queue.inspect().attempt(worker) is not None:
        system.queue.drop(attempt)
    del system.held[worker]


def reject_commit(system: System, args: Args) -> None:
    worker = arg(args, "w")
    attempt = system.attempt_of(worker, "RejectCommit")
    try:
        system.queue.commit(attempt)
    except Rejection:
        system.queue.drop(attempt)
        del system.held[worker]
        return
    raise MappingError(f"RejectCommit({worker}): the runtime accepted the commit the model refuses")


def abstract(system: System) -> dict[str, Value]:
    """The runtime's store as FM_001's variables."""
    s = system.queue.inspect()
    return {
        "now": s.now,
        "epoch": fcn(JOBS, {j: s.epoch(j) for j in JOBS}),
        "leaseUntil": fcn(JOBS, {j: s.lease_until(j) for j in JOBS}),
        "attempt": fcn(WORKERS, {w: held_attempt(system, w, "job") for w in WORKERS}),
        "effects": fcn(JOBS, {j: s.effects_of(j) for j in JOBS}),
    }


MAPPING = SpecMapping(
    spec_module="LeaseExpiry",
    variables=frozenset({"now", "epoch", "leaseUntil", "attempt", "effects"}),
    actions=action_table(
        Action("Tick", (), tick),
        Action("Lease", ("w", "j"), lease),
        Action("Commit", ("w",), commit),
        Action("RejectCommit", ("w",), reject_commit),
    ),
    start=start,
    abstract=abstract,
    invariants=invariants,
    refusal=refusal,
    invariant_docs=INVARIANT_DOCS,
)
