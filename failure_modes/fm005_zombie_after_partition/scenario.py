"""fm005 as a story: a worker cut off by a partition reports late, and its stale write takes the job.

Run it: ``python -m failure_modes.fm005_zombie_after_partition.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

ERROR = "connection reset by peer"


def play(guards: Guards) -> Stage:
    """TLC's counterexample: Claim(w1, j1), ExpireLease(j1), Claim(w2, j1), Fail(w1)."""
    s = Stage.open(guards, jobs=("j1", "j2"))
    s.claim("w1", "j1")  # attempt 1
    s.say("t=0  a partition cuts w1 off from the store; its handler runs on, then fails")
    s.tick("w1's lease runs out: the store cannot tell cut off from dead")
    s.claim("w2", "j1")  # the store rightly reclaims j1: attempt 2
    s.say("t=1  the partition heals; w1 delivers the report it could not send")
    s.fail("w1", ERROR)  # a write from epoch 1: the step the fence refuses
    s.complete("w2")  # the current holder finishes its work
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the fence; give the job back to the attempt that holds it, which then completes it."""
    s.deploy_fix()
    s.recover()
    s.complete("w2")


SCENARIO = Scenario(manifest("fm005_zombie_after_partition"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
