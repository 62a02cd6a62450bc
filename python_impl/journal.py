"""The journal: every step the store takes on a job, in commit order, written by the step's own transaction.

A recorded run is only worth checking if its order is the order the database saw. Worker processes
cannot log their steps after the fact (a SIGKILL between the commit and the log loses the step, and
two processes may log in either order), so the journal is written by SQLite triggers, inside the
transaction that makes the change, and its ``seq`` is the commit order. The triggers are TEMP: each
connection that should journal creates them (``enable``), so a queue that does not journal pays
nothing, and the database file carries no trigger another program could trip over.

The rows are the store's words (``claim``, ``reclaim``, ``effect``, ``completed``, ``failed``,
``dropped``, ``expired``); the Jobs mapping (``failure_modes/mappings/jobs_journal.py``) turns them
into spec steps.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

TABLE = """
CREATE TABLE IF NOT EXISTS journal (
    seq     INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    job_key TEXT NOT NULL,
    worker  TEXT,
    epoch   INTEGER NOT NULL,
    at      INTEGER
)
"""

# One trigger per kind of change; "at" carries what the reader needs to decide (see JournalRow).
TRIGGERS = (
    # A new attempt: a claim (fresh, retry, or reclaim), at the time it was claimed.
    """CREATE TEMP TRIGGER IF NOT EXISTS journal_claim AFTER INSERT ON main.attempts
       BEGIN INSERT INTO journal (kind, job_key, worker, epoch, at)
             VALUES ('claim', NEW.job_key, NEW.worker, NEW.epoch, NEW.claimed_at); END""",
    # A claimed unit claimed again: a reclaim, with the old lease's end to tell an expired one.
    """CREATE TEMP TRIGGER IF NOT EXISTS journal_reclaim AFTER UPDATE OF epoch ON main.units
       WHEN OLD.status = 'claimed' AND NEW.epoch = OLD.epoch + 1
       BEGIN INSERT INTO journal (kind, job_key, worker, epoch, at)
             VALUES ('reclaim', NEW.job_key, NULL, OLD.epoch, OLD.lease_until); END""",
    # A claim released because its lease ran out: runnable again, or dead once its budget is spent.
    """CREATE TEMP TRIGGER IF NOT EXISTS journal_expired AFTER UPDATE OF status ON main.units
       WHEN OLD.status = 'claimed' AND NEW.status IN ('runnable', 'dead') AND NEW.lease_ended = 'expired'
            AND NEW.epoch = OLD.epoch
       BEGIN INSERT INTO journal (kind, job_key, worker, epoch, at)
             VALUES ('expired', NEW.job_key, NULL, NEW.epoch, OLD.lease_until); END""",
    # An effect recorded in the ledger (applied now, or reconciled after a crash).
    """CREATE TEMP TRIGGER IF NOT EXISTS journal_effect AFTER INSERT ON main.effects
       BEGIN INSERT INTO journal (kind, job_key, worker, epoch, at)
             VALUES ('effect', NEW.job_key, NEW.worker, NEW.epoch, NEW.committed_at); END""",
    # An attempt ended: completed, failed, or dropped by its worker.
    """CREATE TEMP TRIGGER IF NOT EXISTS journal_ended AFTER UPDATE OF state ON main.attempts
       WHEN OLD.state = 'held' AND NEW.state != 'held'
       BEGIN INSERT INTO journal (kind, job_key, worker, epoch, at)
             VALUES (NEW.state, NEW.job_key, NEW.worker, NEW.epoch, NULL); END""",
)


@dataclass(frozen=True, slots=True)
class JournalRow:
    """One journaled change: ``at`` is the claim time (claim), the old lease's end (reclaim, expired)."""

    seq: int
    kind: str
    job_key: str
    worker: str | None
    epoch: int
    at: int | None


def enable(db: sqlite3.Connection) -> None:
    """Journal every change this connection makes from now on (creates the table if it is missing)."""
    with db:
        db.execute(TABLE)
        for trigger in TRIGGERS:
            db.execute(trigger)


def read(path: str | Path) -> list[JournalRow]:
    """Every journaled change in ``path``, in commit order (none if the database never journaled)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        exists = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'"
        ).fetchone()
        if exists is None:
            return []
        rows = db.execute("SELECT seq, kind, job_key, worker, epoch, at FROM journal ORDER BY seq").fetchall()
    finally:
        db.close()
    return [JournalRow(*row) for row in rows]
