---------------------------- MODULE Hungry ----------------------------
\* Builds a function of 900,000 tuples in its initial state: with a small heap, TLC runs out of memory.
EXTENDS Naturals

VARIABLE s

Init == s = [n \in 1..900000 |-> <<n, n, n, n>>]
Next == UNCHANGED s
=============================================================================
