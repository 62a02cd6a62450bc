"""FM_001 as a story: a lease expires under a slow worker, the job is leased again, and both charge.

Run it: ``python -m failure_modes.fm001_lease_expiry_duplicate.scenario``
"""

from __future__ import annotations

from failure_lab.python_impl import Guards
from failure_modes.stage import Scenario, Stage, manifest

CHARGE = {"charge": 100}


def play(guards: Guards) -> Stage:
    """TLC's counterexample in the runtime: Lease(w1, j1), Tick, Lease(w2, j1), Commit(w1), Commit(w2)."""
    s = Stage.open(guards, jobs=("j1", "j2"))
    s.claim("w1", "j1")  # w1 leases j1 for one tick: epoch 1
    s.tick("w1 is slow; its lease on j1 runs out")
    s.claim("w2", "j1")  # the queue rightly hands j1 to w2: epoch 2 (w1 may be dead)
    s.commit("w1", CHARGE)  # w1 was not dead, only slow: it charges with epoch 1
    s.commit("w2", CHARGE)  # w2 charges too
    s.report()
    return s


def restore(s: Stage) -> None:
    """Deploy the commit boundary, then compensate: the first charge stands, the second is refunded."""
    s.deploy_fix()
    s.recover()


SCENARIO = Scenario(manifest("fm001_lease_expiry_duplicate"), play, restore)

if __name__ == "__main__":
    SCENARIO.main()
