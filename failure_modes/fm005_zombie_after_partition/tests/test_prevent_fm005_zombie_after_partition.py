"""fm005 prevented: the failure report is fenced by its epoch like every other write."""

from failure_modes.fm005_zombie_after_partition.scenario import SCENARIO


def test_the_fence_refuses_the_zombies_report_and_the_holder_completes() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert [refusal.guard for refusal in stage.refusals] == [SCENARIO.guard]
    snapshot = stage.queue.inspect()
    assert (snapshot.unit("j1"), snapshot.completed_epoch("j1")) == ("completed", 2)
