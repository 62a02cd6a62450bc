---- MODULE Big ----
\* Values large enough that TLC wraps them across lines.
EXTENDS Naturals, Sequences
CONSTANTS Workers
VARIABLES t, table, log, span
Keys == 1..12
Init == /\ t = 0
        /\ table = [k \in Keys |-> [owner |-> CHOOSE w \in Workers : TRUE, hits |-> 0, tags |-> {"x", "y"}]]
        /\ log = <<>>
        /\ span = 1..10
Next == /\ t < 3
        /\ t' = t + 1
        /\ table' = [table EXCEPT ![t + 1].hits = t + 1, ![t + 2].tags = {"z"} \cup @]
        /\ log' = Append(log, [at |-> t, who |-> Workers, msg |-> "step number \t" ])
        /\ span' = 1..(10 + t)
Small == t < 3
====
