"""a09_checkpoint_advance reproduced: the checkpoint passes r1 before it is durable, and a crash loses it."""

from failure_modes.a09_checkpoint_advance.scenario import SCENARIO


def test_without_durable_first_the_checkpoint_passes_a_taken_run() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}


def test_a_crash_after_the_early_checkpoint_loses_the_run() -> None:
    stage = SCENARIO.bug()
    stage.crash_scanner()
    snapshot = stage.queue.inspect()
    assert (snapshot.unit("r1"), "r1" in snapshot.scheduled, "r1" in snapshot.taken) == ("none", False, False)
    assert stage.queue.store.lost_runs() == ["r1"]
