"""fm003 prevented: an expired claim is claimable again, so a live worker finishes the job."""

from failure_modes.fm003_stuck_queue.scenario import SCENARIO


def test_the_expired_claim_is_reclaimed_and_every_claimed_job_finishes() -> None:
    stage = SCENARIO.guarded()
    assert stage.unfinished() == frozenset()
    assert stage.violations() == ()
    snapshot = stage.queue.inspect()
    assert (snapshot.unit("j1"), snapshot.completed_epoch("j1")) == ("completed", 2)
    assert stage.effects.per_key() == {"j1": 1, "j2": 1}
