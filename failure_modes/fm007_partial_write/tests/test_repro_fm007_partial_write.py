"""fm007 reproduced: a worker dies between its charge and the record of it, and the retry charges again."""

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
    check,
)
from failure_lab.python_impl.faults import crash
from failure_modes.fm007_partial_write.scenario import CHARGE, SCENARIO


def test_asked_by_the_ledger_only_the_retry_charges_again_and_only_the_match_breaks() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    assert [(e.worker, e.attempt) for e in stage.effects.effects] == [("w1", 1), ("w1", 2)]
    assert [(entry.job_key, entry.epoch) for entry in stage.queue.store.ledger()] == [("j1", 2)]
    assert not stage.refusals


def test_the_same_partial_write_on_a_database_file_and_a_file_of_effects(tmp_path: Path) -> None:
    clock = VirtualClock()
    queue = Queue.open(
        tmp_path / "q.db",
        clock=clock,
        guards=Guards().without(SCENARIO.guard),
        lease_ttl=10,
        effects=JsonLinesEffects(tmp_path / "effects.jsonl"),
        faults=Faults(Fault(FaultPoint.AFTER_EFFECT, crash, job_key="j1", epoch=1)),
    )
    queue.register("charge", lambda context, payload: None)
    queue.enqueue("charge", "j1")
    with pytest.raises(InjectedCrash):
        queue.commit(queue.claim("w1", "j1"), CHARGE, complete=True)
    # The charge is in the file; the store rolled back, so the ledger never heard of it.
    assert (queue.inspect().world, queue.inspect().effects) == ({"j1": 1}, {})
    clock.advance(10)
    queue.commit(queue.claim("w2", "j1"), CHARGE, complete=True)
    snapshot = queue.inspect()
    assert (snapshot.world, snapshot.effects) == ({"j1": 2}, {"j1": 1})
    assert [str(v) for v in check(snapshot)] == [
        "EffectsMatchRecords at j1: 2 effects stand in the world, 1 on record"
    ]
