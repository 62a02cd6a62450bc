"""a09_checkpoint_advance recovered: reconciliation writes the run the crash lost."""

from failure_lab.python_impl import check
from failure_modes.a09_checkpoint_advance.scenario import SCENARIO


def test_reconciliation_writes_the_lost_run_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    snapshot = stage.queue.inspect()
    assert check(snapshot) == ()
    assert snapshot.unit("r1") == "runnable"
    assert stage.queue.store.lost_runs() == []
