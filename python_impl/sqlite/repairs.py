"""Repairs (``python_impl.recovery``): each re-establishes one invariant that a missing guard broke.

Each function is the body of the ``Store`` method of the same name, run in the transaction the store
opened, and safe to run when there is nothing to repair.
"""

from __future__ import annotations

from collections.abc import Callable
from sqlite3 import Cursor

from failure_lab.python_impl import errors
from failure_lab.python_impl.sqlite.connection import column
from failure_lab.python_impl.store import LedgerEntry


def ledger(cur: Cursor) -> list[LedgerEntry]:
    rows = cur.execute("SELECT id, job_key, epoch, worker FROM effects ORDER BY id").fetchall()
    return [LedgerEntry(*row) for row in rows]


def compensate(cur: Cursor, entry: LedgerEntry, now: int, apply: Callable[[], None]) -> None:
    row = cur.execute(
        "SELECT committed_at FROM effects WHERE id = ? AND job_key = ?", (entry.effect_id, entry.job_key)
    ).fetchone()
    if row is None:
        raise errors.BadInput(f"no committed effect {entry.effect_id} for {entry.job_key!r}")
    # Inside the transaction, as the commit boundary applies effects: a crash before COMMIT
    # leaves the row in the ledger and the next recovery refunds again, so the external system
    # must key compensations by the effect id the compensation carries.
    apply()
    cur.execute(
        "INSERT INTO compensations (effect_id, job_key, epoch, worker, committed_at, compensated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (entry.effect_id, entry.job_key, entry.epoch, entry.worker, row[0], now),
    )
    cur.execute("DELETE FROM effects WHERE id = ?", (entry.effect_id,))


def reopen_stale_completions(cur: Cursor) -> list[str]:
    keys = column(
        cur,
        "SELECT job_key FROM units WHERE status = 'completed' AND completed_epoch != epoch ORDER BY job_key",
    )
    for key in keys:
        current = cur.execute(
            "SELECT 1 FROM attempts a JOIN units u ON u.job_key = a.job_key"
            " WHERE a.job_key = ? AND a.epoch = u.epoch AND a.state = 'held'",
            (key,),
        ).fetchone()
        # The current attempt finishes the run through the fence; with none, the run runs again.
        cur.execute(
            "UPDATE units SET status = ?, completed_epoch = 0, available_at = lease_until WHERE job_key = ?",
            ("claimed" if current else "runnable", key),
        )
    return keys


def revoke_stale_claimers(cur: Cursor) -> list[str]:
    keys = column(cur, "SELECT job_key FROM claimers GROUP BY job_key HAVING count(*) > 1 ORDER BY job_key")
    for key in keys:
        cur.execute(
            "UPDATE attempts SET state = 'dropped' WHERE job_key = ? AND state = 'held'"
            " AND epoch < (SELECT epoch FROM units WHERE job_key = ?)",
            (key, key),
        )
        cur.execute(
            "DELETE FROM claimers WHERE job_key = ? AND worker NOT IN"
            " (SELECT a.worker FROM attempts a JOIN units u ON u.job_key = a.job_key"
            "  WHERE a.job_key = ? AND a.epoch = u.epoch AND a.state = 'held')",
            (key, key),
        )
    return keys


def retract_early(cur: Cursor, now: int) -> list[str]:
    keys = column(
        cur,
        "SELECT u.job_key FROM units u JOIN schedule s ON s.job_key = u.job_key"
        " WHERE u.due_at > ? AND u.status IN ('runnable', 'claimed') ORDER BY u.job_key",
        (now,),
    )
    for key in keys:
        _drop_held(cur, key)
        cur.execute("DELETE FROM units WHERE job_key = ?", (key,))
        cur.execute("UPDATE schedule SET outstanding = 1 WHERE job_key = ?", (key,))
    return keys


def unschedule_materialized(cur: Cursor) -> list[str]:
    keys = column(
        cur,
        "SELECT s.job_key FROM schedule s JOIN units u ON u.job_key = s.job_key"
        " WHERE s.outstanding = 1 ORDER BY s.job_key",
    )
    cur.executemany("UPDATE schedule SET outstanding = 0 WHERE job_key = ?", [(k,) for k in keys])
    return keys


def dead_letter_over_budget(cur: Cursor, max_attempts: int) -> list[str]:
    # A runnable job with its budget used would be retried again; a claimed one only once past it.
    rows = cur.execute(
        "SELECT job_key, epoch - budget_base FROM units WHERE"
        " (status = 'runnable' AND epoch - budget_base >= ?)"
        " OR (status = 'claimed' AND epoch - budget_base > ?) ORDER BY job_key",
        (max_attempts, max_attempts),
    ).fetchall()
    for key, used in rows:
        cur.execute(
            "UPDATE units SET status = 'dead', dead_reason = ? WHERE job_key = ?",
            (f"retried {used} times, past its budget of {max_attempts}", key),
        )
        _drop_held(cur, key)
    return [key for key, _ in rows]


def _drop_held(cur: Cursor, job_key: str) -> None:
    """Whoever holds an attempt on the job loses it, and every claimer its claim."""
    cur.execute("UPDATE attempts SET state = 'dropped' WHERE job_key = ? AND state = 'held'", (job_key,))
    cur.execute("DELETE FROM claimers WHERE job_key = ?", (job_key,))


def return_to_holders(cur: Cursor, now: int) -> list[str]:
    keys = column(
        cur,
        "SELECT u.job_key FROM units u JOIN attempts a ON a.job_key = u.job_key"
        " WHERE a.state = 'held' AND a.epoch = u.epoch AND u.lease_until > ?"
        " AND u.status IN ('runnable', 'dead') ORDER BY u.job_key",
        (now,),
    )
    cur.executemany(
        "UPDATE units SET status = 'claimed', dead_reason = NULL WHERE job_key = ?", [(k,) for k in keys]
    )
    return keys
