"""fm003 reproduced: without reclaim, a job whose worker died stays claimed however long workers work."""

from failure_lab.python_impl.errors import NotClaimable
from failure_modes.fm003_stuck_queue.scenario import SCENARIO


def test_without_reclaim_the_dead_workers_job_is_never_finished() -> None:
    stage = SCENARIO.bug()
    assert stage.unfinished() == {"j1"}
    assert stage.queue.claim_next("w2") is None
    # A liveness failure: no state is bad, so no safety invariant breaks; the job just never moves.
    assert stage.violations() == ()


def test_without_reclaim_a_direct_claim_of_the_expired_job_is_refused_by_that_missing_guard() -> None:
    stage = SCENARIO.bug()
    assert not stage.claim("w2", "j1")
    refusal = stage.refusals[-1]
    assert isinstance(refusal, NotClaimable) and refusal.guard == SCENARIO.guard
