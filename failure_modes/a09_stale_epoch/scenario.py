"""a09_stale_epoch as a story: a zombie worker completes a run that was reclaimed from it.

Run it: ``python -m failure_modes.a09_stale_epoch.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

RUNS = {"r1": 1, "r2": 2}


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Tick, Scan(r1), Materialize(r1), Claim(w1, r1), Tick, Claim(w2, r1),
    Complete(w1)."""
    s = Stage.open(guards, runs=RUNS)
    s.tick("r1 falls due")
    s.scan("r1")
    s.materialize("r1")  # r1 is runnable, durably
    s.claim("w1", "r1")  # w1 claims r1 under a one-tick lease: epoch 1
    s.tick("w1 stalls (a GC pause, a slow disk); its lease runs out")
    s.claim("w2", "r1")  # the store reclaims r1 for w2: epoch 2
    s.complete("w1")  # the zombie w1 reports done with epoch 1: the step the fence refuses
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the fence, undo the stale completion, and let the current attempt finish the run."""
    s.deploy_fix()
    s.recover()
    s.complete("w2")


SCENARIO = Scenario(manifest("a09_stale_epoch"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
