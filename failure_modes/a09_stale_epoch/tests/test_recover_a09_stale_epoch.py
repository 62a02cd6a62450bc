"""a09_stale_epoch recovered: the stale completion is undone and the current attempt completes the run."""

from failure_lab.python_impl import check
from failure_modes.a09_stale_epoch.scenario import SCENARIO


def test_reconciliation_lets_the_current_epoch_complete_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    snapshot = stage.queue.inspect()
    assert check(snapshot) == ()
    run = snapshot.units["r1"]
    assert (run.status, run.completed_epoch, run.epoch) == ("completed", 2, 2)
