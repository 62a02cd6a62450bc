"""The commit boundary and every other write an attempt makes (complete, reject, drop, fail), each fenced.

Each function is the body of the ``Store`` method of the same name, run in the transaction the store
opened. With every guard on, a commit that completes is one conditional write (``_COMPLETE_FENCED``)
and the rest of its work; only when that write refuses, or a guard is off, does it read why.
"""

from __future__ import annotations

from collections.abc import Callable
from sqlite3 import Cursor
from typing import Literal

from failure_lab.python_impl import errors
from failure_lab.python_impl.faults import FaultPoint
from failure_lab.python_impl.sqlite import claims
from failure_lab.python_impl.store import Attempt, ClaimTerms, Committed, FaultHook, UnitStatus

How = Literal["applied", "reconciled"]

_COMPLETE_FENCED = (
    # Every check of the commit boundary with its guards on, as one conditional write: the
    # attempt is still held, its epoch is the unit's, the unit is claimed, and the job key has
    # no committed effect yet. Completing first is safe: the transaction is all or nothing.
    "UPDATE units SET status = 'completed', completed_epoch = epoch"
    " WHERE job_key = ?1 AND epoch = ?2 AND status = 'claimed'"
    " AND NOT EXISTS (SELECT 1 FROM effects WHERE job_key = ?1)"
    " AND EXISTS (SELECT 1 FROM attempts WHERE id = ?3 AND job_key = ?1 AND state = 'held')"
)


def commit_effect(
    cur: Cursor,
    attempt: Attempt,
    now: int,
    *,
    idempotent: bool,
    already_applied: Callable[[str], bool],
    apply: Callable[[], None],
    at: FaultHook,
    complete: bool,
    fenced: bool,
    then_claim: ClaimTerms | None,
    stable_key: bool,
) -> Committed:
    key = attempt.job_key
    if (
        complete
        and idempotent
        and fenced
        and stable_key
        and cur.execute(_COMPLETE_FENCED, (key, attempt.epoch, attempt.attempt_id)).rowcount
    ):
        how = _take_effect(cur, attempt, now, already_applied, apply, at, reconcile=True)
        release(cur, attempt, "completed")
        return _then(cur, attempt, now, how, True, then_claim)
    # The fenced write refused, or a guard is off: read why, and refuse or go the long way.
    status, epoch, committed = _held(cur, attempt, "Commit", count_effects=True)
    if not stable_key:
        # Keyed by attempt: only this attempt's own effect counts, so a retry's looks new.
        committed = cur.execute(
            "SELECT count(*) FROM effects WHERE job_key = ? AND epoch = ?", (key, attempt.epoch)
        ).fetchone()[0]
    if idempotent:
        if epoch != attempt.epoch:
            raise errors.StaleEpoch(
                f"Commit({attempt.worker}): {key} is at epoch {epoch}, the attempt holds {attempt.epoch}",
                guard="idempotent_commit",
            )
        if status != "claimed":
            raise errors.NotClaimable(f"Commit({attempt.worker}): {key} is {status}")
        if committed and stable_key:
            earlier = cur.execute("SELECT min(epoch) FROM effects WHERE job_key = ?", (key,)).fetchone()[0]
            if earlier < attempt.epoch:
                # A retry of a job whose effect an earlier attempt applied: the stable key is
                # what recognises it as the same effect.
                raise errors.DuplicateEffect(
                    f"Commit({attempt.worker}): job key {key} already has its effect, applied by"
                    f" attempt {earlier}",
                    guard="stable_effect_key",
                )
        if committed:
            raise errors.DuplicateEffect(
                f"Commit({attempt.worker}): job key {key} already has its committed effect"
            )
    how = _take_effect(cur, attempt, now, already_applied, apply, at, reconcile=idempotent and stable_key)
    # One transaction for the effect's record and the completion: no window between them to crash in.
    completed = complete and _complete_if_accepted(cur, attempt, status, epoch, fenced)
    return _then(cur, attempt, now, how, completed, then_claim)


def _take_effect(
    cur: Cursor,
    attempt: Attempt,
    now: int,
    already_applied: Callable[[str], bool],
    apply: Callable[[], None],
    at: FaultHook,
    *,
    reconcile: bool,
) -> How:
    """The effect applied (or, with ``reconcile``, found already landed) and recorded in the ledger."""
    how: How = "applied"
    # An earlier attempt may have died between applying the effect and committing it; the
    # external system is the truth for that one case, so ask it before applying again.
    if reconcile and attempt.epoch > 1 and already_applied(attempt.job_key):
        how = "reconciled"
    else:
        at(FaultPoint.BEFORE_EFFECT)
        apply()
        at(FaultPoint.AFTER_EFFECT)
    cur.execute(
        "INSERT INTO effects (job_key, epoch, worker, committed_at, how) VALUES (?, ?, ?, ?, ?)",
        (attempt.job_key, attempt.epoch, attempt.worker, now, how),
    )
    return how


def _then(
    cur: Cursor, attempt: Attempt, now: int, how: How, completed: bool, then_claim: ClaimTerms | None
) -> Committed:
    """What the commit did; a completed attempt's worker is free, and its next claim rides on the commit."""
    if not completed or then_claim is None:
        return Committed(how, completed)
    return Committed(how, True, claims.claim_next(cur, attempt.worker, now, then_claim))


def _complete_if_accepted(cur: Cursor, attempt: Attempt, status: str, epoch: int, fenced: bool) -> bool:
    """Complete in the commit's transaction if ``Complete`` would accept it, else leave it be."""
    if status != "claimed" or (fenced and epoch != attempt.epoch):
        return False
    _completed(cur, attempt)
    return True


def _completed(cur: Cursor, attempt: Attempt) -> None:
    cur.execute(
        "UPDATE units SET status = 'completed', completed_epoch = ? WHERE job_key = ?",
        (attempt.epoch, attempt.job_key),
    )
    release(cur, attempt, "completed")


def _held(
    cur: Cursor, attempt: Attempt, step: str, *, count_effects: bool = False
) -> tuple[UnitStatus, int, int]:
    """The unit's status and epoch (and committed effects) if the attempt is still held, else refuse."""
    effects = "(SELECT count(*) FROM effects e WHERE e.job_key = u.job_key)" if count_effects else "0"
    row = cur.execute(
        f"SELECT a.state, u.status, u.epoch, {effects}"
        " FROM attempts a JOIN units u ON u.job_key = a.job_key"
        " WHERE a.id = ?",
        (attempt.attempt_id,),
    ).fetchone()
    if row is None or row[0] != "held":
        raise errors.NoSuchAttempt(
            f"{step}({attempt.worker}): attempt {attempt.job_key}@{attempt.epoch} is not held"
            f" ({'unknown' if row is None else row[0]})"
        )
    return row[1], row[2], row[3]


def release(cur: Cursor, attempt: Attempt, state: Literal["completed", "failed", "dropped"]) -> None:
    """The attempt ends in ``state`` and its worker leaves the claimers."""
    cur.execute("DELETE FROM claimers WHERE job_key = ? AND worker = ?", (attempt.job_key, attempt.worker))
    cur.execute("UPDATE attempts SET state = ? WHERE id = ?", (state, attempt.attempt_id))


def complete(cur: Cursor, attempt: Attempt, fenced: bool) -> None:
    status, epoch, _ = _held(cur, attempt, "Complete")
    if fenced and epoch != attempt.epoch:
        raise errors.StaleEpoch(
            f"Complete({attempt.worker}): {attempt.job_key} is at epoch {epoch},"
            f" the attempt holds {attempt.epoch}"
        )
    if status != "claimed":
        raise errors.NotClaimable(
            f"Complete({attempt.worker}): {attempt.job_key} is {status}", guard='unit[r] = "claimed"'
        )
    _completed(cur, attempt)


def reject_stale(cur: Cursor, attempt: Attempt, fenced: bool) -> None:
    _, epoch, _ = _held(cur, attempt, "RejectStale")
    # Without the fence nothing is ever stale to the store, exactly as ~TRUE never holds in the model.
    if not fenced or epoch == attempt.epoch:
        raise errors.NotStale(
            f"RejectStale({attempt.worker}): {attempt.job_key}@{attempt.epoch} is current, not stale"
        )
    release(cur, attempt, "dropped")


def drop(cur: Cursor, attempt: Attempt) -> None:
    _held(cur, attempt, "Drop")
    release(cur, attempt, "dropped")


def fail(
    cur: Cursor,
    attempt: Attempt,
    now: int,
    *,
    error: str,
    retry_at: int | None,
    dead_reason: str,
    fenced: bool,
) -> None:
    status, epoch, _ = _held(cur, attempt, "Fail")
    if fenced and epoch != attempt.epoch:
        raise errors.StaleEpoch(
            f"Fail({attempt.worker}): {attempt.job_key} is at epoch {epoch},"
            f" the attempt holds {attempt.epoch}",
            guard="fence_every_write",
        )
    if status != "claimed":
        raise errors.NotClaimable(f"Fail({attempt.worker}): {attempt.job_key} is {status}")
    if retry_at is None:
        cur.execute(
            "UPDATE units SET status = 'dead', last_error = ?, dead_reason = ?, lease_ended = 'returned'"
            " WHERE job_key = ?",
            (error, dead_reason, attempt.job_key),
        )
    else:
        cur.execute(
            "UPDATE units SET status = 'runnable', last_error = ?, available_at = ?, lease_ended = 'returned'"
            " WHERE job_key = ?",
            (error, retry_at, attempt.job_key),
        )
    release(cur, attempt, "failed")
