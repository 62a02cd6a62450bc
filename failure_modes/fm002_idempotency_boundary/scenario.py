"""fm002 as a story: a retry charges again because the ledger is asked by attempt, not by job.

Run it: ``python -m failure_modes.fm002_idempotency_boundary.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

CHARGE = {"charge": 100}


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Claim(w1, j1), Apply(w1), ExpireLease(j1), Claim(w2, j1), Apply(w2)."""
    s = Stage.open(guards, jobs=("j1", "j2"))
    s.claim("w1", "j1")  # attempt 1
    s.apply("w1", CHARGE)  # the charge lands and is recorded
    s.tick("w1 stalls before it reports; its lease on j1 runs out")
    s.claim("w2", "j1")  # at-least-once: j1 is retried, attempt 2, and the fence rightly lets it commit
    s.apply("w2", CHARGE)  # the boundary asks its key whether the charge already landed
    s.complete("w2")
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the stable key, then compensate: the first charge stands, the retry's is refunded."""
    s.deploy_fix()
    s.recover()


SCENARIO = Scenario(manifest("fm002_idempotency_boundary"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
