"""fm004 reproduced: without a budget a failing job is retried past it and never dead-lettered."""

from failure_modes.fm004_retry_amplification.scenario import BUDGET, SCENARIO


def test_without_a_budget_the_failing_job_is_retried_past_it() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    record = stage.queue.job("j1")
    assert (record.status, record.attempts_used) == ("runnable", BUDGET + 1)
    assert stage.queue.dead_letters() == []
