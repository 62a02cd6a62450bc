---- MODULE Grid ----
\* Three counters, each raised by its own action up to N: a small graph with labelled edges to dump.
EXTENDS Naturals
CONSTANT N
VARIABLES a, b, c, last
Init == a = 0 /\ b = 0 /\ c = 0 /\ last = "none"
IncA == a < N /\ a' = a + 1 /\ last' = "a" /\ UNCHANGED <<b, c>>
IncB == b < N /\ b' = b + 1 /\ last' = "b" /\ UNCHANGED <<a, c>>
IncC == c < N /\ c' = c + 1 /\ last' = "c" /\ UNCHANGED <<a, b>>
Next == IncA \/ IncB \/ IncC
====
