"""The Jobs spec (``specs/jobs/Jobs.tla``) meets the runtime: claims, the effect boundary, retries, leases.

Three abstractions need a word. The model's ``attempt[w].phase`` is the worker process's memory (has
its handler applied the effect yet?), kept here beside the attempt it holds. The model's leases run
out one by one (``ExpireLease(j)``), where the runtime's are points in time: the runtime's lease-expiry
fault ends exactly one lease, and its reaper then releases it, as the model's ``AfterExpiry`` says
(runnable while the budget lasts, dead once it is spent; with ``reclaim_expired`` off nothing does, and
the job stays claimed). And a lease the model calls "expired" on a job no longer claimed is one
that ran out (the store keeps how each claim ended); "none" is one given back, or never granted.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from failure_lab.python_impl import RetryPolicy
from failure_lab.python_impl.errors import DuplicateEffect, NotStale
from failure_lab.trace_check.parse import Value
from failure_lab.trace_check.replay.mapping import Action, Args, MappingError, SpecMapping, action_table

from .common import (
    INVARIANT_DOCS,
    NO_ATTEMPT,
    System,
    arg,
    epochs_beyond,
    fcn,
    invariants,
    lease_of,
    model,
    record,
    refusal,
    restart_worker,
    run_out_lease,
    start_queue,
    units_of,
)

# The bounded model's constants (specs/jobs/MCJobs.tla and .cfg); a test keeps them in step.
WORKERS = ("w1", "w2")
JOBS = ("j1", "j2")
BUDGET = 2
MAX_EPOCH = 3
# Long enough that no lease runs out unless a step says so (ExpireLease moves the clock to it).
LEASE_TTL = 100
CHARGE = {"charge": 100}


@dataclass
class JobsSystem(System):
    """The runtime, plus how far each worker's handler got: "running" or "applied"."""

    phase: dict[str, str] = field(default_factory=dict)


def start(guards_off: frozenset[str]) -> JobsSystem:
    """Every job enqueued and runnable at time 0; backoff of one tick, so a retry waits for no one."""
    return start_queue(
        guards_off,
        lease_ttl=LEASE_TTL,
        retry=RetryPolicy(max_attempts=BUDGET, base_backoff=1, jitter=0.0),
        enqueue=JOBS,
        system=JobsSystem,
    )


def _system(system: System) -> JobsSystem:
    assert isinstance(system, JobsSystem)
    return system


def claim(system: System, args: Args) -> None:
    s = _system(system)
    worker = arg(args, "w")
    s.held[worker] = s.queue.claim(worker, arg(args, "j"))
    s.phase[worker] = "running"


def _phase(s: JobsSystem, worker: str, step: str, phase: str) -> None:
    # The handler's progress lives in the worker process, not the store: only the worker can refuse.
    if s.phase.get(worker) != phase:
        raise MappingError(f"{step}({worker}): the worker's handler is not {phase}")


def apply(system: System, args: Args) -> None:
    s = _system(system)
    worker = arg(args, "w")
    _phase(s, worker, "Apply", "running")
    # A duplicate is the boundary finding the effect by its key: the handler's work is done, nothing lands.
    with contextlib.suppress(DuplicateEffect):
        s.queue.commit(s.attempt_of(worker, "Apply"), CHARGE)
    s.phase[worker] = "applied"


def complete(system: System, args: Args) -> None:
    s = _system(system)
    worker = arg(args, "w")
    _phase(s, worker, "Complete", "applied")
    s.queue.complete(s.attempt_of(worker, "Complete"))
    _forget(s, worker)


def fail(system: System, args: Args) -> None:
    s = _system(system)
    worker = arg(args, "w")
    _phase(s, worker, "Fail", "running")
    attempt = s.attempt_of(worker, "Fail")
    s.queue.fail(attempt, "handler failed")
    _forget(s, worker)
    # The model has no backoff: let it pass, so the retry is claimable as the spec says it is.
    if s.queue.job(attempt.job_key).status == "runnable":
        s.clock.advance(s.queue.retry.backoff(attempt.job_key, attempt.number))


def crash(system: System, args: Args) -> None:
    # The process dies and restarts under its name with nothing; the unit keeps its claim and its
    # lease, because nobody knows whether the handler's effect landed.
    s = _system(system)
    worker = arg(args, "w")
    restart_worker(s, worker)
    del s.phase[worker]


def expire_lease(system: System, args: Args) -> None:
    # The model's leases run out one by one, whatever the others' times, and a holder may still be
    # alive (a zombie, fm005's).
    run_out_lease(system, arg(args, "j"))


def reject_stale(system: System, args: Args) -> None:
    s = _system(system)
    worker = arg(args, "w")
    attempt = s.attempt_of(worker, "RejectStale")
    try:
        s.queue.reject_stale(attempt)
    except NotStale:
        # Same epoch, but the claim is over (its lease ran out and the reaper released the job): the
        # worker's next write is refused, and it walks away. While the job is still claimed, it is not.
        if s.queue.job(attempt.job_key).status == "claimed":
            raise
        s.queue.drop(attempt)
    _forget(s, worker)


def _forget(s: JobsSystem, worker: str) -> None:
    del s.held[worker]
    del s.phase[worker]


def _status(status: str) -> str:
    return "done" if status == "completed" else status


def _attempt(s: JobsSystem, worker: str) -> Value:
    held = s.held.get(worker)
    if held is None:
        return NO_ATTEMPT
    return record(("job", model(held.job_key)), ("epoch", held.epoch), ("phase", s.phase[worker]))


def abstract(system: System) -> dict[str, Value]:
    """The runtime as the Jobs spec's variables."""
    s = _system(system)
    units, now = units_of(s), s.clock.now()
    return {
        "status": fcn(JOBS, {j: _status(units[j].status) for j in JOBS}),
        "epoch": fcn(JOBS, {j: units[j].epoch for j in JOBS}),
        "lease": fcn(JOBS, {j: lease_of(units[j], now) for j in JOBS}),
        "attempt": fcn(WORKERS, {w: _attempt(s, w) for w in WORKERS}),
        "applied": frozenset(
            record(("job", model(entry.job_key)), ("epoch", entry.epoch)) for entry in s.queue.store.ledger()
        ),
    }


def progress(system: System) -> None:
    """What LiveSpec's fairness promises: leases run out, and every live worker takes work and finishes it."""
    s = _system(system)
    snapshot = s.queue.inspect()
    latest = max((unit.lease_until for unit in snapshot.units.values()), default=0)
    s.clock.advance(max(0, latest - s.clock.now()))
    for worker in WORKERS:
        if worker in s.held:
            continue
        attempt = s.queue.claim_next(worker)
        if attempt is not None:
            with contextlib.suppress(DuplicateEffect):
                s.queue.commit(attempt, CHARGE, complete=True)


def claimed_jobs_finish(system: System) -> bool:
    """``ClaimedJobsFinish``'s goal: every job ever claimed is completed or dead-lettered."""
    units = _system(system).queue.inspect().units.values()
    return all(unit.status in ("completed", "dead") for unit in units if unit.epoch > 0)


MAPPING = SpecMapping(
    spec_module="Jobs",
    variables=frozenset({"status", "epoch", "lease", "attempt", "applied"}),
    actions=action_table(
        Action("Claim", ("w", "j"), claim),
        Action("Apply", ("w",), apply),
        Action("Complete", ("w",), complete),
        Action("Fail", ("w",), fail),
        Action("Crash", ("w",), crash),
        Action("ExpireLease", ("j",), expire_lease),
        Action("RejectStale", ("w",), reject_stale),
    ),
    start=start,
    abstract=abstract,
    invariants=invariants,
    refusal=refusal,
    progress=progress,
    goals={"ClaimedJobsFinish": claimed_jobs_finish},
    beyond=epochs_beyond(MAX_EPOCH),
    invariant_docs=INVARIANT_DOCS,
)

__all__ = ["MAPPING"]
