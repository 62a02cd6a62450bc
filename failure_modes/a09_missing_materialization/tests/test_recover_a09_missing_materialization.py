"""a09_missing_materialization recovered: the runs the checkpoint passed are materialised now."""

from failure_lab.python_impl import check
from failure_modes.a09_missing_materialization.scenario import SCENARIO


def test_catch_up_materialises_the_overdue_runs_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    snapshot = stage.queue.inspect()
    assert check(snapshot) == ()
    assert {snapshot.unit(run) for run in ("r1", "r2")} == {"runnable"}
