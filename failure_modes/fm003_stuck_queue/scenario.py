"""fm003 as a story: a worker dies holding a lease, and nothing ever reclaims its job.

Run it: ``python -m failure_modes.fm003_stuck_queue.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

CHARGE = {"charge": 100}


def play(guards: Guards) -> Stage:
    """The lasso's point in few steps: a claim, a crash, the lease runs out, and the live worker drains."""
    s = Stage.open(guards, jobs=("j1", "j2"))
    s.claim("w1", "j1")
    s.crash("w1")  # OOM-killed mid-handler: nobody knows whether its effect landed
    s.tick("j1's lease runs out")
    while s.work("w2", CHARGE):  # the live worker drains the queue; fairness owes it nothing more
        pass
    s.say(f"t={s.clock.now()}  claimed but never finished: {', '.join(sorted(s.unfinished())) or 'nothing'}")
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the reclaim, release the expired claim, and let a live worker finish the job."""
    s.deploy_fix()
    s.recover()
    while s.work("w2", CHARGE):
        pass


SCENARIO = Scenario(manifest("fm003_stuck_queue"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
