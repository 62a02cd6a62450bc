"""FM_001 reproduced in Python alone: without the commit boundary a reclaimed job is charged twice."""

from failure_modes.fm001_lease_expiry_duplicate.scenario import SCENARIO


def test_without_the_commit_boundary_both_workers_charge_and_only_inv_001_breaks() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    assert [effect.worker for effect in stage.effects.effects if effect.job_key == "j1"] == ["w1", "w2"]
    assert not stage.refusals
