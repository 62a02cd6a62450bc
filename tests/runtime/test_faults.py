"""Crashes, expiry, zombies and duplicate delivery at named points: the effect lands once, nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from failure_lab.python_impl import (
    Fault,
    FaultPoint,
    Faults,
    Guards,
    InjectedCrash,
    JsonLinesEffects,
    Queue,
    VirtualClock,
    Worker,
    check,
)
from failure_lab.python_impl.faults import crash

LEASE = 10


def charge(context, payload):  # type: ignore[no-untyped-def]
    context.commit({"amount": payload["amount"]})


def make(tmp_path: Path, *faults: Fault, guards: Guards | None = None) -> tuple[Queue, VirtualClock]:
    clock = VirtualClock()
    queue = Queue.open(
        tmp_path / "q.db",
        clock=clock,
        guards=guards,
        lease_ttl=LEASE,
        effects=JsonLinesEffects(tmp_path / "effects.jsonl"),
        faults=Faults(*faults),
    )
    queue.register("charge", charge)
    queue.enqueue("charge", "order-1", {"amount": 5})
    return queue, clock


def lines(tmp_path: Path) -> dict[str, int]:
    return dict(JsonLinesEffects(tmp_path / "effects.jsonl").per_key())


def crash_then_recover(queue: Queue, clock: VirtualClock) -> str:
    """The first worker dies at the armed point; after its lease a second one finishes the job."""
    with pytest.raises(InjectedCrash):
        Worker(queue, "w1").run_once()
    assert Worker(queue, "w2").run_once() is None, "the dead worker's lease still holds"
    clock.advance(LEASE)
    outcome = Worker(queue, "w2").run_once()
    assert outcome is not None
    return outcome.result


@pytest.mark.parametrize("point", [FaultPoint.MID_HANDLER, FaultPoint.BEFORE_EFFECT, FaultPoint.AFTER_EFFECT])
def test_a_crash_before_the_commit_is_finished_by_the_next_attempt_with_one_effect(
    tmp_path: Path, point: FaultPoint
) -> None:
    queue, clock = make(tmp_path, Fault(point, crash, job_key="order-1", epoch=1))
    assert crash_then_recover(queue, clock) == "completed"
    assert lines(tmp_path) == {"order-1": 1}
    snapshot = queue.inspect()
    assert snapshot.effects == {"order-1": 1}
    assert (snapshot.unit("order-1"), snapshot.completed_epoch("order-1")) == ("completed", 2)
    assert check(snapshot) == ()


@pytest.mark.parametrize("guards", [Guards(), Guards().without("idempotent_commit")])
def test_a_crash_after_the_commit_leaves_nothing_to_redo_because_completion_shares_its_transaction(
    tmp_path: Path, guards: Guards
) -> None:
    queue, clock = make(tmp_path, Fault(FaultPoint.AFTER_COMMIT, crash, epoch=1), guards=guards)
    with pytest.raises(InjectedCrash):
        Worker(queue, "w1").run_once()
    clock.advance(LEASE)
    assert Worker(queue, "w2").run_once() is None
    assert lines(tmp_path) == {"order-1": 1}
    assert (queue.job("order-1").status, queue.job("order-1").epoch) == ("completed", 1)


def test_without_idempotent_commit_a_crash_between_effect_and_commit_applies_it_twice(tmp_path: Path) -> None:
    queue, clock = make(
        tmp_path,
        Fault(FaultPoint.AFTER_EFFECT, crash, job_key="order-1", epoch=1),
        guards=Guards().without("idempotent_commit"),
    )
    assert crash_then_recover(queue, clock) == "completed"
    assert lines(tmp_path) == {"order-1": 2}


def test_a_zombie_whose_lease_expired_mid_handler_is_refused_at_the_commit(tmp_path: Path) -> None:
    queue, clock = make(tmp_path)
    rescuer = Worker(queue, "w2")
    # While w1 is inside its handler, its lease runs out and w2 takes the job and finishes it.
    queue.faults.arm(
        Fault(FaultPoint.MID_HANDLER, lambda: (clock.advance(LEASE), rescuer.run_once()), epoch=1)
    )
    zombie = Worker(queue, "w1").run_once()
    assert zombie is not None and zombie.result == "refused:StaleEpoch"
    assert lines(tmp_path) == {"order-1": 1}
    snapshot = queue.inspect()
    assert (snapshot.completed_epoch("order-1"), snapshot.attempts) == (2, {})
    assert check(snapshot) == ()


@pytest.mark.parametrize(
    ("guards", "result", "broken"),
    [
        (Guards(), "stale", []),
        (Guards().without("epoch_fence"), "completed", ["CompletedUsesCurrentEpoch"]),
    ],
)
def test_a_zombie_completing_while_the_rescuer_still_runs_is_refused_only_with_the_fence(
    tmp_path: Path, guards: Guards, result: str, broken: list[str]
) -> None:
    queue, clock = make(tmp_path, guards=guards)
    queue.register("tidy", lambda context, payload: None)
    queue.enqueue("tidy", "cleanup-1", {})
    # A job with no external effect, so its completion is its only write: the zombie stalls in the
    # handler; meanwhile its lease expires and w2 claims the job anew and is still running it.
    queue.faults.arm(
        Fault(
            FaultPoint.MID_HANDLER,
            lambda: (clock.advance(LEASE), queue.claim("w2", "cleanup-1")),
            job_key="cleanup-1",
            epoch=1,
        )
    )
    zombie = Worker(queue, "w1").run_once()
    assert zombie is not None and (zombie.job_key, zombie.result) == ("cleanup-1", result)
    assert [v.invariant for v in check(queue.inspect())] == broken


@pytest.mark.parametrize(("guards", "effects"), [(Guards(), 1), (Guards().without("idempotent_commit"), 2)])
def test_a_job_delivered_twice_commits_its_effect_once_unless_the_boundary_is_off(
    tmp_path: Path, guards: Guards, effects: int
) -> None:
    queue, _ = make(tmp_path, guards=guards)
    outcome = Worker(queue, "w1", duplicate_delivery=True).run_once()
    assert outcome is not None and outcome.result == "completed"
    assert lines(tmp_path) == {"order-1": effects}


def scheduled(tmp_path: Path, *faults: Fault, guards: Guards | None = None) -> tuple[Queue, VirtualClock]:
    clock = VirtualClock()
    queue = Queue.open(tmp_path / "s.db", clock=clock, guards=guards, faults=Faults(*faults))
    queue.register("charge", charge)
    queue.schedule("charge", "run-1", {"amount": 1}, due_at=1)
    clock.tick()
    return queue, clock


def test_a_scanner_crash_between_the_durable_write_and_the_checkpoint_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    queue, _ = scheduled(tmp_path, Fault(FaultPoint.AFTER_MATERIALIZE, crash))
    with pytest.raises(InjectedCrash):
        queue.scan_pass()
    queue.restart_scanner()
    report = queue.scan_pass()
    assert (report.scanned, report.materialized, report.checkpoint) == ((), (), 1)
    snapshot = queue.inspect()
    assert snapshot.units["run-1"].materializations == 1
    assert check(snapshot) == ()


def test_a_scanner_crash_before_the_durable_write_is_recovered_from_the_checkpoint(tmp_path: Path) -> None:
    queue, _ = scheduled(tmp_path, Fault(FaultPoint.BEFORE_MATERIALIZE, crash))
    with pytest.raises(InjectedCrash):
        queue.scan_pass()
    queue.restart_scanner()
    assert queue.scanner.taken == {"run-1"}
    report = queue.scan_pass()
    assert (report.materialized, report.checkpoint) == (("run-1",), 1)
    assert check(queue.inspect()) == ()


def test_without_checkpoint_after_durable_that_crash_loses_the_run(tmp_path: Path) -> None:
    queue, clock = scheduled(
        tmp_path,
        Fault(FaultPoint.BEFORE_MATERIALIZE, crash),
        guards=Guards().without("checkpoint_after_durable"),
    )
    with pytest.raises(InjectedCrash):
        queue.scan_pass()
    # Before the restart the model's invariant names the danger; after it the run is simply gone.
    assert [v.invariant for v in check(queue.inspect())] == ["CheckpointAfterDurableMaterialization"]
    queue.restart_scanner()
    clock.advance(100)
    queue.scan_pass()
    snapshot = queue.inspect()
    assert (snapshot.unit("run-1"), snapshot.scheduled, snapshot.taken) == ("none", frozenset(), frozenset())
