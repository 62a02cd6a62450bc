"""fm006 recovered: the poison is dead-lettered, the operator re-enqueues it once its handler is fixed."""

from failure_lab.python_impl import check
from failure_lab.python_impl.recovery import dead_letter_poison
from failure_modes.fm006_poison_message.scenario import BUDGET, SCENARIO


def test_the_poison_past_its_budget_is_dead_lettered_and_handed_out_no_more() -> None:
    stage = SCENARIO.bug()
    stage.deploy_fix()
    repair = dead_letter_poison(stage.queue)
    assert (repair.invariant, repair.job_keys) == (SCENARIO.fm.invariant, ("j1",))
    [dead] = stage.queue.dead_letters()
    assert dead.dead_reason == f"retried {BUDGET} times, past its budget of {BUDGET}"
    assert stage.queue.claim_next("w1") is None
    assert dead_letter_poison(stage.queue).job_keys == ()


def test_dead_letter_then_operator_reenqueue_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    assert check(stage.queue.inspect()) == ()
    record = stage.queue.job("j1")
    assert (record.status, record.attempts_used, record.effects) == ("completed", 1, 1)
