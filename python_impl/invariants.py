"""The models' invariants, same names, evaluated on a snapshot of the runtime: what broke and where."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from failure_lab.python_impl.snapshot import Snapshot

UNIT_STATES = frozenset({"none", "runnable", "claimed", "completed", "dead"})


@dataclass(frozen=True, slots=True)
class BrokenInvariant:
    """One broken invariant: its name, the run or worker where it broke, and what was found."""

    invariant: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.invariant} at {self.where}: {self.what}"


Check = Callable[[Snapshot], tuple[BrokenInvariant, ...]]


def TypeOK(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """Every variable holds a value of its type (the runtime adds the status "dead")."""
    found = []
    for run in sorted(s.runs):
        if s.unit(run) not in UNIT_STATES:
            found.append(BrokenInvariant("TypeOK", run, f"unit is {s.unit(run)!r}"))
        if not 0 <= s.completed_epoch(run) <= s.epoch(run):
            found.append(
                BrokenInvariant(
                    "TypeOK", run, f"completedEpoch {s.completed_epoch(run)} outside 0..{s.epoch(run)}"
                )
            )
    for worker, held in sorted(s.attempts.items()):
        if held.job_key not in s.units or not 1 <= held.epoch <= s.epoch(held.job_key):
            found.append(
                BrokenInvariant("TypeOK", worker, f"holds {held.job_key}@{held.epoch}, no such attempt")
            )
    if s.checkpoint > s.now:
        found.append(BrokenInvariant("TypeOK", "checkpoint", f"{s.checkpoint} is ahead of now {s.now}"))
    return tuple(found)


def NoEarlyRunnable(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """A unit exists only for runs with ``DueAt[r] <= now``."""
    return tuple(
        BrokenInvariant(
            "NoEarlyRunnable", run, f"unit is {s.unit(run)} at now {s.now}, due at {s.due_at(run)}"
        )
        for run in sorted(s.units)
        if s.due_at(run) > s.now
    )


def MaterializedRunRemovedFromSchedule(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """A run with a unit is no longer outstanding in the schedule."""
    return tuple(
        BrokenInvariant(
            "MaterializedRunRemovedFromSchedule", run, f"unit is {s.unit(run)} and still scheduled"
        )
        for run in sorted(s.scheduled & frozenset(s.units))
    )


def CompletedUsesCurrentEpoch(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """A completed run's ``completedEpoch`` is its current ``epoch``."""
    return tuple(
        BrokenInvariant(
            "CompletedUsesCurrentEpoch",
            run,
            f"completed under epoch {unit.completed_epoch}, epoch is {unit.epoch}",
        )
        for run, unit in sorted(s.units.items())
        if unit.status == "completed" and unit.completed_epoch != unit.epoch
    )


def AtMostOneClaimer(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """No unit has more than one claimer."""
    return tuple(
        BrokenInvariant("AtMostOneClaimer", run, f"claimed by {', '.join(sorted(unit.claimers))}")
        for run, unit in sorted(s.units.items())
        if len(unit.claimers) > 1
    )


def CheckpointAfterDurableMaterialization(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """No taken run has ``DueAt[r] <= checkpoint``."""
    return tuple(
        BrokenInvariant(
            "CheckpointAfterDurableMaterialization",
            run,
            f"taken, not yet durable, due at {s.due_at(run)}, checkpoint at {s.checkpoint}",
        )
        for run in sorted(s.taken)
        if s.due_at(run) <= s.checkpoint
    )


def NoOverdueScheduled(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """No scheduled run has ``DueAt[r] <= checkpoint``."""
    return tuple(
        BrokenInvariant(
            "NoOverdueScheduled",
            run,
            f"still scheduled, due at {s.due_at(run)}, checkpoint at {s.checkpoint}",
        )
        for run in sorted(s.scheduled)
        if s.due_at(run) <= s.checkpoint
    )


def INV_001(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """Logical idempotency: no job key has more than one committed effect."""
    return tuple(
        BrokenInvariant("INV_001", key, f"{count} committed effects")
        for key, count in sorted(s.effects.items())
        if count > 1
    )


def AttemptsWithinBudget(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """No job has had more attempts in its current budget than the retry policy allows."""
    if s.budget is None:
        return ()
    return tuple(
        BrokenInvariant(
            "AttemptsWithinBudget", key, f"{unit.attempts_used} attempts, the budget is {s.budget}"
        )
        for key, unit in sorted(s.units.items())
        if unit.attempts_used > s.budget
    )


def CurrentAttemptKeepsItsJob(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """Until its lease runs out, the job of the attempt holding its current epoch stays claimed (or done)."""
    found = []
    for worker, held in sorted(s.attempts.items()):
        unit = s.units.get(held.job_key)
        if unit is None or held.epoch != unit.epoch or unit.lease_until <= s.now:
            continue
        if unit.status not in ("claimed", "completed"):
            found.append(
                BrokenInvariant(
                    "CurrentAttemptKeepsItsJob",
                    held.job_key,
                    f"{worker} holds epoch {held.epoch} under a live lease, but the job is {unit.status}",
                )
            )
    return tuple(found)


def PoisonDeadLettered(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """A job whose lease ran out on the last delivery of its budget (its worker died) is dead-lettered."""
    if s.budget is None:
        return ()
    return tuple(
        BrokenInvariant(
            "PoisonDeadLettered",
            key,
            f"its lease ran out on delivery {unit.attempts_used} of {s.budget}, and it is {unit.status},"
            " not dead-lettered",
        )
        for key, unit in sorted(s.units.items())
        if unit.lease_ended == "expired" and unit.status == "runnable" and unit.attempts_used >= s.budget
    )


def EffectsMatchRecords(s: Snapshot) -> tuple[BrokenInvariant, ...]:
    """Once a job's effect is on record, the world holds as many of its effects as the ledger records."""
    if s.world is None:
        return ()
    return tuple(
        BrokenInvariant(
            "EffectsMatchRecords",
            key,
            f"{s.world.get(key, 0)} effects stand in the world, {recorded} on record",
        )
        for key, recorded in sorted(s.effects.items())
        if recorded and s.world.get(key, 0) != recorded
    )


INVARIANTS: Mapping[str, Check] = MappingProxyType(
    {
        check.__name__: check
        for check in (
            TypeOK,
            NoEarlyRunnable,
            MaterializedRunRemovedFromSchedule,
            CompletedUsesCurrentEpoch,
            AtMostOneClaimer,
            CheckpointAfterDurableMaterialization,
            NoOverdueScheduled,
            INV_001,
            AttemptsWithinBudget,
            CurrentAttemptKeepsItsJob,
            PoisonDeadLettered,
            EffectsMatchRecords,
        )
    }
)


def check(s: Snapshot, names: tuple[str, ...] = tuple(INVARIANTS)) -> tuple[BrokenInvariant, ...]:
    """Every violation of the named invariants (all by default), in catalogue order."""
    return tuple(violation for name in names for violation in INVARIANTS[name](s))
