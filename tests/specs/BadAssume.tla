---------------------------- MODULE BadAssume ----------------------------
\* An assumption about the constants that the model breaks: the assumption case.
EXTENDS Naturals

CONSTANT N

ASSUME PositiveN == N > 0

VARIABLE x
Init == x = N
Next == UNCHANGED x
=============================================================================
