"""Deliberate mutants of the runtime: each one small wrong change a real queue could ship.

A mutant is applied by patching ``python_impl`` for the duration of a ``with`` block, never by
editing it. ``failure-lab mutants`` runs replay, conformance and trace validation against each
one; a check that cannot tell a mutant from the runtime has no teeth.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

from failure_lab.python_impl import Queue, SqliteStore
from failure_lab.python_impl.scanner import DueScanner
from failure_lab.python_impl.sqlite import commit
from failure_lab.python_impl.store import Attempt


@dataclass(frozen=True, slots=True)
class Mutant:
    """A named wrong change to the runtime and the spec guard or action it betrays."""

    name: str
    story: str
    betrays: str  # the spec's guard or action the mutant gets wrong
    patches: Callable[[], contextlib.AbstractContextManager[Any]]

    @contextlib.contextmanager
    def applied(self) -> Iterator[None]:
        """The runtime with this mutant in place, until the block ends."""
        with self.patches():
            yield


def _patch(owner: type, name: str, replacement: Any) -> Callable[[], contextlib.AbstractContextManager[Any]]:
    def patches() -> contextlib.AbstractContextManager[Any]:
        return mock.patch.object(owner, name, replacement)

    return patches


_window = DueScanner.window
_advance_checkpoint = DueScanner.advance_checkpoint
_materialize = DueScanner.materialize
_store_complete = SqliteStore.complete
_store_reject_stale = SqliteStore.reject_stale
_store_take = SqliteStore.take
_store_commit = SqliteStore.commit_effect
_store_advance = SqliteStore.advance_checkpoint


def _store_claim_then_emit(
    queue: Queue,
    worker: str,
    run: str,
    *,
    exclusive: bool | None = None,
    lease_ttl: int | None = None,
    max_attempts: int | None = None,
) -> Attempt:
    """``Queue.claim`` with one of its inputs changed."""
    attempt = queue.store.claim(
        run,
        worker,
        queue.clock.now(),
        lease_ttl=queue.lease_ttl if lease_ttl is None else lease_ttl,
        exclusive=queue.guards.exclusive_claim if exclusive is None else exclusive,
        max_attempts=queue.retry.max_attempts if max_attempts is None else max_attempts,
    )
    queue.emit("Claim", {"w": worker, "r": run})
    return attempt


def _lease_never_expires(self: Queue, worker: str, run: str) -> Attempt:
    return _store_claim_then_emit(self, worker, run, lease_ttl=10**9)


def _lease_one_tick_long(self: Queue, worker: str, run: str) -> Attempt:
    return _store_claim_then_emit(self, worker, run, lease_ttl=self.lease_ttl + 1)


def _budget_off_by_one(self: Queue, worker: str, run: str) -> Attempt:
    return _store_claim_then_emit(self, worker, run, max_attempts=self.retry.max_attempts + 1)


def _due_boundary_late(self: DueScanner, now: int, checkpoint: int) -> tuple[int, int]:
    first, last = _window(self, now, checkpoint)
    return first, last + 1


def _window_starts_now(self: DueScanner, now: int, checkpoint: int) -> tuple[int, int]:
    _, last = _window(self, now, checkpoint)
    return now, last


def _checkpoint_before_write(self: DueScanner) -> int:
    # The progress marker written first, the durable write second: the scanner forgets what it holds.
    taken = self._taken
    self._taken = set()
    try:
        return _advance_checkpoint(self)
    finally:
        self._taken = taken


def _checkpoint_ignores_window(self: SqliteStore, to: int, *, first: int, last: int) -> list[str]:
    return _store_advance(self, to, first=last + 1, last=last)


def _materialize_keeps_taken(self: DueScanner, job_key: str) -> None:
    _materialize(self, job_key)
    self._taken.add(job_key)


def _current_epoch(store: SqliteStore, attempt: Attempt) -> int:
    epoch: int = store.state().units[attempt.job_key].epoch
    return epoch


def _complete_epoch_le(self: SqliteStore, attempt: Attempt, *, fenced: bool) -> None:
    # The fence compares with <= instead of ==: every older attempt passes it.
    _store_complete(self, attempt, fenced=fenced and not attempt.epoch <= _current_epoch(self, attempt))


def _reject_stale_epoch_le(self: SqliteStore, attempt: Attempt, *, fenced: bool) -> None:
    _store_reject_stale(self, attempt, fenced=fenced and not attempt.epoch <= _current_epoch(self, attempt))


def _take_keeps_schedule(self: SqliteStore, job_key: str, *, unschedule: bool) -> None:
    _store_take(self, job_key, unschedule=False)


def _commit_without_guard(self: SqliteStore, attempt: Attempt, now: int, **options: Any) -> Any:
    return _store_commit(self, attempt, now, **{**options, "idempotent": False})


def _reject_stale_releases_nothing(self: SqliteStore, attempt: Attempt, *, fenced: bool) -> None:
    # Checks the fence and refuses as it should, but "forgets" to drop the stale attempt.
    with mock.patch.object(commit, "release", lambda cur, attempt, state: None):
        _store_reject_stale(self, attempt, fenced=fenced)


@contextlib.contextmanager
def _both(
    first: contextlib.AbstractContextManager[Any], second: contextlib.AbstractContextManager[Any]
) -> Iterator[None]:
    with first, second:
        yield


MUTANTS: tuple[Mutant, ...] = (
    Mutant(
        "claim_without_condition",
        "the claim's conditional write loses its condition: a live claimer no longer stops a second claim",
        "ClaimGuard",
        _patch(
            Queue,
            "claim",
            lambda self, worker, run: _store_claim_then_emit(self, worker, run, exclusive=False),
        ),
    ),
    Mutant(
        "due_boundary_off_by_one",
        "the scanner releases work due one tick after now (the due boundary compared with <= now + 1)",
        "DueBoundary",
        _patch(DueScanner, "window", _due_boundary_late),
    ),
    Mutant(
        "scan_window_starts_now",
        "the scanner looks at the current slot only, never catching up from the checkpoint",
        "ScanFrom",
        _patch(DueScanner, "window", _window_starts_now),
    ),
    Mutant(
        "checkpoint_before_write",
        "checkpoint and durable write swapped: the checkpoint moves while a taken run is not yet written",
        "DurableFirst",
        _patch(DueScanner, "advance_checkpoint", _checkpoint_before_write),
    ),
    Mutant(
        "checkpoint_ignores_window",
        "the checkpoint advances without asking whether due runs are still outstanding in its window",
        "AdvanceCheckpoint",
        _patch(SqliteStore, "advance_checkpoint", _checkpoint_ignores_window),
    ),
    Mutant(
        "epoch_compared_with_le",
        "the completion fence compares the epochs with <=, so a zombie's stale completion passes",
        "CompletionFence",
        lambda: _both(
            mock.patch.object(SqliteStore, "complete", _complete_epoch_le),
            mock.patch.object(SqliteStore, "reject_stale", _reject_stale_epoch_le),
        ),
    ),
    Mutant(
        "lease_never_expires",
        "a claim's lease never runs out, so a dead worker's unit is never reclaimed",
        "LeaseTtl",
        _patch(Queue, "claim", _lease_never_expires),
    ),
    Mutant(
        "lease_one_tick_long",
        "the lease is written one tick longer than the TTL",
        "LeaseTtl",
        _patch(Queue, "claim", _lease_one_tick_long),
    ),
    Mutant(
        "attempt_budget_off_by_one",
        "the attempt budget allows one claim more than MaxEpoch",
        "Claim",
        _patch(Queue, "claim", _budget_off_by_one),
    ),
    Mutant(
        "take_keeps_schedule",
        "taking a run leaves it outstanding in the schedule (the unschedule guard removed)",
        "ScheduleAfterTake",
        _patch(SqliteStore, "take", _take_keeps_schedule),
    ),
    Mutant(
        "materialize_keeps_taken",
        "the durable write does not clear the scanner's memory of the run it wrote",
        "Materialize",
        _patch(DueScanner, "materialize", _materialize_keeps_taken),
    ),
    Mutant(
        "commit_without_guard",
        "the commit boundary applies every attempt's effect, stale or duplicate (the guard removed)",
        "CommitGuard",
        _patch(SqliteStore, "commit_effect", _commit_without_guard),
    ),
    Mutant(
        "reject_stale_keeps_attempt",
        "the store refuses the stale completion but the zombie keeps holding its attempt",
        "RejectStale",
        _patch(SqliteStore, "reject_stale", _reject_stale_releases_nothing),
    ),
)


def mutant(name: str) -> Mutant:
    """The mutant called ``name``; a KeyError lists the known ones."""
    for candidate in MUTANTS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no mutant {name!r} (known: {', '.join(m.name for m in MUTANTS)})")


__all__ = ["MUTANTS", "Mutant", "mutant"]
