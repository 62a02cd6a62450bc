"""a09_duplicate_claim as a story: a second worker attaches itself to a unit the first still holds.

Run it: ``python -m failure_modes.a09_duplicate_claim.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

RUNS = {"r1": 1, "r2": 2}


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Tick, Scan(r1), Materialize(r1), Claim(w1, r1), Claim(w2, r1)."""
    s = Stage.open(guards, runs=RUNS)
    s.tick("r1 falls due")
    s.scan("r1")
    s.materialize("r1")
    s.claim("w1", "r1")  # w1 holds r1, its lease is live
    s.claim("w2", "r1")  # w2 asks for the same unit: the conditional write must say no
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the exclusive claim, revoke every claimer but the current epoch's, and finish the run."""
    s.deploy_fix()
    s.recover()
    s.complete("w2")  # the current epoch's holder completes
    s.complete("w1")  # the revoked one is told it no longer holds an attempt


SCENARIO = Scenario(manifest("a09_duplicate_claim"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
