---- MODULE Undefined ----
\* Parses, but names an operator nobody defined: a semantic error.
VARIABLE x
Init == x = Missing
Next == x' = x
====
