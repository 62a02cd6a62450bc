"""fm003 recovered: the expired claim is released, a live worker finishes it, every invariant holds."""

from failure_lab.python_impl import check
from failure_modes.fm003_stuck_queue.scenario import SCENARIO


def test_reclaim_releases_the_stuck_job_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.unfinished() == {"j1"}
    SCENARIO.restore(stage)
    assert check(stage.queue.inspect()) == ()
    assert stage.unfinished() == frozenset()
    assert stage.queue.job("j1").status == "completed"
