------------------------------- MODULE MCJobs -------------------------------
(* The bounded model of Jobs that TLC checks: two workers, two jobs, a     *)
(* budget of two attempts, and a horizon of three so a missing budget shows.*)
EXTENDS Jobs, TLC

CONSTANTS w1, w2, j1, j2

MCWorkers == {w1, w2}
MCJobs == {j1, j2}
=============================================================================
