"""fm005 recovered: the job goes back to the attempt that holds it, which completes it."""

from failure_lab.python_impl import check
from failure_modes.fm005_zombie_after_partition.scenario import SCENARIO


def test_reconciliation_returns_the_job_to_its_holder_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    snapshot = stage.queue.inspect()
    assert check(snapshot) == ()
    assert (snapshot.unit("j1"), snapshot.completed_epoch("j1"), snapshot.epoch("j1")) == ("completed", 2, 2)
