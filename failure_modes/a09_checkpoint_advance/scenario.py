"""a09_checkpoint_advance as a story: progress is recorded before the output, and a crash loses a run.

Run it: ``python -m failure_modes.a09_checkpoint_advance.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

RUNS = {"r1": 1, "r2": 2}


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Tick, Scan(r1), AdvanceCheckpoint, with r1 not yet written durably."""
    s = Stage.open(guards, runs=RUNS)
    s.tick("r1 falls due")
    s.scan("r1")  # r1 is taken, in the scanner's memory only
    s.advance_checkpoint()  # progress marker first, output second: the wrong order
    s.report()
    return s


def restore(s: Stage) -> None:
    """The crash the bug is waiting for, then the fix and a reconciliation that writes the lost run."""
    s.crash_scanner()
    lost = s.queue.store.lost_runs()
    s.say(f"t={s.clock.now()}  lost: {', '.join(lost) or 'nothing'} (no unit, no longer in the schedule)")
    s.deploy_fix()
    s.recover()


SCENARIO = Scenario(manifest("a09_checkpoint_advance"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
