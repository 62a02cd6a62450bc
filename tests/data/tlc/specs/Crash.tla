---- MODULE Crash ----
\* Indexes a sequence past its end on the third step: an evaluation error with a partial trace.
EXTENDS Naturals, Sequences
VARIABLES i, v
Init == i = 1 /\ v = "a"
Next == i' = i + 1 /\ v' = <<"a", "b", "c">>[i + 1]
====
