---- MODULE Shapes ----
\* Every value shape TLC prints, reached in a few steps, then an invariant fails.
EXTENDS Integers, Sequences, TLC
CONSTANTS a, b
VARIABLES n, s, q, r, f, m, str, e
vars == <<n, s, q, r, f, m, str, e>>

Init == /\ n = 0
        /\ s = {}
        /\ q = << >>
        /\ r = [name |-> "x", args |-> [w |-> a]]
        /\ f = [x \in {a, b} |-> 0]
        /\ m = a
        /\ str = "plain"
        /\ e = [x \in {} |-> x]

Step == /\ n < 4
        /\ n' = n + 1
        /\ s' = s \cup {n, -n}
        /\ q' = Append(q, <<n, {n}>>)
        /\ r' = [r EXCEPT !.args = [w |-> IF n % 2 = 0 THEN b ELSE a]]
        /\ f' = [f EXCEPT ![a] = n]
        /\ m' = IF m = a THEN b ELSE a
        /\ str' = "q\"uote\\back" 
        /\ e' = IF n = 2 THEN (1 :> TRUE @@ 2 :> FALSE) ELSE e

Spec == Init /\ [][Step]_vars
Small == n < 3
====
