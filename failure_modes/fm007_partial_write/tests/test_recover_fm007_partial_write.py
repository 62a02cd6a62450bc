"""fm007 recovered: the charge no record accounts for is refunded, and every protected invariant holds."""

from failure_lab.python_impl import check
from failure_lab.python_impl.recovery import RECOVERY_WORKER, compensate_unrecorded
from failure_modes.fm007_partial_write.scenario import SCENARIO


def test_compensation_refunds_the_unrecorded_charge_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    assert check(stage.queue.inspect()) == ()
    refunds = [e for e in stage.effects.effects if e.worker == RECOVERY_WORKER]
    assert [(refund.job_key, refund.data["compensates"]) for refund in refunds] == [("j1", "unrecorded")]
    assert stage.queue.inspect().world == {"j1": 1}
    assert [(entry.job_key, entry.epoch) for entry in stage.queue.store.ledger()] == [("j1", 2)]


def test_compensation_has_nothing_to_do_once_the_world_matches_the_ledger() -> None:
    stage = SCENARIO.guarded()
    assert compensate_unrecorded(stage.queue).job_keys == ()
    assert [e.worker for e in stage.effects.effects] == ["w1"]
