"""``SqliteStore``: the ``Store`` interface over one SQLite file, shared by every worker process.

The store owns the connection, its one cursor and where each transaction begins and ends; the work
of each method is a function of ``schedule``, ``claims``, ``commit``, ``operator`` or ``repairs`` over
that cursor. What each method promises is said once, in ``python_impl.store.Store``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from failure_lab.python_impl import journal
from failure_lab.python_impl.sqlite import claims, commit, operator, repairs, schedule
from failure_lab.python_impl.sqlite.connection import Read, Synchronous, Transaction, connect
from failure_lab.python_impl.store import (
    Attempt,
    ClaimTerms,
    Committed,
    FaultHook,
    Job,
    JobRecord,
    LedgerEntry,
    ScheduleEntry,
    Store,
    StoreState,
    Unit,
)


class SqliteStore(Store):
    """The ``Store`` over one SQLite database file in WAL mode; every write one ``BEGIN IMMEDIATE``."""

    def __init__(self, path: str | Path, *, synchronous: Synchronous = "NORMAL") -> None:
        self.path = Path(path)
        self._db = connect(self.path, synchronous)
        self._write = Transaction(self._db)
        self._read = Read(self._db)
        # Connection.execute makes a cursor per statement; every function here runs on this one, so
        # each reads a statement's rows before it runs the next.
        self._cursor = self._db.cursor()

    def close(self) -> None:
        self._db.close()

    def start_journal(self) -> None:
        """Journal every change this store makes from now on, in commit order (``python_impl.journal``)."""
        journal.enable(self._db)

    # -- jobs and the schedule (schedule.py) -----------------------------------------------------------

    def add_job(self, job: Job, now: int, *, scheduled: bool) -> None:
        if not scheduled:
            schedule.add_runnable(self._cursor, job, now)
            return
        with self._write:
            schedule.add_scheduled(self._cursor, job, now)

    def checkpoint(self) -> int:
        return schedule.checkpoint(self._cursor)

    def advance_checkpoint(self, to: int, *, first: int, last: int) -> list[str]:
        with self._write:
            return schedule.advance_checkpoint(self._cursor, to, first, last)

    def schedule_entry(self, job_key: str) -> ScheduleEntry | None:
        return schedule.schedule_entry(self._cursor, job_key)

    def outstanding_between(self, first: int, last: int) -> list[ScheduleEntry]:
        return schedule.outstanding_between(self._cursor, first, last)

    def take(self, job_key: str, *, unschedule: bool) -> None:
        with self._write:
            schedule.take(self._cursor, job_key, unschedule)

    def materialize(self, job_key: str, now: int) -> None:
        with self._write:
            schedule.materialize(self._cursor, job_key, now)

    def taken_not_durable(self, after: int) -> list[str]:
        return schedule.taken_not_durable(self._cursor, after)

    def lost_runs(self) -> list[str]:
        return schedule.lost_runs(self._cursor)

    def overdue_scheduled(self) -> list[str]:
        return schedule.overdue_scheduled(self._cursor)

    # -- claims and leases (claims.py) -----------------------------------------------------------------

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
        terms = ClaimTerms(lease_ttl, exclusive, max_attempts, reclaim)
        with self._write:
            claims.refuse_busy(self._cursor, worker)
            return claims.claim(self._cursor, job_key, worker, now, terms)

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
        # An idle worker polls: look without the write lock first, so polling never blocks the others.
        if not claims.anything_claimable(self._cursor, now, exclusive):
            return None
        terms = ClaimTerms(lease_ttl, exclusive, max_attempts, reclaim)
        with self._write:
            claims.refuse_busy(self._cursor, worker)
            return claims.claim_next(self._cursor, worker, now, terms)

    def release_expired(self, now: int, max_attempts: int) -> list[str]:
        with self._write:
            return claims.release_expired(self._cursor, now, max_attempts)

    def abandon(self, worker: str) -> list[str]:
        with self._write:
            return claims.abandon(self._cursor, worker)

    def expire_lease(self, job_key: str, now: int) -> bool:
        with self._write:
            return claims.expire_lease(self._cursor, job_key, now)

    # -- the commit boundary and the other writes of an attempt (commit.py) ----------------------------

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
        with self._write:
            return commit.commit_effect(
                self._cursor,
                attempt,
                now,
                idempotent=idempotent,
                already_applied=already_applied,
                apply=apply,
                at=at,
                complete=complete,
                fenced=fenced,
                then_claim=then_claim,
                stable_key=stable_key,
            )

    def complete(self, attempt: Attempt, *, fenced: bool) -> None:
        with self._write:
            commit.complete(self._cursor, attempt, fenced)

    def reject_stale(self, attempt: Attempt, *, fenced: bool) -> None:
        with self._write:
            commit.reject_stale(self._cursor, attempt, fenced)

    def drop(self, attempt: Attempt) -> None:
        with self._write:
            commit.drop(self._cursor, attempt)

    def fail(
        self, attempt: Attempt, now: int, *, error: str, retry_at: int | None, dead_reason: str, fenced: bool
    ) -> None:
        with self._write:
            commit.fail(
                self._cursor,
                attempt,
                now,
                error=error,
                retry_at=retry_at,
                dead_reason=dead_reason,
                fenced=fenced,
            )

    # -- the operator and the models' view (operator.py) -----------------------------------------------

    def job(self, job_key: str) -> JobRecord:
        with self._read:
            return operator.job(self._cursor, job_key)

    def dead_letters(self) -> list[JobRecord]:
        with self._read:
            return operator.dead_letters(self._cursor)

    def requeue(self, job_key: str, now: int) -> None:
        with self._write:
            operator.requeue(self._cursor, job_key, now)

    def state(self) -> StoreState:
        with self._read:
            return operator.state(self._cursor)

    def units(self) -> dict[str, Unit]:
        with self._read:
            return operator.units(self._cursor)

    # -- repairs (repairs.py) --------------------------------------------------------------------------

    def ledger(self) -> list[LedgerEntry]:
        return repairs.ledger(self._cursor)

    def compensate(self, entry: LedgerEntry, now: int, *, apply: Callable[[], None]) -> None:
        with self._write:
            repairs.compensate(self._cursor, entry, now, apply)

    def reopen_stale_completions(self) -> list[str]:
        with self._write:
            return repairs.reopen_stale_completions(self._cursor)

    def revoke_stale_claimers(self) -> list[str]:
        with self._write:
            return repairs.revoke_stale_claimers(self._cursor)

    def retract_early(self, now: int) -> list[str]:
        with self._write:
            return repairs.retract_early(self._cursor, now)

    def unschedule_materialized(self) -> list[str]:
        with self._write:
            return repairs.unschedule_materialized(self._cursor)

    def dead_letter_over_budget(self, max_attempts: int) -> list[str]:
        with self._write:
            return repairs.dead_letter_over_budget(self._cursor, max_attempts)

    def return_to_holders(self, now: int) -> list[str]:
        with self._write:
            return repairs.return_to_holders(self._cursor, now)
