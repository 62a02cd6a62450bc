"""a09_missing_materialization reproduced: the checkpoint passes runs that are still scheduled."""

from failure_modes.a09_missing_materialization.scenario import SCENARIO


def test_without_catch_up_the_checkpoint_passes_overdue_runs() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    snapshot = stage.queue.inspect()
    assert (snapshot.checkpoint, snapshot.scheduled) == (3, frozenset({"r1", "r2"}))


def test_without_catch_up_no_later_pass_ever_materialises_them() -> None:
    stage = SCENARIO.bug()
    stage.queue.scan_pass()
    assert {stage.queue.inspect().unit(run) for run in ("r1", "r2")} == {"none"}
