"""fm007 as a story: a worker dies between its charge and the record of it, and the retry charges again.

Run it: ``python -m failure_modes.fm007_partial_write.scenario``
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from failure_lab.python_impl import Fault, FaultPoint, Guards, InjectedCrash
from failure_lab.python_impl.faults import crash
from failure_modes.stage import Scenario, Stage, manifest

LEASE = 30
CHARGE = {"charge": 100}


def dies_after_its_effect(s: Stage, worker: str, data: Mapping[str, Any]) -> None:
    """The partial write: ``worker``'s charge lands, and the process dies before the record commits."""
    attempt = s.held.pop(worker)
    s.queue.faults.arm(Fault(FaultPoint.AFTER_EFFECT, crash, job_key=attempt.job_key, epoch=attempt.epoch))
    try:
        s.queue.commit(attempt, data, complete=True)
    except InjectedCrash:
        s.queue.abandon(worker)
        s.say(
            f"t={s.clock.now()}  {worker}'s charge of {attempt.job_key} lands (attempt {attempt.epoch});"
            f" {worker} dies before the transaction that records it commits"
        )
        return
    raise AssertionError(f"{worker} was to die after its effect, and committed instead")


def lease_runs_out(s: Stage, job: str) -> None:
    """The dead worker's lease on ``job`` runs out, and the reaper makes the job runnable again."""
    s.clock.advance(max(0, s.queue.inspect().lease_until(job) - s.clock.now()))
    s.queue.release_expired()
    s.say(f"t={s.clock.now()}  {job}'s lease runs out; the reaper makes it {s.queue.job(job).status} again")


def commits(s: Stage, worker: str, data: Mapping[str, Any]) -> None:
    """``Commit(w)``: the boundary applies the effect, or finds it landed and records it; the job is done."""
    attempt = s.held.pop(worker)
    committed = s.queue.commit(attempt, data, complete=True)
    did = {
        "applied": f"applies {dict(data)} and records it",
        "reconciled": "finds the charge already landed and records it, applying nothing",
    }[committed.how]
    s.say(
        f"t={s.clock.now()}  Commit({worker}) of {attempt.job_key} with epoch {attempt.epoch}:"
        f" the boundary {did}"
    )


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Claim(w1, j1), CrashAfterEffect(w1), ExpireLease(j1), Claim(w1, j1),
    Commit(w1)."""
    s = Stage.open(guards, jobs=("j1", "j2"), lease_ttl=LEASE)
    s.claim("w1", "j1")  # attempt 1
    dies_after_its_effect(s, "w1", CHARGE)  # the customer is charged; the ledger never hears of it
    lease_runs_out(s, "j1")
    s.claim("w1", "j1")  # w1 restarted under its name; at-least-once: attempt 2
    commits(s, "w1", CHARGE)  # the step the guard changes: the boundary asks whether the charge landed
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the reconciliation; compensate the charge that no record accounts for."""
    s.deploy_fix()
    s.recover()


SCENARIO = Scenario(manifest("fm007_partial_write"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
