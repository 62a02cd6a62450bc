"""The Poison spec (``specs/poison/Poison.tla``) meets the runtime: deliveries, failures, deaths, leases.

A delivery is a claim. A handler that kills its worker is the worker process dying and restarting
under its name (``Queue.abandon``): nothing is reported, the claim and its lease stay. The model's
leases run out one at a time, and only once their holder is dead (a slow holder is fm005's zombie):
the runtime's lease-expiry fault ends exactly that lease and its reaper then takes the job back, as
the model's ``ExpireLease`` says (another delivery while the budget lasts, else a dead letter). A lease
the model calls "expired" on a job no longer claimed is one that ran out (the store keeps how each
claim ended); "none" is one given back, or never granted.
"""

from __future__ import annotations

from failure_lab.python_impl import RetryPolicy
from failure_lab.trace_check.parse import Value
from failure_lab.trace_check.replay.mapping import Action, Args, SpecMapping, action_table

from .common import (
    INVARIANT_DOCS,
    System,
    arg,
    epochs_beyond,
    fcn,
    invariants,
    lease_of,
    refusal,
    refuse_live_holders,
    remembered_attempt,
    restart_worker,
    run_out_lease,
    start_queue,
    units_of,
)

# The bounded model's constants (specs/poison/MCPoison.tla and .cfg); conformance keeps them in step.
WORKERS = ("w1", "w2")
JOBS = ("j1", "j2", "j3")
BUDGET = 2
MAX_EPOCH = 3
# Long enough that no lease runs out unless a step says so (ExpireLease ends the one it names).
LEASE_TTL = 100


def start(guards_off: frozenset[str]) -> System:
    """Every job enqueued and runnable at time 0; backoff of one tick, so a retry waits for no one."""
    return start_queue(
        guards_off,
        lease_ttl=LEASE_TTL,
        retry=RetryPolicy(max_attempts=BUDGET, base_backoff=1, jitter=0.0),
        enqueue=JOBS,
    )


def claim(system: System, args: Args) -> None:
    worker = arg(args, "w")
    system.held[worker] = system.queue.claim(worker, arg(args, "j"))


def complete(system: System, args: Args) -> None:
    worker = arg(args, "w")
    system.queue.complete(system.attempt_of(worker, "Complete"))
    del system.held[worker]


def fail(system: System, args: Args) -> None:
    worker = arg(args, "w")
    attempt = system.attempt_of(worker, "Fail")
    system.queue.fail(attempt, "handler failed")
    del system.held[worker]
    # The model has no backoff: let it pass, so the retry is claimable as the spec says it is.
    if system.queue.job(attempt.job_key).status == "runnable":
        system.clock.advance(system.queue.retry.backoff(attempt.job_key, attempt.number))


def crash(system: System, args: Args) -> None:
    # The handler kills its worker: the process restarts under its name with nothing, having reported
    # nothing; the claim keeps its lease, because nobody knows how far the handler got.
    restart_worker(system, arg(args, "w"))


def expire_lease(system: System, args: Args) -> None:
    job = arg(args, "j")
    refuse_live_holders(system, job)
    run_out_lease(system, job)


def abstract(system: System) -> dict[str, Value]:
    """The runtime as the Poison spec's variables."""
    units, now = units_of(system), system.clock.now()
    return {
        "status": fcn(JOBS, {j: "done" if units[j].status == "completed" else units[j].status for j in JOBS}),
        "epoch": fcn(JOBS, {j: units[j].epoch for j in JOBS}),
        "lease": fcn(JOBS, {j: lease_of(units[j], now) for j in JOBS}),
        "attempt": fcn(WORKERS, {w: remembered_attempt(system, w) for w in WORKERS}),
    }


MAPPING = SpecMapping(
    spec_module="Poison",
    variables=frozenset({"status", "epoch", "lease", "attempt"}),
    actions=action_table(
        Action("Claim", ("w", "j"), claim),
        Action("Complete", ("w",), complete),
        Action("Fail", ("w",), fail),
        Action("Crash", ("w",), crash),
        Action("ExpireLease", ("j",), expire_lease),
    ),
    start=start,
    abstract=abstract,
    invariants=invariants,
    refusal=refusal,
    beyond=epochs_beyond(MAX_EPOCH),
    invariant_docs=INVARIANT_DOCS,
)

__all__ = ["MAPPING"]
