"""a09_duplicate_materialization recovered: materialised runs are taken out of the schedule."""

from failure_lab.python_impl import check
from failure_modes.a09_duplicate_materialization.scenario import SCENARIO


def test_reconciliation_unschedules_the_materialised_run_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    snapshot = stage.queue.inspect()
    assert check(snapshot) == ()
    assert "r1" not in snapshot.scheduled
    assert stage.refusals[-1].guard == SCENARIO.guard
