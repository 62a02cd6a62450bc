"""a09_stale_epoch prevented: the fence refuses the completion from epoch 1."""

from failure_modes.a09_stale_epoch.scenario import SCENARIO


def test_the_fence_refuses_the_stale_completion_and_every_invariant_holds() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert [refusal.guard for refusal in stage.refusals] == [SCENARIO.guard]
    assert stage.queue.inspect().unit("r1") == "claimed"
