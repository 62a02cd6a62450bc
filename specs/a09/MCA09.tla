------------------------------- MODULE MCA09 -------------------------------
(* The bounded model of A09 that TLC checks: two workers, two runs due at  *)
(* different times, two attempts per run, a one-tick lease.                *)
EXTENDS A09, TLC

CONSTANTS w1, w2, r1, r2

MCWorkers == {w1, w2}
MCRuns == {r1, r2}
MCDueAt == (r1 :> 1 @@ r2 :> 2)
=============================================================================
