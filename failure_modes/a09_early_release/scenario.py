"""a09_early_release as a story: the timer fires a tick early and the scanner trusts it.

Run it: ``python -m failure_modes.a09_early_release.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

RUNS = {"r1": 1, "r2": 2}


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Scan(r1), Materialize(r1), both at time 0, though r1 is due at 1."""
    s = Stage.open(guards, runs=RUNS)
    s.say("t=0  the timer fires a tick early; the scanner wakes up")
    s.scan("r1")  # the release must still check the authoritative clock
    s.materialize("r1")
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the due boundary, take the early unit back into the schedule, release it when due."""
    s.deploy_fix()
    s.recover()
    s.report()
    s.tick("r1 falls due for real")
    s.scan("r1")
    s.materialize("r1")


SCENARIO = Scenario(manifest("a09_early_release"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
