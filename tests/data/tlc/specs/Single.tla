---- MODULE Single ----
\* One variable whose initial state already breaks the invariant.
EXTENDS Naturals
VARIABLE x
Init == x = 1..3
Next == UNCHANGED x
Empty == x = {}
====
