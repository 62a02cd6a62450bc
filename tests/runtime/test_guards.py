"""Each guard switched off reproduces its failure mode's bug; switched on, the same steps are refused there,
or changed there, for the guards whose answer is a different write rather than a refusal.

The guard-to-invariant pairs come from the failure-mode manifests; the steps are each bug's shortest
counterexample from specs/*/README.md, extended by one step where the counterexample alone needs no
refusal (the rescan that duplicate materialisation makes possible).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from failure_lab.python_impl import (
    Fault,
    FaultPoint,
    Guards,
    InjectedCrash,
    MemoryEffects,
    Queue,
    RetryPolicy,
    VirtualClock,
)
from failure_lab.python_impl.faults import crash
from failure_lab.python_impl.invariants import INVARIANTS, check

from .conftest import DUE_AT, LEASE_TTL, MAX_EPOCH, Model, Step, noop, play

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = {
    manifest["python_guard"]: manifest
    for manifest in (
        tomllib.loads(path.read_text()) for path in sorted(ROOT.glob("failure_modes/*/failure_mode.toml"))
    )
    if manifest.get("status") != "pending"  # a scaffold from failure-lab new names no guard yet
}

# Per guard: the jobs enqueued besides the A09 schedule, and the steps.
SCENARIOS: dict[str, tuple[tuple[str, ...], tuple[Step, ...]]] = {
    "due_boundary": ((), (("Scan", "r1"), ("Materialize", "r1"))),
    "unschedule_on_materialize": ((), (("Tick",), ("Scan", "r1"), ("Materialize", "r1"), ("Scan", "r1"))),
    "epoch_fence": (
        (),
        (
            ("Tick",),
            ("Scan", "r1"),
            ("Materialize", "r1"),
            ("Claim", "w1", "r1"),
            ("Tick",),
            ("Claim", "w2", "r1"),
            ("Complete", "w1"),
        ),
    ),
    "exclusive_claim": (
        (),
        (("Tick",), ("Scan", "r1"), ("Materialize", "r1"), ("Claim", "w1", "r1"), ("Claim", "w2", "r1")),
    ),
    "checkpoint_after_durable": ((), (("Tick",), ("Scan", "r1"), ("AdvanceCheckpoint",))),
    "catch_up_overdue": ((), (("Tick",), ("Tick",), ("Tick",), ("AdvanceCheckpoint",))),
    "idempotent_commit": (
        ("j1",),
        (("Lease", "w1", "j1"), ("Tick",), ("Lease", "w2", "j1"), ("Commit", "w1"), ("Commit", "w2")),
    ),
    "stable_effect_key": (
        ("j1",),
        (("Lease", "w1", "j1"), ("Commit", "w1"), ("Tick",), ("Lease", "w2", "j1"), ("Commit", "w2")),
    ),
    "retry_budget": (
        ("j1",),
        (
            ("Lease", "w1", "j1"),
            ("Fail", "w1"),
            ("Wait", "j1"),
            ("Lease", "w1", "j1"),
            ("Fail", "w1"),
            ("Wait", "j1"),
            ("Lease", "w1", "j1"),
        ),
    ),
    "fence_every_write": (("j1",), (("Lease", "w1", "j1"), ("Tick",), ("Lease", "w2", "j1"), ("Fail", "w1"))),
    "delivery_budget": (
        ("j1",),
        (
            ("Lease", "w1", "j1"),
            ("Fail", "w1"),
            ("Wait", "j1"),
            ("Lease", "w1", "j1"),
            ("Crash", "w1"),
            ("ExpireLease", "j1"),
        ),
    ),
    "reconcile_effects": (
        ("j1",),
        (
            ("Lease", "w1", "j1"),
            ("CrashAfterEffect", "w1"),
            ("Tick",),
            ("Lease", "w2", "j1"),
            ("Commit", "w2"),
        ),
    ),
}

# Guards that answer the bug's step with another write, not a refusal: the reaper dead-letters the poison
# instead of handing it out again; the commit boundary records the charge it finds instead of applying it.
CHANGES = frozenset({"delivery_budget", "reconcile_effects"})


@dataclass
class FaultyModel(Model):
    """The bounded models' steps, and the faults of the newer experiments: a worker that dies (before or
    right after its effect lands), and one lease that runs out while the reaper takes the job back."""

    def step(self, step: Step) -> None:
        """Take one model action or fault; a refusal raises and changes nothing."""
        name, *args = step
        if name == "Crash":
            self.attempts.pop(args[0])
            self.queue.abandon(args[0])
        elif name == "CrashAfterEffect":
            attempt = self.attempts.pop(args[0])
            self.queue.faults.arm(
                Fault(FaultPoint.AFTER_EFFECT, crash, job_key=attempt.job_key, epoch=attempt.epoch)
            )
            with pytest.raises(InjectedCrash):
                self.queue.commit(attempt)
            self.queue.abandon(args[0])
        elif name == "ExpireLease":
            assert self.queue.expire_lease(args[0])
            self.queue.release_expired()
        else:
            super().step(step)


@pytest.fixture
def faulty(model: Callable[..., Model]) -> Callable[..., FaultyModel]:
    """The ``model`` factory, whose models also take the faults above."""

    def make(guards: Guards | None = None, jobs: Sequence[str] = ()) -> FaultyModel:
        made = model(guards, jobs=jobs)
        return FaultyModel(made.queue, made.clock, made.effects)

    return make


# Guards whose bug is a liveness failure: no state is bad, so no step sequence here can show it; their
# bundles replay TLC's lasso instead.
LIVENESS = {guard for guard, m in MANIFESTS.items() if m["variants"]["bug"]["expect"] == "property_violated"}


def test_every_guard_has_a_failure_mode_and_a_scenario() -> None:
    assert set(MANIFESTS) == set(Guards.names()) == set(SCENARIOS) | LIVENESS
    assert {m["invariant"] for g, m in MANIFESTS.items() if g not in LIVENESS} <= set(INVARIANTS)


@pytest.mark.parametrize("guard", sorted(SCENARIOS))
def test_guard_off_breaks_exactly_its_invariant_at_the_last_step(faulty, guard: str) -> None:
    jobs, steps = SCENARIOS[guard]
    played = play(faulty(Guards().without(guard), jobs=jobs), steps)
    assert played.first_refusal() is None
    assert played.broken() == {MANIFESTS[guard]["invariant"]}
    first_broken = next(i for i, found in enumerate(played.violations) if found)
    # The bug shows where the counterexample ends (or, with the extra rescan, one step before).
    assert first_broken >= len(steps) - 2
    assert {v.where for v in played.violations[-1]} <= {"r1", "r2", "j1"}


@pytest.mark.parametrize("guard", sorted(set(SCENARIOS) - CHANGES))
def test_guard_on_refuses_the_step_the_bug_needs_and_every_invariant_holds(faulty, guard: str) -> None:
    jobs, steps = SCENARIOS[guard]
    buggy = play(faulty(Guards().without(guard), jobs=jobs), steps)
    played = play(faulty(jobs=jobs), steps)
    refused = played.first_refusal()
    assert refused is not None
    index, rejection = refused
    assert rejection.guard == guard
    # Refused no later than the step where the bug first shows. The one guard that is not a refusal
    # changes what Scan writes instead; what it refuses is the rescan the bug would allow.
    if guard != "unschedule_on_materialize":
        assert index <= next(i for i, found in enumerate(buggy.violations) if found)
    assert buggy.refusals[index] is None
    assert played.broken() == set()


@pytest.mark.parametrize("guard", sorted(CHANGES))
def test_guard_on_changes_the_step_the_bug_needs_and_every_invariant_holds(faulty, guard: str) -> None:
    jobs, steps = SCENARIOS[guard]
    buggy, guarded = faulty(Guards().without(guard), jobs=jobs), faulty(jobs=jobs)
    parted = []
    for step in steps:
        buggy.step(step)
        guarded.step(step)
        parted.append(buggy.queue.inspect() != guarded.queue.inspect())
    # The two runs agree until the step the guard exists for, which each takes, differently.
    assert parted == [False] * (len(steps) - 1) + [True]
    assert steps[-1][0] == MANIFESTS[guard]["guarded_action"]
    assert check(guarded.queue.inspect()) == ()


def test_stale_worker_drops_its_attempt_once_the_fence_refuses_it(model) -> None:
    _, steps = SCENARIOS["epoch_fence"]
    m = model()
    played = play(m, (*steps, ("RejectStale", "w1"), ("Complete", "w2")))
    assert played.refusals[-2:] == (None, None)
    snapshot = m.queue.inspect()
    assert (snapshot.unit("r1"), snapshot.completed_epoch("r1"), snapshot.epoch("r1")) == ("completed", 2, 2)
    assert snapshot.attempts == {}
    assert played.broken() == set()


def test_without_the_fence_nothing_is_stale_so_reject_stale_is_refused(model) -> None:
    m = model(Guards().without("epoch_fence"))
    played = play(m, (("Tick",), ("Scan", "r1"), ("Materialize", "r1"), ("Claim", "w1", "r1")))
    assert played.first_refusal() is None
    played = play(m, (("Tick",), ("Claim", "w2", "r1"), ("RejectStale", "w1")))
    refused = played.first_refusal()
    assert refused is not None and type(refused[1]).__name__ == "NotStale"


# Tick and Wait move the clock, and a worker's death is no step of the runtime's own.
SILENT = ("Tick", "Wait", "Crash", "CrashAfterEffect")


@pytest.mark.parametrize("guard", sorted(SCENARIOS))
def test_the_step_sink_hears_every_accepted_step_by_its_model_name_and_no_refused_one(
    tmp_path, guard: str
) -> None:
    heard: list[tuple[str, dict[str, str]]] = []
    clock = VirtualClock()
    queue = Queue.open(
        tmp_path / "q.db",
        clock=clock,
        lease_ttl=LEASE_TTL,
        retry=RetryPolicy(max_attempts=MAX_EPOCH),
        on_step=lambda step, args: heard.append((step, dict(args))),
    )
    queue.register("run", noop)
    for run, due in DUE_AT.items():
        queue.schedule("run", run, {}, due)
    jobs, steps = SCENARIOS[guard]
    for job in jobs:
        queue.enqueue("run", job, {})
    played = play(FaultyModel(queue, clock, MemoryEffects()), steps)
    accepted = [step for step, refusal in zip(steps, played.refusals, strict=True) if refusal is None]
    expected = [("Claim" if step[0] == "Lease" else step[0]) for step in accepted if step[0] not in SILENT]
    assert [name for name, _ in heard] == expected
    for (name, args), step in zip(heard, [s for s in accepted if s[0] not in SILENT], strict=True):
        assert tuple(args.values()) == step[1:], name
