---------------------------- MODULE Lasso ----------------------------
\* A light that may cycle red -> green -> red forever without ever reaching
\* yellow: the liveness case, whose counterexample is a lasso.
VARIABLE light

Init == light = "red"

Next == \/ light = "red" /\ light' = "green"
        \/ light = "green" /\ light' \in {"red", "yellow"}
        \/ light = "yellow" /\ UNCHANGED light

Spec == Init /\ [][Next]_light /\ WF_light(Next)

EventuallyYellow == <>(light = "yellow")
=============================================================================
