"""The queue: register handlers, enqueue and schedule jobs, and every step of the models as one method."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from failure_lab.python_impl import errors
from failure_lab.python_impl.clock import Clock
from failure_lab.python_impl.effects import Effect, EffectSink, MemoryEffects
from failure_lab.python_impl.faults import FaultPoint, Faults
from failure_lab.python_impl.policies import Guards, RetryPolicy
from failure_lab.python_impl.scanner import DueScanner, PassReport
from failure_lab.python_impl.snapshot import Snapshot
from failure_lab.python_impl.sqlite import SqliteStore, Synchronous
from failure_lab.python_impl.store import Attempt, ClaimTerms, Committed, Job, JobRecord, Store

UNBOUNDED_ATTEMPTS = 2**62
"""The budget without ``retry_budget``: more attempts than any job will ever get."""

# json.dumps with any option builds a new encoder per call; a producer encodes every payload.
_PAYLOAD = json.JSONEncoder(allow_nan=False, sort_keys=True)


class JobContext:
    """What a handler gets besides its payload: its attempt and the one door to the outside world."""

    __slots__ = (
        "attempt",
        "claim_next",
        "complete_on_commit",
        "completed",
        "next_attempt",
        "outcome",
        "queue",
        "refused",
    )

    def __init__(
        self, queue: Queue, attempt: Attempt, *, complete_on_commit: bool = True, claim_next: bool = False
    ) -> None:
        self.queue = queue
        self.attempt = attempt
        self.complete_on_commit = complete_on_commit
        self.claim_next = claim_next
        self.refused: errors.Rejection | None = None
        self.outcome: str | None = None
        self.completed = False
        self.next_attempt: Attempt | None = None

    def commit(self, data: Mapping[str, Any] | None = None) -> str:
        """Apply this job's external effect through the commit boundary; "duplicate" if it already was.

        The job completes in the same transaction (unless ``complete_on_commit`` is off). A stale
        attempt is refused with ``StaleEpoch``; the worker sees it even if the handler swallows it.
        """
        try:
            committed = self.queue.commit(
                self.attempt, data, complete=self.complete_on_commit, then_claim=self.claim_next
            )
            self.outcome, self.completed = committed.how, committed.completed
            self.next_attempt = committed.next_attempt
        except errors.DuplicateEffect:
            # The effect is committed (an earlier attempt or delivery did it): the job's work is done.
            self.outcome = "duplicate"
        except errors.Rejection as refusal:
            self.refused = refusal
            raise
        return self.outcome


Handler = Callable[[JobContext, Any], None]
StepSink = Callable[[str, Mapping[str, str]], None]
"""Told every step the store accepted, by the model's action name and parameter names (``"Claim"``,
``{"w": "w1", "r": "r1"}``); silent unless given, and never told of refusals."""


def _silent(step: str, args: Mapping[str, str]) -> None:
    """The default step sink: nobody listens."""


def _never_applied(job_key: str) -> bool:
    """The world unasked (``reconcile_effects`` off): as far as the boundary knows, nothing landed."""
    return False


class Queue:
    """One process's view of the queue: store, clock, guards, retry policy, effect sink, faults, handlers."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        guards: Guards | None = None,
        retry: RetryPolicy | None = None,
        lease_ttl: int = 30_000,
        effects: EffectSink | None = None,
        faults: Faults | None = None,
        on_step: StepSink | None = None,
    ) -> None:
        if lease_ttl < 1:
            raise ValueError(f"lease_ttl must be at least 1 tick, got {lease_ttl}")
        self.store = store
        self.clock = clock
        self.guards = guards or Guards()
        self.retry = retry or RetryPolicy()
        self.lease_ttl = lease_ttl
        self.effects: EffectSink = effects if effects is not None else MemoryEffects()
        self.faults = faults or Faults()
        self.emit: StepSink = on_step or _silent
        self.handlers: dict[str, Handler] = {}
        self.scanner = DueScanner(store, clock, self.guards, self.faults, self.emit)

    @classmethod
    def open(
        cls, path: str | Path, *, clock: Clock, synchronous: Synchronous = "NORMAL", **options: Any
    ) -> Queue:
        """A queue on the SQLite file ``path``, created (or migrated) if needed."""
        return cls(SqliteStore(path, synchronous=synchronous), clock=clock, **options)

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    # -- producing -------------------------------------------------------------------------------------

    def register(self, name: str, handler: Handler) -> None:
        """Make ``handler`` run the jobs that name ``name``."""
        if not name or not isinstance(name, str):
            raise errors.BadInput(f"a handler name must be a non-empty string, got {name!r}")
        self.handlers[name] = handler

    def enqueue(self, handler: str, job_key: str, payload: Any = None) -> None:
        """Add a job that is runnable now."""
        now = self.clock.now()
        self.store.add_job(self._job(handler, job_key, payload, now), now, scheduled=False)

    def schedule(self, handler: str, job_key: str, payload: Any, due_at: int) -> None:
        """Add a run that the due scanner releases at ``due_at``."""
        if not isinstance(due_at, int) or isinstance(due_at, bool):
            raise errors.BadInput(f"due_at must be an integer tick, got {due_at!r}")
        self.store.add_job(self._job(handler, job_key, payload, due_at), self.clock.now(), scheduled=True)

    def _job(self, handler: str, job_key: str, payload: Any, due_at: int) -> Job:
        if handler not in self.handlers:
            known = ", ".join(sorted(self.handlers)) or "none registered"
            raise errors.UnknownHandler(f"job {job_key!r}: unknown handler {handler!r} (known: {known})")
        if not isinstance(job_key, str) or not job_key:
            raise errors.BadInput(f"a job key must be a non-empty string, got {job_key!r}")
        try:
            encoded = _PAYLOAD.encode(payload)
        except (TypeError, ValueError) as error:
            raise errors.PayloadNotSerializable(f"job {job_key!r}: payload is not JSON ({error})") from None
        return Job(job_key, handler, encoded, due_at)

    # -- the due scanner's steps -----------------------------------------------------------------------

    def scan(self, run: str) -> None:
        """``Scan(r)``."""
        self.scanner.scan(run)

    def materialize(self, run: str) -> None:
        """``Materialize(r)``."""
        self.scanner.materialize(run)

    def advance_checkpoint(self) -> int:
        """``AdvanceCheckpoint``; returns the new checkpoint."""
        return self.scanner.advance_checkpoint()

    def scan_pass(self) -> PassReport:
        """One full pass of the due scanner."""
        return self.scanner.run_pass()

    def restart_scanner(self) -> None:
        """Forget the scanner's memory, as a crash does, and recover it from the store."""
        self.scanner = DueScanner(self.store, self.clock, self.guards, self.faults, self.emit)

    # -- the workers' steps ----------------------------------------------------------------------------

    def claim(self, worker: str, run: str) -> Attempt:
        """``Claim(w, r)`` (FM_001's ``Lease(w, j)``): a new attempt with the next epoch."""
        attempt = self.store.claim(
            run,
            worker,
            self.clock.now(),
            lease_ttl=self.lease_ttl,
            exclusive=self.guards.exclusive_claim,
            max_attempts=self.delivery_budget(),
            reclaim=self.guards.reclaim_expired,
        )
        self.emit("Claim", {"w": worker, "r": run})
        return attempt

    def claim_next(self, worker: str) -> Attempt | None:
        """Claim whatever is claimable first, or None."""
        attempt = self.store.claim_next(
            worker,
            self.clock.now(),
            lease_ttl=self.lease_ttl,
            exclusive=self.guards.exclusive_claim,
            max_attempts=self.delivery_budget(),
            reclaim=self.guards.reclaim_expired,
        )
        if attempt is not None:
            self.emit("Claim", {"w": worker, "r": attempt.job_key})
        return attempt

    def commit(
        self,
        attempt: Attempt,
        data: Mapping[str, Any] | None = None,
        *,
        complete: bool = False,
        then_claim: bool = False,
    ) -> Committed:
        """``Commit(w)``: apply the job's external effect through the idempotent commit boundary.

        With ``complete`` the attempt also completes in the same transaction, as ``Complete`` would,
        and with ``then_claim`` its worker claims its next unit there too (``Committed.next_attempt``).
        """
        effect = Effect(attempt.job_key, attempt.epoch, attempt.worker, dict(data or {}))
        committed = self.store.commit_effect(
            attempt,
            self.clock.now(),
            idempotent=self.guards.idempotent_commit,
            already_applied=self.effects.applied if self.guards.reconcile_effects else _never_applied,
            apply=lambda: self.effects.apply(effect),
            at=lambda point: self.faults.at(point, attempt.job_key, attempt.epoch),
            complete=complete,
            fenced=self.guards.epoch_fence,
            then_claim=ClaimTerms(
                self.lease_ttl,
                self.guards.exclusive_claim,
                self.delivery_budget(),
                self.guards.reclaim_expired,
            )
            if then_claim
            else None,
            stable_key=self.guards.stable_effect_key,
        )
        self.emit("Commit", {"w": attempt.worker})
        if committed.completed:
            self.emit("Complete", {"w": attempt.worker})
        if committed.next_attempt is not None:
            self.emit("Claim", {"w": attempt.worker, "r": committed.next_attempt.job_key})
        self.faults.at(FaultPoint.AFTER_COMMIT, attempt.job_key, attempt.epoch)
        return committed

    def complete(self, attempt: Attempt) -> None:
        """``Complete(w)``: accepted only from the current epoch while ``epoch_fence`` is on."""
        self.store.complete(attempt, fenced=self.guards.epoch_fence)
        self.emit("Complete", {"w": attempt.worker})

    def reject_stale(self, attempt: Attempt) -> None:
        """``RejectStale(w)``: the store refuses the stale attempt for good and the worker drops it."""
        self.store.reject_stale(attempt, fenced=self.guards.epoch_fence)
        self.emit("RejectStale", {"w": attempt.worker})

    def drop(self, attempt: Attempt) -> None:
        """The worker walks away from its attempt (FM_001's ``RejectCommit(w)`` after a refused commit)."""
        self.store.drop(attempt)
        self.emit("Drop", {"w": attempt.worker})

    def fail(self, attempt: Attempt, error: str) -> None:
        """The handler failed: retry after backoff while the budget lasts, else dead letter, with a reason."""
        now = self.clock.now()
        used = attempt.number
        retry_at = None if used >= self.budget() else now + self.retry.backoff(attempt.job_key, used)
        self.store.fail(
            attempt,
            now,
            error=error,
            retry_at=retry_at,
            dead_reason=f"failed on attempt {used} of {self.retry.max_attempts}: {error}",
            fenced=self.guards.epoch_fence and self.guards.fence_every_write,
        )
        self.emit("Fail", {"w": attempt.worker})

    def abandon(self, worker: str) -> list[str]:
        """A worker process restarting under its old name abandons what it held; the claims stay until
        their leases run out, so nobody else runs those jobs while their handlers may still be running."""
        return self.store.abandon(worker)

    def release_expired(self) -> list[str]:
        """The reaper: claims whose lease ran out become runnable again, or dead letters once their budget
        is spent (what ``claim_next`` does lazily, done now); nothing while ``reclaim_expired`` is off."""
        if not self.guards.reclaim_expired:
            return []
        return self.store.release_expired(self.clock.now(), self.delivery_budget())

    def expire_lease(self, job_key: str) -> bool:
        """Fault: the lease on ``job_key`` runs out now, as if its holder stalled past it (a GC pause, a
        partition); other leases keep their time. Whether there was a live lease to run out."""
        expired = self.store.expire_lease(job_key, self.clock.now())
        if expired:
            self.emit("ExpireLease", {"j": job_key})
        return expired

    def budget(self) -> int:
        """Attempts a job may have: the retry policy's, or no bound while ``retry_budget`` is off."""
        return self.retry.max_attempts if self.guards.retry_budget else UNBOUNDED_ATTEMPTS

    def delivery_budget(self) -> int:
        """Deliveries a job may have, where claims and expired leases are decided: the budget, or no bound
        while ``delivery_budget`` is off (then only a reported failure spends it, in ``fail``)."""
        return self.budget() if self.guards.delivery_budget else UNBOUNDED_ATTEMPTS

    # -- the operator ----------------------------------------------------------------------------------

    def job(self, job_key: str) -> JobRecord:
        """One job as an operator sees it."""
        return self.store.job(job_key)

    def dead_letters(self) -> list[JobRecord]:
        """Every dead-lettered job."""
        return self.store.dead_letters()

    def requeue(self, job_key: str) -> None:
        """Re-enqueue a dead letter with a fresh attempt budget."""
        self.store.requeue(job_key, self.clock.now())

    # -- inspection ------------------------------------------------------------------------------------

    def inspect(self) -> Snapshot:
        """Everything the models' variables describe, read consistently."""
        return Snapshot.of(
            self.clock.now(),
            self.store.state(),
            self.scanner.taken,
            budget=self.retry.max_attempts,
            world=self.effects.standing(),
        )


def payload_of(attempt: Attempt) -> Any:
    """The attempt's payload, decoded."""
    return json.loads(attempt.payload)


__all__ = ["Handler", "JobContext", "Queue", "payload_of"]
