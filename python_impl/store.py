"""What the queue needs from durable storage: the rows it reads, and ``Store``, the one interface.

``Store`` is where each method's promise is written, once; ``python_impl.sqlite.SqliteStore``
implements it (and says so by subclassing it, so mypy checks every signature), and a second store
(PostgreSQL) implements the same methods. Every method that writes is one transaction and changes
nothing when it raises. Guards arrive as arguments so that a backend decides nothing on its own: the
policy is the caller's, the conditional write is the store's. ``tests/runtime/test_store_differential.py``
drives two implementations with the same random steps and compares every answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from failure_lab.python_impl.faults import FaultPoint

UnitStatus = Literal["runnable", "claimed", "completed", "dead"]


@dataclass(frozen=True, slots=True)
class Job:
    """A job as submitted: its stable key, the handler that runs it, its JSON payload, and when it is due."""

    job_key: str
    handler: str
    payload: str
    due_at: int


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """A run in the source schedule; ``outstanding`` is whether the scanner still has to take it."""

    job_key: str
    due_at: int
    outstanding: bool


@dataclass(frozen=True, slots=True)
class Attempt:
    """One claim granted to a worker: its epoch is the fencing token every write must carry."""

    attempt_id: int
    job_key: str
    worker: str
    epoch: int
    lease_until: int
    handler: str
    payload: str
    budget_base: int = 0

    @property
    def number(self) -> int:
        """Which attempt of the job's current budget this is, from 1."""
        return self.epoch - self.budget_base


@dataclass(frozen=True, slots=True)
class Unit:
    """A runnable unit as the store holds it."""

    job_key: str
    status: UnitStatus
    epoch: int
    lease_until: int
    completed_epoch: int
    due_at: int
    materialized_at: int
    materializations: int
    claimers: frozenset[str]
    budget_base: int = 0
    """The epoch at which the current attempt budget began (an operator's re-enqueue moves it)."""
    lease_ended: Literal["returned", "expired"] | None = None
    """How the last claim that ended without completing ended: its attempt gave the lease back by
    failing ("returned"), or the lease ran out and the reaper released the job ("expired")."""

    @property
    def attempts_used(self) -> int:
        """Attempts opened in the current budget."""
        return self.epoch - self.budget_base


@dataclass(frozen=True, slots=True)
class HeldAttempt:
    """The attempt a worker holds: which run, which epoch."""

    job_key: str
    epoch: int


@dataclass(frozen=True, slots=True)
class StoreState:
    """Everything durable the models describe, read in one transaction."""

    schedule: tuple[ScheduleEntry, ...]
    checkpoint: int
    units: Mapping[str, Unit]
    held: Mapping[str, HeldAttempt]
    effects: Mapping[str, int]
    double_claims: int
    attempts: int


@dataclass(frozen=True, slots=True)
class JobRecord:
    """What an operator sees of one job."""

    job_key: str
    handler: str
    payload: str
    status: UnitStatus | Literal["scheduled", "taken"]
    due_at: int
    epoch: int
    attempts_used: int
    last_error: str | None
    dead_reason: str | None
    effects: int


@dataclass(frozen=True, slots=True)
class Committed:
    """What the commit boundary did: how it took the effect, whether it completed, what it claimed next."""

    how: Literal["applied", "reconciled"]
    completed: bool = False
    next_attempt: Attempt | None = None


@dataclass(frozen=True, slots=True)
class ClaimTerms:
    """What a claim is granted under: the lease's length, exclusivity, the budget, whether an expired claim
    may be taken again. Given to the commit boundary, its worker's next claim rides on the commit."""

    lease_ttl: int
    exclusive: bool
    max_attempts: int
    reclaim: bool = True


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One committed effect in the ledger: which key, which attempt, which worker."""

    effect_id: int
    job_key: str
    epoch: int
    worker: str


FaultHook = Callable[[FaultPoint], None]


class Store(Protocol):
    """Durable state of the queue; every writing method is atomic and changes nothing when it raises.

    Every method has a caller in ``python_impl``: the queue (its steps and the operator's), the due
    scanner (the schedule), ``recovery`` (the repairs and the reads that find what to repair).
    """

    def close(self) -> None:
        """Release the connection."""
        ...

    # Jobs and the schedule: the producers and the due scanner.

    def add_job(self, job: Job, now: int, *, scheduled: bool) -> None:
        """Record a new job: in the schedule if ``scheduled``, else as a runnable unit at once."""
        ...

    def checkpoint(self) -> int:
        """The scanner's durable progress marker."""
        ...

    def advance_checkpoint(self, to: int, *, first: int, last: int) -> list[str]:
        """Move the checkpoint to ``to`` unless runs due in ``first..last`` are outstanding; returns those."""
        ...

    def schedule_entry(self, job_key: str) -> ScheduleEntry | None:
        """One run of the schedule, or None."""
        ...

    def outstanding_between(self, first: int, last: int) -> list[ScheduleEntry]:
        """Outstanding runs due within ``first..last``, earliest first."""
        ...

    def take(self, job_key: str, *, unschedule: bool) -> None:
        """Mark an outstanding run taken: it leaves the schedule if ``unschedule``."""
        ...

    def materialize(self, job_key: str, now: int) -> None:
        """The durable write: the run's runnable unit exists (again, if it did)."""
        ...

    def taken_not_durable(self, after: int) -> list[str]:
        """Runs taken from the schedule, due after ``after``, whose unit was never written."""
        ...

    def lost_runs(self) -> list[str]:
        """Runs that left the schedule at or before the checkpoint and never got a unit."""
        ...

    def overdue_scheduled(self) -> list[str]:
        """Runs still outstanding in the schedule that are due at or before the checkpoint."""
        ...

    # Claims and their leases.

    def claim(
        self,
        job_key: str,
        worker: str,
        now: int,
        *,
        lease_ttl: int,
        exclusive: bool,
        max_attempts: int,
        reclaim: bool = True,
    ) -> Attempt:
        """Grant ``worker`` the claim on one unit by a conditional write, opening a new epoch.

        Without ``reclaim`` a claim whose lease ran out is not claimable again.
        """
        ...

    def claim_next(
        self,
        worker: str,
        now: int,
        *,
        lease_ttl: int,
        exclusive: bool,
        max_attempts: int,
        reclaim: bool = True,
    ) -> Attempt | None:
        """Claim the oldest claimable unit, dead-lettering expired ones whose budget is spent."""
        ...

    def release_expired(self, now: int, max_attempts: int) -> list[str]:
        """Claims whose lease ran out become runnable again, or dead letters once their budget is spent."""
        ...

    def abandon(self, worker: str) -> list[str]:
        """A worker restarting under its old name: what it held is abandoned, but the claims and leases
        stay until the leases run out, since nobody knows how far its handlers got; returns the jobs."""
        ...

    def expire_lease(self, job_key: str, now: int) -> bool:
        """Fault: the live lease on ``job_key`` runs out at ``now``, and no other; whether there was one."""
        ...

    # The commit boundary and the other writes an attempt makes, each fenced by its epoch.

    def commit_effect(
        self,
        attempt: Attempt,
        now: int,
        *,
        idempotent: bool,
        already_applied: Callable[[str], bool],
        apply: Callable[[], None],
        at: FaultHook,
        complete: bool = False,
        fenced: bool = True,
        then_claim: ClaimTerms | None = None,
        stable_key: bool = True,
    ) -> Committed:
        """The commit boundary: apply the external effect and record it in the ledger, atomically fenced.

        With ``complete`` the same transaction also completes the attempt when ``Complete`` would
        accept it (fenced by the epoch if ``fenced``); ``Committed.completed`` says whether it did.
        With ``then_claim`` as well, a completed attempt's worker claims its next unit in it too.
        Without ``stable_key`` the ledger is asked about this attempt's effect only, not the job's.
        """
        ...

    def complete(self, attempt: Attempt, *, fenced: bool) -> None:
        """Accept the attempt's completion; fenced by the epoch if ``fenced``."""
        ...

    def reject_stale(self, attempt: Attempt, *, fenced: bool) -> None:
        """Refuse a stale attempt for good: the worker drops it and leaves the claimers."""
        ...

    def drop(self, attempt: Attempt) -> None:
        """The worker gives up its attempt; the unit stays as it is, its lease runs out."""
        ...

    def fail(
        self, attempt: Attempt, now: int, *, error: str, retry_at: int | None, dead_reason: str, fenced: bool
    ) -> None:
        """Record a failed attempt: back to runnable at ``retry_at``, or dead letter if None."""
        ...

    # The operator, and the state the models read.

    def job(self, job_key: str) -> JobRecord:
        """One job as an operator sees it."""
        ...

    def dead_letters(self) -> list[JobRecord]:
        """Every dead-lettered job, oldest first."""
        ...

    def requeue(self, job_key: str, now: int) -> None:
        """Give a dead-lettered job a fresh attempt budget and make it runnable now."""
        ...

    def state(self) -> StoreState:
        """A consistent read of everything the models describe."""
        ...

    def units(self) -> dict[str, Unit]:
        """Every unit, as ``state`` reads them, without the rest of the state (a cheaper read)."""
        ...

    # Repairs: each re-establishes one invariant after the guard that protects it was off
    # (python_impl.recovery), and is safe to run when there is nothing to repair.

    def ledger(self) -> list[LedgerEntry]:
        """Every committed effect, oldest first."""
        ...

    def compensate(self, entry: LedgerEntry, now: int, *, apply: Callable[[], None]) -> None:
        """Apply the compensation of a duplicate effect and move its ledger row to the compensations."""
        ...

    def reopen_stale_completions(self) -> list[str]:
        """Units completed by a stale epoch go back to the current attempt (claimed) or to runnable."""
        ...

    def revoke_stale_claimers(self) -> list[str]:
        """Every claimer but the current epoch's loses its claim and its attempt; returns the units fixed."""
        ...

    def retract_early(self, now: int) -> list[str]:
        """Units not yet due and not completed go back into the schedule as outstanding runs."""
        ...

    def unschedule_materialized(self) -> list[str]:
        """Outstanding schedule entries of runs that already have a unit leave the schedule."""
        ...

    def dead_letter_over_budget(self, max_attempts: int) -> list[str]:
        """Jobs retried past ``max_attempts`` are dead-lettered with the reason; returns them."""
        ...

    def return_to_holders(self, now: int) -> list[str]:
        """Jobs taken from the attempt holding their current epoch under a live lease go back to it."""
        ...
