"""A small SQLite-backed job queue whose guardrails are named, switchable policies."""
