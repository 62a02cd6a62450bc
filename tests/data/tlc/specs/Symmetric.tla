---- MODULE Symmetric ----
\* Symmetry with a liveness property: TLC warns, then finds no error.
EXTENDS Naturals, TLC
CONSTANT P
VARIABLE holder
Perms == Permutations(P)
Init == holder \in P
Next == holder' \in P
Live == <>(holder = holder)
Ok == TRUE
====
