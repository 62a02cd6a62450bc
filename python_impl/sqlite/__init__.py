"""The store on SQLite: one file in WAL mode that every worker process shares."""

from failure_lab.python_impl.sqlite.store import SqliteStore, Synchronous

__all__ = ["SqliteStore", "Synchronous"]
