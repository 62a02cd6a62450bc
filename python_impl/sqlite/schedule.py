"""Jobs and the schedule: new jobs, the scanner's checkpoint, taking a run and writing its unit.

Each function is the body of the ``Store`` method of the same name (``add_job`` is two: a runnable job
is one statement on its own, a scheduled one a transaction), run where the store says.
"""

from __future__ import annotations

from sqlite3 import Cursor, IntegrityError

from failure_lab.python_impl import errors
from failure_lab.python_impl.sqlite.connection import column
from failure_lab.python_impl.store import Job, ScheduleEntry

_ADD_UNIT = (
    "INSERT INTO units (job_key, handler, payload, due_at, status, available_at, materialized_at)"
    " SELECT ?, ?, ?, ?, 'runnable', ?, ? WHERE NOT EXISTS (SELECT 1 FROM schedule WHERE job_key = ?)"
)


def _unit_values(job: Job, now: int) -> tuple[str, str, str, int, int, int, str]:
    return (job.job_key, job.handler, job.payload, job.due_at, max(now, job.due_at), now, job.job_key)


def _duplicate(job: Job) -> errors.DuplicateJobKey:
    return errors.DuplicateJobKey(f"job key {job.job_key!r} is already enqueued or scheduled")


def add_runnable(cur: Cursor, job: Job, now: int) -> None:
    """A runnable unit at once, in one statement that is atomic on its own: every producer's hot path."""
    try:
        added = cur.execute(_ADD_UNIT, _unit_values(job, now)).rowcount
    except IntegrityError:
        raise _duplicate(job) from None
    if added != 1:
        raise _duplicate(job)


def add_scheduled(cur: Cursor, job: Job, now: int) -> None:
    """A run in the schedule, or a runnable unit if the checkpoint already passed its due time."""
    exists = cur.execute(
        "SELECT 1 FROM schedule WHERE job_key = ? UNION ALL SELECT 1 FROM units WHERE job_key = ? LIMIT 1",
        (job.job_key, job.job_key),
    ).fetchone()
    if exists:
        raise _duplicate(job)
    # A run due at or before the checkpoint would never be scanned again: it is runnable at once.
    if job.due_at > checkpoint(cur):
        cur.execute(
            "INSERT INTO schedule (job_key, handler, payload, due_at) VALUES (?, ?, ?, ?)",
            (job.job_key, job.handler, job.payload, job.due_at),
        )
    else:
        cur.execute(_ADD_UNIT, _unit_values(job, now))


def checkpoint(cur: Cursor) -> int:
    value: int = cur.execute("SELECT checkpoint FROM scanner").fetchone()[0]
    return value


def advance_checkpoint(cur: Cursor, to: int, first: int, last: int) -> list[str]:
    # Checked in the same transaction as the write, so a run scheduled meanwhile cannot slip past.
    left = [key for key, _ in _outstanding(cur, first, last)]
    if not left:
        cur.execute("UPDATE scanner SET checkpoint = ?", (to,))
    return left


def schedule_entry(cur: Cursor, job_key: str) -> ScheduleEntry | None:
    row = cur.execute(
        "SELECT job_key, due_at, outstanding FROM schedule WHERE job_key = ?", (job_key,)
    ).fetchone()
    return None if row is None else ScheduleEntry(row[0], row[1], bool(row[2]))


def outstanding_between(cur: Cursor, first: int, last: int) -> list[ScheduleEntry]:
    return [ScheduleEntry(key, due, True) for key, due in _outstanding(cur, first, last)]


def _outstanding(cur: Cursor, first: int, last: int) -> list[tuple[str, int]]:
    return cur.execute(
        "SELECT job_key, due_at FROM schedule WHERE outstanding = 1 AND due_at BETWEEN ? AND ?"
        " ORDER BY due_at, job_key",
        (first, last),
    ).fetchall()


def take(cur: Cursor, job_key: str, unschedule: bool) -> None:
    outstanding = cur.execute("SELECT outstanding FROM schedule WHERE job_key = ?", (job_key,)).fetchone()
    if outstanding is None or not outstanding[0]:
        raise errors.NotScheduled(f"Scan({job_key}): not outstanding in the schedule")
    if unschedule:
        cur.execute("UPDATE schedule SET outstanding = 0 WHERE job_key = ?", (job_key,))


def materialize(cur: Cursor, job_key: str, now: int) -> None:
    row = cur.execute(
        "SELECT handler, payload, due_at FROM schedule WHERE job_key = ?", (job_key,)
    ).fetchone()
    if row is None:
        raise errors.NotScheduled(f"Materialize({job_key}): no such run in the schedule")
    # A second write of the same run is the duplicate-materialisation bug made visible:
    # the unit is runnable again and counts how often it was written.
    cur.execute(
        "INSERT INTO units (job_key, handler, payload, due_at, status, available_at, materialized_at)"
        " VALUES (?, ?, ?, ?, 'runnable', ?, ?)"
        " ON CONFLICT (job_key) DO UPDATE SET status = 'runnable',"
        " available_at = excluded.available_at,"
        " materialized_at = excluded.materialized_at, materializations = materializations + 1",
        (job_key, row[0], row[1], row[2], now, now),
    )


def taken_not_durable(cur: Cursor, after: int) -> list[str]:
    return column(
        cur,
        "SELECT s.job_key FROM schedule s LEFT JOIN units u ON u.job_key = s.job_key"
        " WHERE s.outstanding = 0 AND u.job_key IS NULL AND s.due_at > ? ORDER BY s.due_at, s.job_key",
        (after,),
    )


def lost_runs(cur: Cursor) -> list[str]:
    return column(
        cur,
        "SELECT s.job_key FROM schedule s LEFT JOIN units u ON u.job_key = s.job_key"
        " WHERE s.outstanding = 0 AND u.job_key IS NULL"
        " AND s.due_at <= (SELECT checkpoint FROM scanner) ORDER BY s.due_at, s.job_key",
    )


def overdue_scheduled(cur: Cursor) -> list[str]:
    return column(
        cur,
        "SELECT job_key FROM schedule WHERE outstanding = 1"
        " AND due_at <= (SELECT checkpoint FROM scanner) ORDER BY due_at, job_key",
    )
