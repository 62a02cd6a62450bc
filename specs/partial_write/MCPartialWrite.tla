--------------------------- MODULE MCPartialWrite ---------------------------
(* The bounded model of PartialWrite that TLC checks: two workers, two     *)
(* jobs, and three deliveries per job, so a partial write can be followed  *)
(* by a second one before a retry records the effect.                      *)
EXTENDS PartialWrite, TLC

CONSTANTS w1, w2, j1, j2

MCWorkers == {w1, w2}
MCJobs == {j1, j2}
=============================================================================
