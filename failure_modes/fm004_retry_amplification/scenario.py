"""fm004 as a story: a handler that keeps failing is retried without bound.

Run it: ``python -m failure_modes.fm004_retry_amplification.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards, RetryPolicy
from failure_modes.stage import Scenario, Stage, manifest

BUDGET = 2
ERROR = "card processor answers 503"


def play(guards: Guards) -> Stage:
    """TLC's counterexample, one worker: Claim, Fail, Claim, Fail, Claim, against a budget of two."""
    s = Stage.open(
        guards,
        jobs=("j1",),
        lease_ttl=100,
        retry=RetryPolicy(max_attempts=BUDGET, base_backoff=1, jitter=0.0),
    )
    for _ in range(BUDGET + 1):
        if s.claim("w1", "j1"):  # every retry is one more call to a provider that is already down
            s.fail("w1", ERROR)
            s.wait("j1")
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the budget, dead-letter what ran past it; the operator fixes the cause and re-enqueues."""
    s.deploy_fix()
    s.recover()
    s.claim("w1", "j1")  # the storm is over: a dead letter is not claimable
    s.say(f"t={s.clock.now()}  the operator reads the dead letter, waits for the provider, re-enqueues j1")
    s.queue.requeue("j1")
    s.claim("w1", "j1")
    s.apply("w1", {"charge": 100})
    s.complete("w1")


SCENARIO = Scenario(manifest("fm004_retry_amplification"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
