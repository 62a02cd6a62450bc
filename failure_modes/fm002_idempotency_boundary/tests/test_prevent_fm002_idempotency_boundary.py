"""fm002 prevented: the ledger is asked by the job's stable key, so the retry's charge is a duplicate."""

from failure_modes.fm002_idempotency_boundary.scenario import SCENARIO


def test_the_stable_key_finds_the_first_charge_and_every_invariant_holds() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert [refusal.guard for refusal in stage.refusals] == [SCENARIO.guard]
    assert [e.worker for e in stage.effects.effects] == ["w1"]
    assert stage.queue.inspect().unit("j1") == "completed"
