--------------------------- MODULE MCLeaseExpiry ---------------------------
(* The bounded model of FM_001 that TLC checks: two workers, two jobs, two *)
(* attempts per job, a one-tick lease.                                     *)
EXTENDS LeaseExpiry, TLC

CONSTANTS w1, w2, j1, j2

MCWorkers == {w1, w2}
MCJobs == {j1, j2}
=============================================================================
