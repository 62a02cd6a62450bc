---------------------------- MODULE MCA09Symmetric ----------------------------
(* The baseline model with its workers interchangeable: w1 and w2 play the  *)
(* same part, so TLC keeps one state of every pair that differs only by     *)
(* swapping them.  Runs are not symmetric here: their due times differ.     *)
EXTENDS MCA09

WorkerSymmetry == Permutations(MCWorkers)
=============================================================================
