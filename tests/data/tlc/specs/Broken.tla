---- MODULE Broken ----
\* Not TLA+: SANY stops at the missing right-hand side.
VARIABLE x
Init == x =
Next == x' = x
====
