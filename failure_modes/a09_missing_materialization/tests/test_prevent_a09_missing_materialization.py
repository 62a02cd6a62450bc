"""a09_missing_materialization prevented: the window starts at the checkpoint, so overdue runs hold it."""

from failure_modes.a09_missing_materialization.scenario import SCENARIO


def test_catch_up_refuses_to_pass_overdue_runs_and_the_next_pass_materialises_them() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert [refusal.guard for refusal in stage.refusals] == [SCENARIO.guard]
    stage.queue.scan_pass()
    assert {stage.queue.inspect().unit(run) for run in ("r1", "r2")} == {"runnable"}
