"""Run TLC, read its output, and check traces against the runtime."""
