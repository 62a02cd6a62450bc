"""a09_duplicate_materialization as a story: a run is made runnable but stays outstanding in the schedule.

Run it: ``python -m failure_modes.a09_duplicate_materialization.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

RUNS = {"r1": 1, "r2": 2}


def play(guards: Guards) -> Stage:
    """TLC's counterexample, Tick, Scan(r1), Materialize(r1), then the next pass writes r1 again."""
    s = Stage.open(guards, runs=RUNS)
    s.tick("r1 falls due")
    s.scan("r1")  # taking r1 must take it out of the schedule
    s.materialize("r1")
    s.report()
    s.scan("r1")  # the next pass: r1 still looks outstanding
    s.materialize("r1")  # and its unit is written a second time
    return s


def restore(s: Stage) -> None:
    """Deploy the guard, take every materialised run out of the schedule."""
    s.deploy_fix()
    s.recover()
    s.scan("r1")  # the next pass finds nothing to write again


SCENARIO = Scenario(manifest("a09_duplicate_materialization"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
