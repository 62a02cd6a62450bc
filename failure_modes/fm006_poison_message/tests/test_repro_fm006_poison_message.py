"""fm006 reproduced: when only reported failures spend the budget, a job that kills its worker comes back."""

from failure_modes.fm006_poison_message.scenario import BUDGET, SCENARIO


def test_a_delivery_lost_with_its_worker_is_not_counted_and_the_poison_is_handed_out_again() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    record = stage.queue.job("j1")
    assert (record.status, record.attempts_used, record.dead_reason) == ("runnable", BUDGET, None)
    assert stage.queue.dead_letters() == []
    # The next worker that asks is handed the poison again, past its budget.
    assert stage.queue.claim_next("w1") is not None
    assert stage.queue.job("j1").attempts_used == BUDGET + 1


def test_the_other_jobs_are_still_claimed_in_this_runtime() -> None:
    stage = SCENARIO.bug()
    assert stage.queue.job("j2").status == "completed"
    assert not stage.refusals
