"""a09_missing_materialization as a story: the scanner was down while work fell due, and never catches up.

Run it: ``python -m failure_modes.a09_missing_materialization.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

RUNS = {"r1": 1, "r2": 2}


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Tick, Tick, Tick, AdvanceCheckpoint, the scanner looking at slot 3 only."""
    s = Stage.open(guards, runs=RUNS)
    s.tick("r1 falls due; the scanner is down")
    s.tick("r2 falls due; the scanner is still down")
    s.tick("the scanner comes back")
    s.advance_checkpoint()  # nothing due in the current slot, so it records the schedule as consumed
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the catch-up window, and materialise what the checkpoint passed while still scheduled."""
    s.deploy_fix()
    s.recover()


SCENARIO = Scenario(manifest("a09_missing_materialization"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
