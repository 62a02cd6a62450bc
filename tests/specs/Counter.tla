---------------------------- MODULE Counter ----------------------------
\* A counter that climbs to a bound; the runner's happy path: TLC finds no error.
EXTENDS Naturals, CounterBounds

VARIABLE x

Init == x = 0

\* One step up, until the bound; at the bound the counter rests (no deadlock).
Up == x < Limit /\ x' = x + 1
Rest == x = Limit /\ UNCHANGED x

Next == Up \/ Rest

Spec == Init /\ [][Next]_x

TypeOK == x \in 0..Limit

\* Deliberately false once x reaches 3: the invariant-violation case.
BelowThree == x < 3
=============================================================================
