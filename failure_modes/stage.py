"""The stage every bundle's scenario plays on: a real queue on a virtual clock, its workers, a narrator.

A scenario is a short story in the models' words (``tick``, ``scan``, ``claim``, ``complete``…).
Each step goes through the runtime; a step the runtime refuses is told as refused, with the guard
that refused it, and the story goes on, as the worker would. ``violations()`` asks every invariant
of ``python_impl.invariants``; ``deploy_fix()`` and ``recover()`` are the way back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from failure_lab.python_impl import (
    Attempt,
    Guards,
    MemoryEffects,
    Queue,
    Rejection,
    RetryPolicy,
    VirtualClock,
    check,
)
from failure_lab.python_impl.invariants import BrokenInvariant
from failure_lab.python_impl.recovery import Repair, recover
from failure_lab.python_impl.sqlite import SqliteStore
from failure_lab.trace_check.registry import FailureMode, load_registry

ROOT = Path(__file__).resolve().parent.parent


def manifest(fm_id: str) -> FailureMode:
    """The bundle's manifest: the invariant, guard and switch its tests check, never typed twice."""
    return load_registry(ROOT).get(fm_id)


def _noop(context: Any, payload: Any) -> None:
    """A handler with no effect of its own; the stories commit effects themselves."""


@dataclass
class Stage:
    """A queue set up like a bounded model, what its workers hold, and the story told so far."""

    queue: Queue
    clock: VirtualClock
    effects: MemoryEffects
    held: dict[str, Attempt] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    refusals: list[Rejection] = field(default_factory=list)

    @classmethod
    def open(
        cls,
        guards: Guards,
        *,
        runs: Mapping[str, int] | None = None,
        jobs: Sequence[str] = (),
        lease_ttl: int = 1,
        max_attempts: int = 2,
        retry: RetryPolicy | None = None,
    ) -> Stage:
        """A fresh in-memory queue at time 0: ``runs`` scheduled at their due times, ``jobs`` runnable."""
        clock, effects = VirtualClock(0), MemoryEffects()
        queue = Queue(
            SqliteStore(":memory:"),
            clock=clock,
            guards=guards,
            retry=retry or RetryPolicy(max_attempts=max_attempts),
            lease_ttl=lease_ttl,
            effects=effects,
        )
        queue.register("job", _noop)
        stage = cls(queue, clock, effects)
        off = ", ".join(guards.off()) or "none"
        stage.say(f"t=0  a queue with the guards switched off: {off}")
        for run, due in sorted((runs or {}).items()):
            queue.schedule("job", run, None, due)
            stage.say(f"t=0  {run} is scheduled, due at {due}")
        for job in jobs:
            queue.enqueue("job", job)
            stage.say(f"t=0  {job} is enqueued, runnable now")
        return stage

    # -- telling ---------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        """Add one line to the story."""
        self.lines.append(text)

    def step(self, label: str, action: Callable[[], object]) -> bool:
        """Take one step; a refusal is told with its guard and kept, and the story goes on."""
        try:
            action()
        except Rejection as refusal:
            self.refusals.append(refusal)
            self.say(f"t={self.clock.now()}  {label}: REFUSED by {refusal.guard} ({refusal})")
            return False
        self.say(f"t={self.clock.now()}  {label}")
        return True

    def story(self) -> str:
        """The story so far, one step a line."""
        return "\n".join(self.lines)

    # -- the models' steps -----------------------------------------------------------------------------

    def tick(self, why: str = "time moves on") -> None:
        """``Tick``."""
        self.clock.tick()
        self.say(f"t={self.clock.now()}  Tick: {why}")

    def scan(self, run: str) -> bool:
        """``Scan(r)``."""
        return self.step(f"Scan({run})", lambda: self.queue.scan(run))

    def materialize(self, run: str) -> bool:
        """``Materialize(r)``."""
        return self.step(f"Materialize({run})", lambda: self.queue.materialize(run))

    def advance_checkpoint(self) -> bool:
        """``AdvanceCheckpoint``."""
        return self.step("AdvanceCheckpoint", self.queue.advance_checkpoint)

    def claim(self, worker: str, run: str) -> bool:
        """``Claim(w, r)``: the worker then holds the attempt."""

        def claim() -> None:
            self.held[worker] = self.queue.claim(worker, run)

        return self.step(f"Claim({worker}, {run})", claim)

    def complete(self, worker: str) -> bool:
        """``Complete(w)`` with the attempt the worker holds."""
        attempt = self.held[worker]
        label = f"Complete({worker}) with epoch {attempt.epoch}"
        done = self.step(label, lambda: self.queue.complete(attempt))
        if done:
            del self.held[worker]
        return done

    def commit(self, worker: str, data: Mapping[str, Any]) -> bool:
        """``Commit(w)``: the effect through the commit boundary; a worker whose run moved on walks away."""
        attempt = self.held[worker]
        committed = self.step(
            f"Commit({worker}) of {attempt.job_key} with epoch {attempt.epoch}: {dict(data)}",
            lambda: self.queue.commit(attempt, data, complete=True),
        )
        if self.queue.inspect().attempt(worker) is not None:
            self.queue.drop(attempt)
        del self.held[worker]
        return committed

    def apply(self, worker: str, data: Mapping[str, Any]) -> bool:
        """The handler applies its effect through the boundary and has not completed yet."""
        attempt = self.held[worker]
        return self.step(
            f"{worker}'s handler applies {dict(data)} to {attempt.job_key} (attempt {attempt.epoch})",
            lambda: self.queue.commit(attempt, data),
        )

    def fail(self, worker: str, error: str) -> bool:
        """The handler fails: the queue retries after backoff while the budget lasts, else dead letter."""
        attempt = self.held.pop(worker)
        failed = self.step(
            f"{worker}'s handler fails on {attempt.job_key} (attempt {attempt.epoch}): {error}",
            lambda: self.queue.fail(attempt, error),
        )
        record = self.queue.job(attempt.job_key)
        if failed and record.status == "dead":
            self.say(f"t={self.clock.now()}  {attempt.job_key} is dead-lettered: {record.dead_reason}")
        return failed

    def wait(self, job: str) -> None:
        """A failed job's backoff passes (a dead letter has nothing to wait for)."""
        record = self.queue.job(job)
        if record.status == "runnable":
            self.clock.advance(self.queue.retry.backoff(job, record.attempts_used))
            self.say(f"t={self.clock.now()}  {job}'s backoff has passed; it is runnable again")

    def crash(self, worker: str) -> None:
        """The worker process dies holding its claim; its supervisor abandons the attempt, the lease stays."""
        attempt = self.held.pop(worker)
        self.queue.drop(attempt)
        self.say(
            f"t={self.clock.now()}  {worker} dies holding {attempt.job_key};"
            f" its lease runs until {attempt.lease_until}"
        )

    def work(self, worker: str, data: Mapping[str, Any]) -> bool:
        """A live worker asks for whatever is claimable and runs it to completion; False if nothing is."""
        attempt = self.queue.claim_next(worker)
        if attempt is None:
            self.say(f"t={self.clock.now()}  {worker} asks for work: nothing is claimable")
            return False
        self.queue.commit(attempt, data, complete=True)
        self.say(
            f"t={self.clock.now()}  {worker} claims {attempt.job_key} (attempt {attempt.epoch})"
            " and completes it"
        )
        return True

    def unfinished(self) -> frozenset[str]:
        """Jobs once claimed, neither completed nor dead-lettered: what ``ClaimedJobsFinish`` still owes."""
        units = self.queue.inspect().units.values()
        return frozenset(u.job_key for u in units if u.epoch > 0 and u.status not in ("completed", "dead"))

    def crash_scanner(self) -> None:
        """The scanner process dies: what it held in memory is gone; a new one starts from the store."""
        self.queue.restart_scanner()
        self.say(f"t={self.clock.now()}  the scanner crashes and restarts from the store")

    # -- looking and recovering ------------------------------------------------------------------------

    def violations(self) -> tuple[BrokenInvariant, ...]:
        """Every protected invariant that does not hold now."""
        return check(self.queue.inspect())

    def broken(self) -> frozenset[str]:
        """The names of the invariants that do not hold now."""
        return frozenset(violation.invariant for violation in self.violations())

    def report(self) -> None:
        """Tell what the invariants say now."""
        found = self.violations()
        if not found:
            self.say(f"t={self.clock.now()}  every invariant holds")
        for violation in found:
            self.say(f"t={self.clock.now()}  VIOLATED {violation}")

    def deploy_fix(self) -> None:
        """Restart on the same store with every guard on, as a deployment of the fix does."""
        queue = self.queue
        self.queue = Queue(
            queue.store,
            clock=self.clock,
            guards=Guards(),
            retry=queue.retry,
            lease_ttl=queue.lease_ttl,
            effects=self.effects,
        )
        self.queue.handlers.update(queue.handlers)
        self.say(f"t={self.clock.now()}  the fix is deployed: every guard on, same store")

    def recover(self) -> tuple[Repair, ...]:
        """Run every recovery and tell what it repaired."""
        repairs = recover(self.queue)
        for repair in repairs:
            self.say(f"t={self.clock.now()}  recovery: {repair}")
        return repairs


@dataclass(frozen=True, slots=True)
class Scenario:
    """A bundle's story: ``play`` under some guards, and ``restore``, the way back after the bug."""

    fm: FailureMode
    play: Callable[[Guards], Stage]
    restore: Callable[[Stage], None]

    @property
    def guard(self) -> str:
        """The runtime switch the manifest names (``python_guard``)."""
        if self.fm.python_guard is None:
            if self.fm.pending:
                raise NotImplementedError(f"{self.fm.id} is pending: its manifest names no python_guard yet")
            raise ValueError(f"{self.fm.manifest}: python_guard: expected the runtime guard's name")
        return self.fm.python_guard

    def bug(self) -> Stage:
        """The story with the manifest's guard switched off."""
        return self.play(Guards().without(self.guard))

    def guarded(self) -> Stage:
        """The same story with every guard on."""
        return self.play(Guards())

    def recovered(self) -> Stage:
        """The bug's story, then the way back, then what the invariants say."""
        stage = self.bug()
        self.restore(stage)
        stage.report()
        return stage

    def main(self) -> None:
        """Print the three stories: the bug, the guard, the recovery."""
        for title, stage in (
            (f"guard {self.guard} off: the failure", self.bug()),
            (f"guard {self.guard} on: prevented", self.guarded()),
            ("after the failure: recovery", self.recovered()),
        ):
            print(f"== {self.fm.id}: {title}")
            print(stage.story())
            print()


__all__ = ["ROOT", "Scenario", "Stage", "manifest"]
