"""FM_001 prevented: the commit boundary refuses the stale attempt's charge."""

from failure_modes.fm001_lease_expiry_duplicate.scenario import SCENARIO


def test_the_commit_boundary_refuses_the_stale_charge_and_every_invariant_holds() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert [refusal.guard for refusal in stage.refusals] == [SCENARIO.guard]
    assert [effect.worker for effect in stage.effects.effects] == ["w2"]
