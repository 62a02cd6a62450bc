"""a09_duplicate_claim reproduced: without the exclusive claim two workers hold one unit."""

from failure_modes.a09_duplicate_claim.scenario import SCENARIO


def test_without_the_exclusive_claim_two_workers_hold_the_unit() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    assert stage.queue.inspect().claimers("r1") == {"w1", "w2"}
