------------------------------ MODULE MCPoison ------------------------------
(* The bounded model of Poison that TLC checks: two workers, three jobs   *)
(* (a poison among them is one whose deliveries all fail), a budget of two *)
(* deliveries, and a horizon of three so a missing budget shows a third.   *)
EXTENDS Poison, TLC

CONSTANTS w1, w2, j1, j2, j3

MCWorkers == {w1, w2}
MCJobs == {j1, j2, j3}
=============================================================================
