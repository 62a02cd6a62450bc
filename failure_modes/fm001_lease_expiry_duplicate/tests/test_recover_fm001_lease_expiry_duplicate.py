"""FM_001 recovered: the duplicate charge is compensated, and every protected invariant holds again."""

from failure_lab.python_impl import check
from failure_lab.python_impl.recovery import RECOVERY_WORKER
from failure_modes.fm001_lease_expiry_duplicate.scenario import SCENARIO


def test_compensation_refunds_the_second_charge_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    assert check(stage.queue.inspect()) == ()
    charges = [e for e in stage.effects.effects if e.worker != RECOVERY_WORKER]
    refunds = [e for e in stage.effects.effects if e.worker == RECOVERY_WORKER]
    assert len(charges) - len(refunds) == 1
    assert [refund.data["by"] for refund in refunds] == ["w2"]


def test_recovery_on_a_healthy_queue_changes_nothing() -> None:
    stage = SCENARIO.guarded()
    before = stage.queue.inspect()
    assert stage.recover() == ()
    assert stage.queue.inspect() == before
