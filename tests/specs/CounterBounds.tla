---------------------------- MODULE CounterBounds ----------------------------
\* Extended by Counter, so the cache key must cover it too.
Limit == 4
=============================================================================
