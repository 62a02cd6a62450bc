"""a09_early_release reproduced: trusting an early timer makes r1 runnable at time 0."""

from failure_modes.a09_early_release.scenario import SCENARIO


def test_without_the_due_boundary_a_run_is_runnable_before_it_is_due() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    snapshot = stage.queue.inspect()
    assert (snapshot.now, snapshot.unit("r1"), snapshot.due_at("r1")) == (0, "runnable", 1)
