"""A worker: claim, run the handler (which commits its effect), complete; or retry, or walk away."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from failure_lab.python_impl import errors
from failure_lab.python_impl.faults import FaultPoint
from failure_lab.python_impl.queue import JobContext, Queue, payload_of
from failure_lab.python_impl.store import Attempt


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one attempt."""

    job_key: str
    epoch: int
    result: str
    """completed | retried | dead | refused:<Rejection> | stale"""


class Worker:
    """Runs jobs one at a time under the name ``name``; ``duplicate_delivery`` hands every job over twice."""

    __slots__ = ("_next", "duplicate_delivery", "name", "queue")

    def __init__(self, queue: Queue, name: str, *, duplicate_delivery: bool = False) -> None:
        self.queue = queue
        self.name = name
        self.duplicate_delivery = duplicate_delivery
        self._next: Attempt | None = None

    def run_once(self, *, prefetch: bool = False) -> Outcome | None:
        """Claim and process one job; None when nothing is claimable.

        With ``prefetch`` the job's commit also claims the next one, in the same transaction; the
        worker then holds that attempt when this returns, and the next call processes it.
        """
        attempt, self._next = self._next or self.queue.claim_next(self.name), None
        return None if attempt is None else self.process(attempt, prefetch=prefetch)

    def run(self, stop: Callable[[], bool], idle_ticks: int = 5) -> None:
        """Process jobs until ``stop()``; when there is nothing, wait ``idle_ticks`` on the queue's clock."""
        while not stop():
            if self.run_once(prefetch=True) is None:
                self.queue.clock.sleep(idle_ticks)

    def process(self, attempt: Attempt, *, prefetch: bool = False) -> Outcome:
        """Run one claimed attempt to its end."""
        handler = self.queue.handlers.get(attempt.handler)
        # Delivered twice, the job must reach the boundary twice, so it may not complete at the first.
        complete = not self.duplicate_delivery
        context = JobContext(
            self.queue, attempt, complete_on_commit=complete, claim_next=complete and prefetch
        )
        try:
            if handler is None:
                raise errors.UnknownHandler(
                    f"no handler {attempt.handler!r} registered in worker {self.name}"
                )
            payload = payload_of(attempt)
            self.queue.faults.at(FaultPoint.MID_HANDLER, attempt.job_key, attempt.epoch)
            handler(context, payload)
            if self.duplicate_delivery:
                handler(context, payload)
        except Exception as error:  # a handler may raise anything; the job's budget absorbs it
            if context.completed:
                self._next = context.next_attempt
                return Outcome(attempt.job_key, attempt.epoch, "completed")
            if context.refused is None:
                return self._failed(attempt, f"{type(error).__name__}: {error}")
        if context.refused is not None:
            # The boundary said this attempt lost the job (stale, or the job is gone): walk away.
            if not isinstance(context.refused, errors.NoSuchAttempt):
                self.queue.drop(attempt)
            return Outcome(attempt.job_key, attempt.epoch, f"refused:{type(context.refused).__name__}")
        if context.completed:
            self._next = context.next_attempt
            return Outcome(attempt.job_key, attempt.epoch, "completed")
        try:
            self.queue.complete(attempt)
        except errors.StaleEpoch:
            self.queue.reject_stale(attempt)
            return Outcome(attempt.job_key, attempt.epoch, "stale")
        except errors.NotClaimable:
            self.queue.drop(attempt)
            return Outcome(attempt.job_key, attempt.epoch, "refused:NotClaimable")
        return Outcome(attempt.job_key, attempt.epoch, "completed")

    def _failed(self, attempt: Attempt, error: str) -> Outcome:
        try:
            self.queue.fail(attempt, error)
        except (errors.StaleEpoch, errors.NotClaimable):
            self.queue.drop(attempt)
            return Outcome(attempt.job_key, attempt.epoch, "stale")
        dead = self.queue.job(attempt.job_key).status == "dead"
        return Outcome(attempt.job_key, attempt.epoch, "dead" if dead else "retried")
