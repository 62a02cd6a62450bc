"""a09_duplicate_materialization reproduced: r1 stays outstanding and the next pass writes it again."""

from failure_modes.a09_duplicate_materialization.scenario import SCENARIO


def test_without_unscheduling_the_run_is_materialised_twice() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    assert stage.queue.inspect().units["r1"].materializations == 2
