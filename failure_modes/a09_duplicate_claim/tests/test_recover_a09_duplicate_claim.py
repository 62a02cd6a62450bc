"""a09_duplicate_claim recovered: every claimer but the current epoch's is revoked."""

from failure_lab.python_impl import check
from failure_lab.python_impl.errors import NoSuchAttempt
from failure_modes.a09_duplicate_claim.scenario import SCENARIO


def test_reclaim_keeps_the_current_claimer_refuses_the_other_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    snapshot = stage.queue.inspect()
    assert check(snapshot) == ()
    assert (snapshot.unit("r1"), snapshot.completed_epoch("r1")) == ("completed", 2)
    assert [type(refusal) for refusal in stage.refusals] == [NoSuchAttempt]
