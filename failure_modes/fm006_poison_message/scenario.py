"""fm006 as a story: a poison message kills the worker that runs it, and is handed out again and again.

Run it: ``python -m failure_modes.fm006_poison_message.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards, RetryPolicy
from failure_modes.stage import Scenario, Stage, manifest

BUDGET = 2
LEASE = 30
ERROR = "TimeoutError: the 2 GB upload did not decode within 30 s"
THUMBNAIL = {"thumbnail": "256x256"}


def lease_runs_out(s: Stage, job: str) -> None:
    """The dead worker's lease on ``job`` runs out, and the reaper takes the job back."""
    s.clock.advance(max(0, s.queue.inspect().lease_until(job) - s.clock.now()))
    s.queue.release_expired()
    record = s.queue.job(job)
    taken = f"dead-lettered: {record.dead_reason}" if record.status == "dead" else f"{record.status} again"
    s.say(f"t={s.clock.now()}  {job}'s lease runs out; the reaper takes it back: {taken}")


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Claim(w1, j1), Fail(w1), Claim(w1, j1), Crash(w1), ExpireLease(j1)."""
    s = Stage.open(
        guards,
        jobs=("j1", "j2"),
        lease_ttl=LEASE,
        retry=RetryPolicy(max_attempts=BUDGET, base_backoff=1, jitter=0.0),
    )
    s.say("t=0  j1 is a thumbnail of a 2 GB upload: its handler cannot survive it")
    s.claim("w1", "j1")  # delivery 1
    s.fail("w1", ERROR)  # reported: the budget counts this one
    s.wait("j1")
    s.claim("w1", "j1")  # delivery 2, the last of the budget
    s.crash("w1")  # the OOM killer: w1 dies and reports nothing
    s.work("w2", THUMBNAIL)  # meanwhile the queue goes on: the other jobs are claimed
    lease_runs_out(s, "j1")  # the step the guard changes: the last delivery's lease ran out
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the budget, dead-letter the poison; the operator fixes the handler and re-enqueues it."""
    s.deploy_fix()
    s.recover()
    s.claim("w2", "j1")  # a dead letter is not handed out: no more workers die on it
    s.say(
        f"t={s.clock.now()}  the operator reads the dead letter, makes the handler stream the upload,"
        " and re-enqueues j1"
    )
    s.queue.requeue("j1")
    s.claim("w2", "j1")
    s.apply("w2", THUMBNAIL)
    s.complete("w2")


SCENARIO = Scenario(manifest("fm006_poison_message"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
