---------------------------- MODULE Broken ----------------------------
\* A missing right-hand side: SANY rejects the module (the syntax-error case).
VARIABLE x

Init == x =
Next == x' = x
=============================================================================
