"""a09_duplicate_claim prevented: the conditional write refuses the second claim."""

from failure_modes.a09_duplicate_claim.scenario import SCENARIO


def test_the_exclusive_claim_refuses_the_second_worker_and_every_invariant_holds() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert [refusal.guard for refusal in stage.refusals] == [SCENARIO.guard]
    assert stage.queue.inspect().claimers("r1") == {"w1"}
