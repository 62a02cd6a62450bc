---- MODULE Stop ----
\* Counts to two and then has no step left: a deadlock.
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\ y = "idle"
Next == x < 2 /\ x' = x + 1 /\ y' = "busy"
\* Adds a string to a number once y is "busy": evaluating it fails.
BadInvariant == y = "idle" \/ y + 1 > 0
====
