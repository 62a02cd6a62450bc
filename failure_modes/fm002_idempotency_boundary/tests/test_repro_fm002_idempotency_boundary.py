"""fm002 reproduced: keyed by attempt, the ledger lets a retry charge again (INV_001, a new cause)."""

from failure_modes.fm002_idempotency_boundary.scenario import SCENARIO


def test_keyed_by_attempt_the_retry_charges_again_and_only_inv_001_breaks() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    assert [(e.worker, e.attempt) for e in stage.effects.effects] == [("w1", 1), ("w2", 2)]
    # Not FM_001's cause: the epoch fence is on and both attempts committed while they were current.
    assert not stage.refusals
