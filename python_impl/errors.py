"""The one error type of ``python_impl`` and the typed refusals that name the guard which refused."""

from __future__ import annotations


class QueueError(Exception):
    """Anything the queue refuses or cannot do; ``str()`` is one line that says what and where."""


class BadInput(QueueError):
    """Input the queue cannot accept; nothing was written."""


class UnknownHandler(BadInput):
    """A job names a handler nobody registered."""


class PayloadNotSerializable(BadInput):
    """A payload that JSON cannot carry."""


class DuplicateJobKey(BadInput):
    """A job key that is already enqueued or scheduled."""


class UnknownJob(BadInput):
    """A job key the store has never seen."""


class DatabaseRefused(QueueError):
    """A database file the queue will not open; the file is left untouched."""


class CorruptDatabase(DatabaseRefused):
    """The file is not an SQLite database."""


class ForeignDatabase(DatabaseRefused):
    """An SQLite database that belongs to some other application."""


class SchemaTooNew(DatabaseRefused):
    """A database written by a newer version of this queue."""


class Rejection(QueueError):
    """A step the store refused because a guard or precondition of the model does not hold.

    ``guard`` names what refused (a ``Guards`` field, or the model's precondition);
    a refused step changes nothing in the store.
    """

    guard: str = ""

    def __init__(self, message: str, *, guard: str | None = None) -> None:
        super().__init__(message)
        if guard is not None:
            self.guard = guard


class NotScheduled(Rejection):
    """Scan of a run that is not outstanding in the schedule."""

    guard = "r \\in scheduled"


class NotDue(Rejection):
    """Scan of a run whose due time is past the scan window's due boundary."""

    guard = "due_boundary"


class OutsideScanWindow(Rejection):
    """Scan of a run due before the scan window starts."""

    guard = "catch_up_overdue"


class NotTaken(Rejection):
    """Materialise of a run the scanner has not taken."""

    guard = "r \\in taken"


class CheckpointBlocked(Rejection):
    """Checkpoint advance while taken runs wait for their durable write, or due runs are left."""

    guard = "checkpoint_after_durable"


class NotClaimable(Rejection):
    """Claim of a unit that does not exist, is completed or dead-lettered, or is not yet available."""

    guard = "unit[r] \\in {runnable, claimed}"


class ClaimRefused(Rejection):
    """Claim of a unit that a live claimer still holds."""

    guard = "exclusive_claim"


class BudgetExhausted(Rejection):
    """Claim of a unit whose attempt budget is spent."""

    guard = "epoch[r] < MaxEpoch"


class WorkerBusy(Rejection):
    """Claim by a worker that already holds an attempt."""

    guard = "attempt[w] = NoAttempt"


class NoSuchAttempt(Rejection):
    """A step on an attempt the store does not hold (finished, dropped or never granted)."""

    guard = "attempt[w] # NoAttempt"


class StaleEpoch(Rejection):
    """A write from an attempt whose epoch is no longer the unit's current epoch."""

    guard = "epoch_fence"


class DuplicateEffect(Rejection):
    """A second committed external effect for a job key."""

    guard = "idempotent_commit"


class NotStale(Rejection):
    """Drop-as-stale of an attempt that is still current."""

    guard = "attempt[w].epoch # epoch[r]"
