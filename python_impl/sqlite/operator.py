"""What an operator sees and does (one job, the dead letters, a requeue), and the whole state the models read.

Each function is the body of the ``Store`` method of the same name; the reads run in one read
transaction the store opened, so they see one moment.
"""

from __future__ import annotations

from sqlite3 import Cursor
from typing import Literal

from failure_lab.python_impl import errors
from failure_lab.python_impl.store import HeldAttempt, JobRecord, ScheduleEntry, StoreState, Unit

_RECORD = (
    "SELECT u.job_key, u.handler, u.payload, u.status, u.due_at, u.epoch, u.epoch - u.budget_base,"
    " u.last_error, u.dead_reason, (SELECT count(*) FROM effects e WHERE e.job_key = u.job_key)"
    " FROM units u"
)


def job(cur: Cursor, job_key: str) -> JobRecord:
    row = cur.execute(f"{_RECORD} WHERE u.job_key = ?", (job_key,)).fetchone()
    if row is not None:
        return JobRecord(*row)
    entry = cur.execute(
        "SELECT handler, payload, due_at, outstanding FROM schedule WHERE job_key = ?", (job_key,)
    ).fetchone()
    if entry is None:
        raise errors.UnknownJob(f"no job with key {job_key!r}")
    status: Literal["scheduled", "taken"] = "scheduled" if entry[3] else "taken"
    return JobRecord(job_key, entry[0], entry[1], status, entry[2], 0, 0, None, None, 0)


def dead_letters(cur: Cursor) -> list[JobRecord]:
    rows = cur.execute(f"{_RECORD} WHERE u.status = 'dead' ORDER BY u.due_at, u.job_key").fetchall()
    return [JobRecord(*row) for row in rows]


def requeue(cur: Cursor, job_key: str, now: int) -> None:
    row = cur.execute("SELECT status FROM units WHERE job_key = ?", (job_key,)).fetchone()
    if row is None:
        raise errors.UnknownJob(f"no runnable unit with key {job_key!r}")
    if row[0] != "dead":
        raise errors.BadInput(f"job {job_key!r} is {row[0]}, only a dead letter can be re-enqueued")
    cur.execute(
        "UPDATE units SET status = 'runnable', budget_base = epoch, available_at = ?, dead_reason = NULL"
        " WHERE job_key = ?",
        (now, job_key),
    )


def units(cur: Cursor) -> dict[str, Unit]:
    """Every unit with its claimers, as ``state`` reads them, without the rest of the state."""
    claimers: dict[str, set[str]] = {}
    for key, worker in cur.execute("SELECT job_key, worker FROM claimers").fetchall():
        claimers.setdefault(key, set()).add(worker)
    return {
        key: Unit(
            key, status, epoch, until, done, due, made, times, frozenset(claimers.get(key, ())), base, ended
        )
        for key, status, epoch, until, done, due, made, times, base, ended in cur.execute(
            "SELECT job_key, status, epoch, lease_until, completed_epoch, due_at, materialized_at,"
            " materializations, budget_base, lease_ended FROM units ORDER BY job_key"
        ).fetchall()
    }


def state(cur: Cursor) -> StoreState:
    schedule = tuple(
        ScheduleEntry(key, due, bool(outstanding))
        for key, due, outstanding in cur.execute(
            "SELECT job_key, due_at, outstanding FROM schedule ORDER BY due_at, job_key"
        ).fetchall()
    )
    checkpoint: int = cur.execute("SELECT checkpoint FROM scanner").fetchone()[0]
    units_now = units(cur)
    held = {
        worker: HeldAttempt(key, epoch)
        for worker, key, epoch in cur.execute(
            "SELECT worker, job_key, epoch FROM attempts WHERE state = 'held' ORDER BY id"
        ).fetchall()
    }
    effects = dict(
        cur.execute("SELECT job_key, count(*) FROM effects GROUP BY job_key ORDER BY job_key").fetchall()
    )
    attempts, double_claims = cur.execute(
        "SELECT count(*), coalesce(sum(joined_live), 0) FROM attempts"
    ).fetchone()
    return StoreState(schedule, checkpoint, units_now, held, effects, double_claims, attempts)
