"""a09_duplicate_materialization prevented: taking r1 takes it out of the schedule."""

from failure_modes.a09_duplicate_materialization.scenario import SCENARIO


def test_a_taken_run_leaves_the_schedule_so_the_rescan_is_refused() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert stage.refusals[0].guard == SCENARIO.guard
    assert stage.queue.inspect().units["r1"].materializations == 1
