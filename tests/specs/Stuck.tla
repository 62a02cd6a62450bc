---------------------------- MODULE Stuck ----------------------------
\* Counts to two and then has nowhere to go: the deadlock case.
EXTENDS Naturals

VARIABLE x

Init == x = 0
Next == x < 2 /\ x' = x + 1
=============================================================================
