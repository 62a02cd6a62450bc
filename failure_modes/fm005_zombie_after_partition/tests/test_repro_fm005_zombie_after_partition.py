"""fm005 reproduced: unfenced, a zombie's late failure report puts the job back under its new holder."""

from failure_lab.python_impl.errors import NotClaimable
from failure_modes.fm005_zombie_after_partition.scenario import SCENARIO


def test_unfenced_the_zombies_report_takes_the_job_from_its_holder() -> None:
    stage = SCENARIO.bug()
    assert stage.broken() == {SCENARIO.fm.invariant}
    snapshot = stage.queue.inspect()
    held = snapshot.attempt("w2")
    assert held is not None and (held.epoch, snapshot.epoch("j1"), snapshot.unit("j1")) == (2, 2, "runnable")
    # The holder's work is thrown away: its completion is refused, and j1 will run a third time.
    assert [type(refusal) for refusal in stage.refusals] == [NotClaimable]
