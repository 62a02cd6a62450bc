"""fm004 prevented: the budget dead-letters the job, with its reason, and nothing retries it."""

from failure_lab.python_impl.errors import NotClaimable
from failure_modes.fm004_retry_amplification.scenario import BUDGET, ERROR, SCENARIO


def test_the_budget_dead_letters_the_job_with_a_reason_and_every_invariant_holds() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    [dead] = stage.queue.dead_letters()
    assert (dead.job_key, dead.attempts_used) == ("j1", BUDGET)
    assert dead.dead_reason == f"failed on attempt {BUDGET} of {BUDGET}: {ERROR}"
    # Nothing retried after dead-lettering: the next claim is refused.
    assert [type(refusal) for refusal in stage.refusals] == [NotClaimable]
