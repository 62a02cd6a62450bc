"""a09_stale_epoch reproduced: without the epoch fence a zombie's completion is accepted."""

from failure_modes.a09_stale_epoch.scenario import SCENARIO


def test_without_the_fence_the_zombie_completes_the_reclaimed_run() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    run = stage.queue.inspect().units["r1"]
    assert (run.status, run.completed_epoch, run.epoch) == ("completed", 1, 2)
