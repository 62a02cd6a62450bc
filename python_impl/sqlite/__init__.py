"""The store on SQLite: one file in WAL mode that every worker process shares.

``SqliteStore`` (``store.py``) is the thin object in front: the connection, its one cursor, and where
each transaction begins and ends. The work is plain functions over that cursor, one module per part:

| module | part |
| --- | --- |
| `connection.py` | opening a file (refusing one not ours, untouched), tuning, migrating; transactions |
| `schema.py` | the numbered migrations; `application_id` and `user_version` in the file header |
| `schedule.py` | new jobs, the schedule, the scanner's checkpoint, taking a run and writing its unit |
| `claims.py` | the claim's compare-and-set, the worker's next claim, leases and the reaper |
| `commit.py` | the commit boundary and the other writes of an attempt (complete, reject, drop, fail) |
| `operator.py` | one job, the dead letters, a requeue; the whole state the models read |
| `repairs.py` | the recoveries' writes, one invariant each |

Every function runs on the store's one reused cursor, so it reads a statement's rows (one row, or
``fetchall``) before it runs the next: an unfinished statement would hold its read snapshot open.
"""

from failure_lab.python_impl.sqlite.connection import Synchronous
from failure_lab.python_impl.sqlite.store import SqliteStore

__all__ = ["SqliteStore", "Synchronous"]
