"""fm002 recovered: the retry's charge is compensated and every protected invariant holds again."""

from failure_lab.python_impl import check
from failure_lab.python_impl.recovery import RECOVERY_WORKER
from failure_modes.fm002_idempotency_boundary.scenario import SCENARIO


def test_compensation_refunds_the_retry_and_restores_every_invariant() -> None:
    stage = SCENARIO.bug()
    assert stage.violations()
    SCENARIO.restore(stage)
    assert check(stage.queue.inspect()) == ()
    refunds = [e for e in stage.effects.effects if e.worker == RECOVERY_WORKER]
    assert [(refund.job_key, refund.data["by"]) for refund in refunds] == [("j1", "w2")]
    assert [(entry.job_key, entry.epoch) for entry in stage.queue.store.ledger()] == [("j1", 1)]
