"""fm006 prevented: every delivery spends the budget, so the last one's expired lease dead-letters the job."""

from failure_lab.python_impl.errors import NotClaimable
from failure_modes.fm006_poison_message.scenario import BUDGET, SCENARIO


def test_the_expired_last_delivery_dead_letters_the_poison_with_its_reason() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    [dead] = stage.queue.dead_letters()
    assert (dead.job_key, dead.attempts_used) == ("j1", BUDGET)
    assert dead.dead_reason == f"lease expired on attempt {BUDGET} of {BUDGET}"
    assert stage.queue.job("j2").status == "completed"


def test_no_worker_is_handed_the_dead_letter() -> None:
    stage = SCENARIO.guarded()
    assert stage.queue.claim_next("w1") is None
    assert not stage.claim("w1", "j1")
    assert [type(refusal) for refusal in stage.refusals] == [NotClaimable]
