"""fm007 prevented: the retry's boundary asks the world, finds the charge, records it, charges nothing."""

from failure_modes.fm007_partial_write.scenario import SCENARIO


def test_the_retry_records_the_charge_it_finds_and_every_invariant_holds() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert [(e.worker, e.attempt) for e in stage.effects.effects] == [("w1", 1)]
    assert [(entry.job_key, entry.epoch) for entry in stage.queue.store.ledger()] == [("j1", 2)]
    assert stage.queue.job("j1").status == "completed"
    assert "finds the charge already landed" in stage.story()
