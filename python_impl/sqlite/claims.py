"""Claims and their leases: the compare-and-set that opens an epoch, the worker's next claim, the reaper.

Each function is the body of the ``Store`` method of the same name, run in the transaction the store
opened; ``claim_next`` also runs inside a commit's transaction when the worker's next claim rides on it.
"""

from __future__ import annotations

from sqlite3 import Cursor
from typing import Any

from failure_lab.python_impl import errors
from failure_lab.python_impl.sqlite.connection import column
from failure_lab.python_impl.store import Attempt, ClaimTerms

_UNIT_ROW = "job_key, status, epoch, budget_base, lease_until, handler, payload, available_at"

_READY = (
    "SELECT rowid, job_key, epoch, budget_base, lease_until,"
    " ?3 AND EXISTS (SELECT 1 FROM units x WHERE x.status = 'claimed' AND x.lease_until <= ?1"
    "                AND x.lease_until < units.available_at),"
    " handler, payload"
    " FROM units WHERE status = 'runnable' AND available_at <= ?1 AND epoch - budget_base < ?2"
    " ORDER BY available_at, job_key LIMIT 1"
)


def _statuses(exclusive: bool) -> str:
    # Equality, not IN, so that SQLite can use the partial index of runnable units.
    return "status = 'runnable'" if exclusive else "status IN ('runnable', 'claimed')"


def anything_claimable(cur: Cursor, now: int, exclusive: bool) -> bool:
    """Whether ``claim_next`` could find something; read without the write lock, so polling blocks nobody."""
    row = cur.execute(
        f"SELECT 1 FROM units WHERE ({_statuses(exclusive)} AND available_at <= ?)"
        " OR (status = 'claimed' AND lease_until <= ?) LIMIT 1",
        (now, now),
    ).fetchone()
    return row is not None


def refuse_busy(cur: Cursor, worker: str) -> None:
    """Refuse a claim by a worker that still holds an attempt."""
    held = cur.execute(
        "SELECT job_key, epoch FROM attempts WHERE worker = ? AND state = 'held'", (worker,)
    ).fetchone()
    if held is not None:
        raise errors.WorkerBusy(f"Claim by {worker}: it still holds {held[0]} at epoch {held[1]}")


def claim(cur: Cursor, job_key: str, worker: str, now: int, terms: ClaimTerms) -> Attempt:
    row = cur.execute(f"SELECT {_UNIT_ROW} FROM units WHERE job_key = ?", (job_key,)).fetchone()
    if row is None:
        raise errors.NotClaimable(f"Claim({worker}, {job_key}): no runnable unit")
    return _claim_row(cur, row, worker, now, terms)


def claim_next(cur: Cursor, worker: str, now: int, terms: ClaimTerms) -> Attempt | None:
    max_attempts = terms.max_attempts
    if terms.exclusive:
        # The usual case in two statements: the oldest runnable unit, read with whether a lease is
        # live on it and whether an expired claim is older, then (neither) the compare-and-set on
        # its row. Anything else (an older expired claim, a live lease, nothing ready) takes the
        # loop below, which reads again and decides as it always did.
        ready = cur.execute(_READY, (now, max_attempts, terms.reclaim)).fetchone()
        if ready is not None:
            rowid, job_key, epoch, budget_base, lease_until, older_expired, handler, payload = ready
            if (
                lease_until <= now
                and not older_expired
                and cur.execute(
                    "UPDATE units SET status = 'claimed', epoch = ?, lease_until = ?"
                    " WHERE rowid = ? AND epoch = ? AND status = 'runnable'",
                    (epoch + 1, now + terms.lease_ttl, rowid, epoch),
                ).rowcount
            ):
                return _grant(cur, worker, now, terms, job_key, epoch, budget_base, handler, payload)
    while True:
        # Runnable units in the order they became available, expired claims in the order their
        # leases ran out: whichever came first, so a reclaim never starves behind a backlog.
        ready = cur.execute(
            f"SELECT {_UNIT_ROW}, available_at FROM units WHERE {_statuses(terms.exclusive)}"
            " AND available_at <= ? AND epoch - budget_base < ?"
            " ORDER BY available_at, job_key LIMIT 1",
            (now, max_attempts),
        ).fetchone()
        expired = (
            cur.execute(
                f"SELECT {_UNIT_ROW}, lease_until FROM units WHERE status = 'claimed'"
                " AND lease_until <= ? ORDER BY lease_until, job_key LIMIT 1",
                (now,),
            ).fetchone()
            if terms.reclaim
            else None
        )
        if expired is not None and (ready is None or expired[-1] < ready[-1]):
            used = expired[2] - expired[3]
            if used >= max_attempts:
                # The reaper's work, done lazily: its budget spent, the job is dead-lettered.
                _end_expired(cur, expired[0], used, max_attempts, now)
                continue
            ready = expired
        if ready is None:
            return None
        return _claim_row(cur, ready[:-1], worker, now, terms)


def _claim_row(cur: Cursor, row: tuple[Any, ...], worker: str, now: int, terms: ClaimTerms) -> Attempt:
    job_key, status, epoch, budget_base, lease_until, handler, payload, available_at = row
    if status == "dead":
        # Only a spent budget dead-letters a job: the budget is what keeps it from being retried.
        raise errors.NotClaimable(f"Claim({worker}, {job_key}): the unit is dead", guard="retry_budget")
    if status not in ("runnable", "claimed"):
        raise errors.NotClaimable(f"Claim({worker}, {job_key}): the unit is {status}")
    if available_at > now:
        raise errors.NotClaimable(f"Claim({worker}, {job_key}): backing off until {available_at}")
    if epoch - budget_base >= terms.max_attempts:
        raise errors.BudgetExhausted(
            f"Claim({worker}, {job_key}): {epoch - budget_base} of {terms.max_attempts} attempts used"
        )
    # LiveClaimers(r): a lease that has run out (now >= leaseUntil) revokes every claimer.
    live = lease_until > now
    if status == "claimed" and not live and not terms.reclaim:
        raise errors.NotClaimable(
            f"Claim({worker}, {job_key}): its lease ran out at {lease_until}, and nothing reclaims it",
            guard="reclaim_expired",
        )
    live_claimers = (
        [w for (w,) in cur.execute("SELECT worker FROM claimers WHERE job_key = ?", (job_key,)).fetchall()]
        if live
        else []
    )
    if terms.exclusive and live_claimers:
        raise errors.ClaimRefused(
            f"Claim({worker}, {job_key}): held by {', '.join(sorted(live_claimers))} until {lease_until}"
        )
    # The compare-and-set: only the epoch we read may be bumped, and (exclusive) only with no live
    # claimer, so a backend without our write lock gets the same answer from this one statement.
    changed = cur.execute(
        "UPDATE units SET status = 'claimed', epoch = epoch + 1, lease_until = :until"
        " WHERE job_key = :key AND epoch = :epoch AND status IN ('runnable', 'claimed')"
        " AND (:shared OR lease_until <= :now"
        "      OR NOT EXISTS (SELECT 1 FROM claimers c WHERE c.job_key = :key))",
        {
            "until": now + terms.lease_ttl,
            "key": job_key,
            "epoch": epoch,
            "shared": not terms.exclusive,
            "now": now,
        },
    ).rowcount
    if changed != 1:
        raise errors.ClaimRefused(f"Claim({worker}, {job_key}): lost the compare-and-set on epoch {epoch}")
    return _grant(
        cur,
        worker,
        now,
        terms,
        job_key,
        epoch,
        budget_base,
        handler,
        payload,
        live=live,
        joined=bool(live_claimers),
    )


def _grant(
    cur: Cursor,
    worker: str,
    now: int,
    terms: ClaimTerms,
    job_key: str,
    epoch: int,
    budget_base: int,
    handler: str,
    payload: str,
    *,
    live: bool = False,
    joined: bool = False,
) -> Attempt:
    """The rest of a claim whose compare-and-set moved the unit on from ``epoch``: its claimers and attempt.

    ``live``: the lease read was still running (its claimers keep their claim); ``joined``: somebody
    held it, so this claim joins a live one (counted as a double claim).
    """
    if not live and epoch > 0:  # the claimers of a lease that ran out lose their claim; a new unit has none
        cur.execute("DELETE FROM claimers WHERE job_key = ?", (job_key,))
    cur.execute("INSERT OR IGNORE INTO claimers (job_key, worker) VALUES (?, ?)", (job_key, worker))
    attempt_id = cur.execute(
        "INSERT INTO attempts (job_key, worker, epoch, claimed_at, joined_live) VALUES (?, ?, ?, ?, ?)",
        (job_key, worker, epoch + 1, now, 1 if joined else 0),
    ).lastrowid
    assert attempt_id is not None
    return Attempt(
        attempt_id, job_key, worker, epoch + 1, now + terms.lease_ttl, handler, payload, budget_base
    )


def release_expired(cur: Cursor, now: int, max_attempts: int) -> list[str]:
    rows = cur.execute(
        "SELECT job_key, epoch - budget_base FROM units WHERE status = 'claimed' AND lease_until <= ?"
        " ORDER BY job_key",
        (now,),
    ).fetchall()
    for key, used in rows:
        _end_expired(cur, key, used, max_attempts, now)
    return [key for key, _ in rows]


def _end_expired(cur: Cursor, job_key: str, used: int, max_attempts: int, now: int) -> None:
    """A claim whose lease ran out ends: the job is runnable again, or dead once its budget is spent."""
    if used >= max_attempts:
        cur.execute(
            "UPDATE units SET status = 'dead', dead_reason = ?, lease_ended = 'expired' WHERE job_key = ?",
            (f"lease expired on attempt {used} of {max_attempts}", job_key),
        )
    else:
        cur.execute(
            "UPDATE units SET status = 'runnable', available_at = ?, lease_ended = 'expired'"
            " WHERE job_key = ?",
            (now, job_key),
        )
    cur.execute("DELETE FROM claimers WHERE job_key = ?", (job_key,))


def abandon(cur: Cursor, worker: str) -> list[str]:
    keys = column(
        cur, "SELECT job_key FROM attempts WHERE worker = ? AND state = 'held' ORDER BY id", (worker,)
    )
    cur.execute("UPDATE attempts SET state = 'dropped' WHERE worker = ? AND state = 'held'", (worker,))
    return keys


def expire_lease(cur: Cursor, job_key: str, now: int) -> bool:
    changed = cur.execute(
        "UPDATE units SET lease_until = ? WHERE job_key = ? AND status = 'claimed' AND lease_until > ?",
        (now, job_key, now),
    ).rowcount
    return changed == 1
