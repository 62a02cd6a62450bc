"""a09_early_release prevented: the scan checks the authoritative clock, not the timer."""

from failure_modes.a09_early_release.scenario import SCENARIO


def test_the_due_boundary_refuses_the_early_scan_and_every_invariant_holds() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert stage.refusals[0].guard == SCENARIO.guard
    assert stage.queue.inspect().unit("r1") == "none"
