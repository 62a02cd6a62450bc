"""Queues on real SQLite files in tmp_path, driven step by step with a virtual clock, as the models are."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from failure_lab.python_impl import (
    Attempt,
    Faults,
    Guards,
    MemoryEffects,
    Queue,
    RetryPolicy,
    VirtualClock,
    check,
)
from failure_lab.python_impl.errors import Rejection
from failure_lab.python_impl.invariants import BrokenInvariant

# The bounded models' constants (specs/a09/MCA09.tla, specs/fm001/MCLeaseExpiry.tla).
DUE_AT = {"r1": 1, "r2": 2}
LEASE_TTL = 1
MAX_EPOCH = 2

Step = tuple[str, ...]


def noop(context: Any, payload: Any) -> None:
    """A handler with no effect of its own."""


@dataclass
class Model:
    """A queue set up like the bounded models, and the attempts its workers hold."""

    queue: Queue
    clock: VirtualClock
    effects: MemoryEffects
    attempts: dict[str, Attempt] = field(default_factory=dict)

    def step(self, step: Step) -> None:
        """Take one model action; a refusal raises and changes nothing."""
        name, *args = step
        queue = self.queue
        if name == "Tick":
            self.clock.tick()
        elif name == "Scan":
            queue.scan(args[0])
        elif name == "Materialize":
            queue.materialize(args[0])
        elif name == "AdvanceCheckpoint":
            queue.advance_checkpoint()
        elif name in ("Claim", "Lease"):
            self.attempts[args[0]] = queue.claim(args[0], args[1])
        elif name == "Complete":
            queue.complete(self.attempts[args[0]])
            del self.attempts[args[0]]
        elif name == "RejectStale":
            queue.reject_stale(self.attempts.pop(args[0]))
        elif name == "Commit":
            queue.commit(self.attempts[args[0]])
        elif name == "Fail":
            queue.fail(self.attempts.pop(args[0]), "handler failed")
        elif name == "Wait":
            # A failed job's backoff passes (the models have none); a dead letter has nothing to wait for.
            record = queue.job(args[0])
            if record.status == "runnable":
                self.clock.advance(queue.retry.backoff(args[0], record.attempts_used))
        else:
            raise AssertionError(f"no such step {name}")


@dataclass(frozen=True)
class Played:
    """What happened at each step: the refusal (or None) and the invariants broken afterwards."""

    steps: tuple[Step, ...]
    refusals: tuple[Rejection | None, ...]
    violations: tuple[tuple[BrokenInvariant, ...], ...]

    def broken(self) -> set[str]:
        """Names of every invariant broken at any step."""
        return {v.invariant for found in self.violations for v in found}

    def first_refusal(self) -> tuple[int, Rejection] | None:
        """The index and rejection of the first refused step."""
        for index, refusal in enumerate(self.refusals):
            if refusal is not None:
                return index, refusal
        return None


@pytest.fixture
def model(tmp_path: Path) -> Callable[..., Model]:
    """A factory for a queue shaped like the bounded models, with the given guards and faults."""
    counter = iter(range(1_000))

    def make(guards: Guards | None = None, faults: Faults | None = None, jobs: Sequence[str] = ()) -> Model:
        clock = VirtualClock()
        effects = MemoryEffects()
        queue = Queue.open(
            tmp_path / f"queue{next(counter)}.db",
            clock=clock,
            guards=guards or Guards(),
            faults=faults,
            lease_ttl=LEASE_TTL,
            retry=RetryPolicy(max_attempts=MAX_EPOCH),
            effects=effects,
        )
        queue.register("run", noop)
        for run, due in DUE_AT.items():
            queue.schedule("run", run, {"run": run}, due)
        for job in jobs:
            queue.enqueue("run", job, {"job": job})
        return Model(queue, clock, effects)

    return make


def play(model: Model, steps: Sequence[Step]) -> Played:
    """Take every step, recording refusals (checking each changed nothing) and violations after each."""
    refusals: list[Rejection | None] = []
    violations: list[tuple[BrokenInvariant, ...]] = []
    for step in steps:
        before = model.queue.inspect()
        try:
            model.step(step)
        except Rejection as refusal:
            assert model.queue.inspect() == before, f"{step} was refused but changed the store"
            refusals.append(refusal)
        else:
            refusals.append(None)
        violations.append(check(model.queue.inspect()))
    return Played(tuple(steps), tuple(refusals), tuple(violations))
