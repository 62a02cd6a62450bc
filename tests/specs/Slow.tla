---------------------------- MODULE Slow ----------------------------
\* Three unbounded counters: TLC never finishes, so a run can only end by timeout.
EXTENDS Naturals

VARIABLES a, b, c

Init == a = 0 /\ b = 0 /\ c = 0
Next == \/ a' = a + 1 /\ UNCHANGED <<b, c>>
        \/ b' = b + 1 /\ UNCHANGED <<a, c>>
        \/ c' = c + 1 /\ UNCHANGED <<a, b>>
=============================================================================
