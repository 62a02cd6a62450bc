"""The due scanner: takes due runs, makes each durable as a runnable unit, then checkpoints."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from failure_lab.python_impl import errors
from failure_lab.python_impl.clock import Clock
from failure_lab.python_impl.faults import FaultPoint, Faults
from failure_lab.python_impl.policies import Guards
from failure_lab.python_impl.store import Store


@dataclass(frozen=True, slots=True)
class PassReport:
    """What one full pass did."""

    scanned: tuple[str, ...]
    materialized: tuple[str, ...]
    checkpoint: int


class DueScanner:
    """One scanner; ``taken`` lives in its memory, as a real scanner's current batch does.

    A new scanner (a restart) recovers ``taken`` from the store: runs that left the schedule, due
    after the checkpoint, with no unit yet. That recovery is only complete while the checkpoint
    lags the durable write, which is the ``checkpoint_after_durable`` guard.
    """

    __slots__ = ("_clock", "_emit", "_faults", "_guards", "_store", "_taken")

    def __init__(
        self,
        store: Store,
        clock: Clock,
        guards: Guards,
        faults: Faults,
        emit: Callable[[str, Mapping[str, str]], None] = lambda step, args: None,
    ) -> None:
        self._store = store
        self._emit = emit
        self._clock = clock
        self._guards = guards
        self._faults = faults
        self._taken: set[str] = set(store.taken_not_durable(store.checkpoint()))

    @property
    def taken(self) -> frozenset[str]:
        """Runs taken in the current pass whose runnable unit is not yet durable."""
        return frozenset(self._taken)

    def window(self, now: int, checkpoint: int) -> tuple[int, int]:
        """``ScanFrom..DueBoundary``: the due times this scanner releases at ``now``."""
        first = checkpoint + 1 if self._guards.catch_up_overdue else now
        last = now if self._guards.due_boundary else now + 1
        return first, last

    def scan(self, job_key: str) -> None:
        """``Scan(r)``: take a due run from the schedule."""
        entry = self._store.schedule_entry(job_key)
        if entry is None:
            raise errors.NotScheduled(f"Scan({job_key}): no such run in the schedule")
        if not entry.outstanding:
            # Only unschedule_on_materialize takes a run out of the schedule: it is what refuses a rescan.
            raise errors.NotScheduled(
                f"Scan({job_key}): already taken out of the schedule", guard="unschedule_on_materialize"
            )
        if job_key in self._taken:
            raise errors.NotScheduled(f"Scan({job_key}): already taken, waiting for its durable write")
        now = self._clock.now()
        first, last = self.window(now, self._store.checkpoint())
        if entry.due_at > last:
            raise errors.NotDue(
                f"Scan({job_key}): due at {entry.due_at}, the window ends at {last} (now {now})"
            )
        if entry.due_at < first:
            raise errors.OutsideScanWindow(
                f"Scan({job_key}): due at {entry.due_at}, the window starts at {first}"
            )
        self._store.take(job_key, unschedule=self._guards.unschedule_on_materialize)
        self._taken.add(job_key)
        self._emit("Scan", {"r": job_key})

    def materialize(self, job_key: str) -> None:
        """``Materialize(r)``: the durable write of a taken run's runnable unit."""
        if job_key not in self._taken:
            raise errors.NotTaken(f"Materialize({job_key}): the scanner has not taken it")
        self._faults.at(FaultPoint.BEFORE_MATERIALIZE, job_key, 0)
        self._store.materialize(job_key, self._clock.now())
        self._taken.discard(job_key)
        self._emit("Materialize", {"r": job_key})
        self._faults.at(FaultPoint.AFTER_MATERIALIZE, job_key, 0)

    def advance_checkpoint(self) -> int:
        """``AdvanceCheckpoint``: record that the schedule is consumed up to now; returns the checkpoint."""
        now = self._clock.now()
        checkpoint = self._store.checkpoint()
        if checkpoint >= now:
            raise errors.CheckpointBlocked(
                f"AdvanceCheckpoint: already at {checkpoint}, now is {now}", guard="checkpoint < now"
            )
        if self._guards.checkpoint_after_durable and self._taken:
            raise errors.CheckpointBlocked(
                f"AdvanceCheckpoint: {', '.join(sorted(self._taken))} taken but not yet durable"
            )
        first, last = self.window(now, checkpoint)
        left = self._store.advance_checkpoint(now, first=first, last=last)
        if left:
            # Runs due before now are in the window only because the scanner catches up from the checkpoint.
            overdue = any(self._due(key) < now for key in left)
            raise errors.CheckpointBlocked(
                f"AdvanceCheckpoint: {', '.join(left)} still outstanding in the window {first}..{last}",
                guard="catch_up_overdue" if overdue else "\\A r \\in scheduled : ~InWindow(r)",
            )
        self._emit("AdvanceCheckpoint", {})
        return now

    def _due(self, job_key: str) -> int:
        entry = self._store.schedule_entry(job_key)
        return 0 if entry is None else entry.due_at

    def run_pass(self) -> PassReport:
        """Scan what is due, materialise it, checkpoint; progress is recorded as early as allowed."""
        now = self._clock.now()
        first, last = self.window(now, self._store.checkpoint())
        scanned = []
        for entry in self._store.outstanding_between(first, last):
            if entry.job_key not in self._taken:
                try:
                    self.scan(entry.job_key)
                except (errors.NotDue, errors.OutsideScanWindow):
                    continue  # a real clock moved the window since it was read: the next pass decides
                scanned.append(entry.job_key)
        # Like a consumer that auto-commits its offset: it tries as soon as it has read the batch, and
        # only checkpoint_after_durable makes it wait for the durable writes below.
        self._try_checkpoint()
        materialized = sorted(self._taken)
        for job_key in materialized:
            self.materialize(job_key)
        self._try_checkpoint()
        return PassReport(tuple(scanned), tuple(materialized), self._store.checkpoint())

    def _try_checkpoint(self) -> None:
        with contextlib.suppress(errors.CheckpointBlocked):
            self.advance_checkpoint()
