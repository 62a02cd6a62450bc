---- MODULE Cycle ----
\* A counter that cycles 0,1,2,0,... so liveness fails with a lasso or by stuttering.
EXTENDS Naturals
VARIABLES x, seen
Init == x = 0 /\ seen = {}
Next == x' = (x + 1) % 3 /\ seen' = seen \cup {x}
Fair == Init /\ [][Next]_<<x, seen>> /\ WF_<<x, seen>>(Next)
Unfair == Init /\ [][Next]_<<x, seen>>
ReachesThree == <>(x = 3)
ReachesOne == <>(x = 1)
====
