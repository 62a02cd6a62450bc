---- MODULE Assume ----
\* An assumption TLC refutes before exploring anything.
EXTENDS Naturals
CONSTANT Limit
VARIABLE x
ASSUME Limit > 5
Init == x = 0
Next == x' = x
====
