"""fm004 recovered: the over-budget job is dead-lettered, the operator re-enqueues it, and it completes."""

from failure_lab.python_impl import check
from failure_lab.python_impl.recovery import dead_letter_over_budget
from failure_modes.fm004_retry_amplification.scenario import SCENARIO


def test_dead_letter_stops_the_retries_until_an_operator_reenqueues() -> None:
    stage = SCENARIO.bug()
    stage.deploy_fix()
    assert dead_letter_over_budget(stage.queue).job_keys == ("j1",)
    [dead] = stage.queue.dead_letters()
    assert dead.dead_reason == "retried 3 times, past its budget of 2"
    assert not stage.claim("w1", "j1")


def test_dead_letter_then_operator_reenqueue_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    assert check(stage.queue.inspect()) == ()
    record = stage.queue.job("j1")
    assert (record.status, record.attempts_used, record.effects) == ("completed", 1, 1)
