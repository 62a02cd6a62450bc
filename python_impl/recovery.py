"""Recovery paths: after a guard was missing, re-establish the invariant it protects, and say what was done.

Prevention is the guard; these are for the state a missing guard already left behind (an old
deployment, a bug found in production). Each repairs one invariant by one strategy, is safe to run
when there is nothing to repair, and changes the store in transactions of its own. ``recover`` runs
them all; "correctness restored" means ``invariants.check`` finds nothing afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType

from failure_lab.python_impl.effects import COMPENSATES, Effect
from failure_lab.python_impl.invariants import PoisonDeadLettered
from failure_lab.python_impl.queue import Queue

RECOVERY_WORKER = "recovery"
"""The worker name compensating effects are applied under, so the external world can tell them apart."""


@dataclass(frozen=True, slots=True)
class Repair:
    """What one recovery did: the invariant it re-establishes, how, and the job keys it touched."""

    invariant: str
    strategy: str
    job_keys: tuple[str, ...]

    def __str__(self) -> str:
        keys = ", ".join(self.job_keys) or "nothing to repair"
        return f"{self.invariant}: {self.strategy}: {keys}"


def compensate_duplicates(queue: Queue) -> Repair:
    """INV_001: every effect after a key's first is compensated (a refund for a second charge)."""
    repaired, seen = [], set()
    for entry in queue.store.ledger():
        if entry.job_key not in seen:
            seen.add(entry.job_key)
            continue
        compensation = Effect(
            entry.job_key, entry.epoch, RECOVERY_WORKER, {COMPENSATES: entry.effect_id, "by": entry.worker}
        )
        queue.store.compensate(entry, queue.clock.now(), apply=partial(queue.effects.apply, compensation))
        repaired.append(entry.job_key)
    return Repair("INV_001", "compensation", tuple(repaired))


def reconcile_completions(queue: Queue) -> Repair:
    """CompletedUsesCurrentEpoch: a stale completion is undone; the current attempt completes the run."""
    reopened = queue.store.reopen_stale_completions()
    return Repair("CompletedUsesCurrentEpoch", "reconciliation", tuple(reopened))


def revoke_stale_claimers(queue: Queue) -> Repair:
    """AtMostOneClaimer: only the current epoch's claimer keeps the unit; the others' writes are refused."""
    return Repair("AtMostOneClaimer", "reclaim", tuple(queue.store.revoke_stale_claimers()))


def retract_early_units(queue: Queue) -> Repair:
    """NoEarlyRunnable: a unit released before its due time goes back into the schedule."""
    return Repair("NoEarlyRunnable", "retraction", tuple(queue.store.retract_early(queue.clock.now())))


def unschedule_materialized(queue: Queue) -> Repair:
    """MaterializedRunRemovedFromSchedule: a run with a unit leaves the schedule, not rewritten."""
    return Repair(
        "MaterializedRunRemovedFromSchedule", "reconciliation", tuple(queue.store.unschedule_materialized())
    )


def recover_lost_runs(queue: Queue) -> Repair:
    """CheckpointAfterDurableMaterialization: a run lost behind the checkpoint is written now."""
    lost = queue.store.lost_runs()
    for job_key in lost:
        queue.store.materialize(job_key, queue.clock.now())
    return Repair("CheckpointAfterDurableMaterialization", "reconciliation", tuple(lost))


def catch_up_overdue(queue: Queue) -> Repair:
    """NoOverdueScheduled: a run the checkpoint passed while it was still scheduled is materialised now."""
    overdue = queue.store.overdue_scheduled()
    for job_key in overdue:
        queue.store.take(job_key, unschedule=True)
        queue.store.materialize(job_key, queue.clock.now())
    return Repair("NoOverdueScheduled", "catch-up", tuple(overdue))


def dead_letter_over_budget(queue: Queue) -> Repair:
    """AttemptsWithinBudget: stop the retries of a job past its budget; an operator re-enqueues it."""
    dead = queue.store.dead_letter_over_budget(queue.retry.max_attempts)
    return Repair("AttemptsWithinBudget", "dead letter, for an operator to re-enqueue", tuple(dead))


def dead_letter_poison(queue: Queue) -> Repair:
    """PoisonDeadLettered: a job whose budget ran out on deliveries its workers died on is dead-lettered,
    for an operator to re-enqueue once its handler survives it."""
    if not PoisonDeadLettered(queue.inspect()):
        return Repair("PoisonDeadLettered", "dead letter, for an operator to re-enqueue", ())
    # The store dead-letters every runnable job whose budget is spent in one write: a job retried past
    # its budget (AttemptsWithinBudget) goes with the poison, and is reported here with it.
    dead = queue.store.dead_letter_over_budget(queue.retry.max_attempts)
    return Repair("PoisonDeadLettered", "dead letter, for an operator to re-enqueue", tuple(dead))


def compensate_unrecorded(queue: Queue) -> Repair:
    """EffectsMatchRecords: an effect that landed again because its first landing was never recorded (a
    partial write nobody reconciled) is compensated, until the world holds what the ledger records."""
    snapshot = queue.inspect()
    if snapshot.world is None:
        return Repair("EffectsMatchRecords", "compensation", ())
    recorded_by = {entry.job_key: entry.epoch for entry in queue.store.ledger()}
    repaired = []
    # Only a surplus can be repaired: the store records an effect only after it landed, in the same
    # transaction, so a record without its effect is never left behind.
    for key, recorded in sorted(snapshot.effects.items()):
        for _ in range(snapshot.world.get(key, 0) - recorded):
            queue.effects.apply(Effect(key, recorded_by[key], RECOVERY_WORKER, {COMPENSATES: "unrecorded"}))
            repaired.append(key)
    return Repair("EffectsMatchRecords", "compensation", tuple(dict.fromkeys(repaired)))


def release_expired_claims(queue: Queue) -> Repair:
    """ClaimedJobsFinish: claims whose worker died and whose lease ran out are released, or dead-lettered."""
    released = queue.store.release_expired(queue.clock.now(), queue.retry.max_attempts)
    return Repair("ClaimedJobsFinish", "reclaim", tuple(released))


def return_to_holders(queue: Queue) -> Repair:
    """CurrentAttemptKeepsItsJob: a job a zombie's late write took away goes back to its current holder."""
    return Repair(
        "CurrentAttemptKeepsItsJob", "reconciliation", tuple(queue.store.return_to_holders(queue.clock.now()))
    )


RECOVERIES: Mapping[str, Callable[[Queue], Repair]] = MappingProxyType(
    {
        "NoEarlyRunnable": retract_early_units,
        "MaterializedRunRemovedFromSchedule": unschedule_materialized,
        "CheckpointAfterDurableMaterialization": recover_lost_runs,
        "NoOverdueScheduled": catch_up_overdue,
        "AtMostOneClaimer": revoke_stale_claimers,
        "CurrentAttemptKeepsItsJob": return_to_holders,
        "CompletedUsesCurrentEpoch": reconcile_completions,
        "INV_001": compensate_duplicates,
        "EffectsMatchRecords": compensate_unrecorded,
        "PoisonDeadLettered": dead_letter_poison,
        "AttemptsWithinBudget": dead_letter_over_budget,
        "ClaimedJobsFinish": release_expired_claims,
    }
)
"""The recovery of each invariant, in the order ``recover`` runs them: the schedule before units, claims
before completions, then effects (recorded duplicates before unrecorded ones), then budgets (the poison
first, so its dead letter is reported as the poison's)."""


def recover(queue: Queue) -> tuple[Repair, ...]:
    """Run every recovery; returns the ones that repaired something."""
    return tuple(repair for repair in (fix(queue) for fix in RECOVERIES.values()) if repair.job_keys)


__all__ = [
    "RECOVERIES",
    "Repair",
    "catch_up_overdue",
    "compensate_duplicates",
    "compensate_unrecorded",
    "dead_letter_over_budget",
    "dead_letter_poison",
    "reconcile_completions",
    "recover",
    "recover_lost_runs",
    "release_expired_claims",
    "retract_early_units",
    "return_to_holders",
    "revoke_stale_claimers",
    "unschedule_materialized",
]
