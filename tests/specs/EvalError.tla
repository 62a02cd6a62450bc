---------------------------- MODULE EvalError ----------------------------
\* Indexes a sequence past its end on the second step: the evaluation-error case.
EXTENDS Naturals, Sequences

VARIABLE i

Init == i = 1
Next == i' = i + 1 /\ <<10, 20>>[i'] > 0
=============================================================================
