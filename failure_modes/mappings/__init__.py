"""One mapping per spec: the spec's actions as runtime calls, the runtime's store as the spec's variables."""
