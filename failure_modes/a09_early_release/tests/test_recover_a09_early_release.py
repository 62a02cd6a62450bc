"""a09_early_release recovered: the early unit goes back into the schedule and is released when due."""

from failure_lab.python_impl import check
from failure_modes.a09_early_release.scenario import SCENARIO


def test_retraction_reschedules_the_early_run_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    snapshot = stage.queue.inspect()
    assert check(snapshot) == ()
    unit = snapshot.units["r1"]
    assert (unit.status, unit.materialized_at, unit.due_at) == ("runnable", 1, 1)
