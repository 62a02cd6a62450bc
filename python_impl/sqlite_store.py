"""The store in one SQLite file in WAL mode: each write one ``BEGIN IMMEDIATE`` transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Protocol

from failure_lab.python_impl import errors, journal
from failure_lab.python_impl.faults import FaultPoint
from failure_lab.python_impl.schema import APPLICATION_ID, LATEST, MIGRATIONS
from failure_lab.python_impl.store import (
    Attempt,
    ClaimNext,
    Committed,
    FaultHook,
    HeldAttempt,
    Job,
    JobRecord,
    LedgerEntry,
    ScheduleEntry,
    StoreState,
    Unit,
    UnitStatus,
)

BUSY_TIMEOUT_MS = 30_000
# Pages of WAL before a checkpoint. Each checkpoint costs fsyncs; a queue writes a few pages per step,
# so SQLite's default (1000) would fsync every hundred jobs or so. 4 MiB of WAL (at PAGE_SIZE) is cheap.
WAL_AUTOCHECKPOINT = 4000
# Bytes per page of a new database. A queue's rows are small, and each step rewrites a few of them
# in several B-trees (units, their ready and lease indexes, claimers, attempts, the effect ledger):
# every page it touches is read again after another process wrote, and written whole to the WAL at
# commit, so small pages make each step cheaper. A payload over ~1 KB spills onto overflow pages.
PAGE_SIZE = 1024
Synchronous = Literal["OFF", "NORMAL", "FULL"]


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


class _Sql(Protocol):
    """Runs a statement: the connection, or on the commit's hot path the store's one reused cursor,
    so a helper taking one must read a statement's rows before it runs the next."""

    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor:
        """Run ``sql`` with ``parameters``."""
        ...


class _Transaction:
    """``with``: one ``BEGIN IMMEDIATE`` transaction, committed at the end, rolled back if anything raised.

    A class rather than a generator-based context manager: every step of every worker opens one.
    """

    __slots__ = ("_db",)

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, kind: type[BaseException] | None, error: object, trace: object) -> None:
        # Any exception, BaseException too: an injected crash must leave the store as a real one would.
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


class SqliteStore:
    """The ``Store`` interface over one SQLite database file shared by every worker process."""

    def __init__(self, path: str | Path, *, synchronous: Synchronous = "NORMAL") -> None:
        if synchronous not in ("OFF", "NORMAL", "FULL"):
            raise errors.BadInput(f"synchronous must be OFF, NORMAL or FULL, got {synchronous!r}")
        self.path = Path(path)
        self._db = self._open(self.path, synchronous)
        self._transaction = _Transaction(self._db)
        # Connection.execute makes a cursor per statement; the commit's hot path reuses this one.
        self._cursor = self._db.cursor()

    # -- opening ---------------------------------------------------------------------------------------

    @staticmethod
    def _open(path: Path, synchronous: Synchronous) -> sqlite3.Connection:
        if path.is_dir():
            raise errors.DatabaseRefused(f"{path}: is a directory, expected an SQLite database file")
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as error:
            raise errors.DatabaseRefused(f"{path}: cannot open ({error})") from None
        try:
            # Read the header before writing anything, so a refused file is left exactly as it was.
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            objects = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as error:
            db.close()
            raise errors.CorruptDatabase(f"{path}: not an SQLite database ({error})") from None
        if application_id != APPLICATION_ID and (application_id != 0 or objects > 0):
            db.close()
            raise errors.ForeignDatabase(
                f"{path}: an SQLite database of another application (application_id {application_id:#x},"
                f" {objects} schema objects), expected a failure-lab queue or an empty file"
            )
        if version > LATEST:
            db.close()
            raise errors.SchemaTooNew(
                f"{path}: schema version {version} is newer than this queue's {LATEST}; upgrade python_impl"
            )
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if objects == 0:
            # Only a new file takes it (before WAL mode writes the header); an existing one keeps its own.
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        db.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode survives any process crash; only a power cut can lose the last commits.
        # OFF survives process crashes too, but a power cut may corrupt the file.
        db.execute(f"PRAGMA synchronous = {synchronous}")
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT}")
        SqliteStore._migrate(db)
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        while True:
            db.execute("BEGIN IMMEDIATE")
            try:
                # Re-read under the write lock: another process may have migrated meanwhile.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version >= LATEST:
                    db.execute("COMMIT")
                    return
                for statement in _statements(MIGRATIONS[version]):
                    db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {version + 1}")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def close(self) -> None:
        """Release the connection."""
        self._db.close()

    def start_journal(self) -> None:
        """Journal every change this store makes from now on, in commit order (``python_impl.journal``)."""
        journal.enable(self._db)

    def _write(self) -> _Transaction:
        return self._transaction

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN")
        try:
            yield self._db
        finally:
            self._db.execute("COMMIT")

    # -- jobs and the schedule -------------------------------------------------------------------------

    def add_job(self, job: Job, now: int, *, scheduled: bool) -> None:
        """Record a new job: in the schedule if ``scheduled``, else as a runnable unit at once."""
        if not scheduled:
            # One statement, atomic on its own: the hot path of every producer.
            try:
                added = self._db.execute(self._ADD_UNIT, (*self._unit_values(job, now), job.job_key)).rowcount
            except sqlite3.IntegrityError:
                raise self._duplicate(job) from None
            if added != 1:
                raise self._duplicate(job)
            return
        with self._write() as db:
            exists = db.execute(
                "SELECT 1 FROM schedule WHERE job_key = ? UNION ALL SELECT 1 FROM units WHERE job_key = ?",
                (job.job_key, job.job_key),
            ).fetchone()
            if exists:
                raise self._duplicate(job)
            checkpoint = db.execute("SELECT checkpoint FROM scanner").fetchone()[0]
            # A run due at or before the checkpoint would never be scanned again: it is runnable at once.
            if job.due_at > checkpoint:
                db.execute(
                    "INSERT INTO schedule (job_key, handler, payload, due_at) VALUES (?, ?, ?, ?)",
                    (job.job_key, job.handler, job.payload, job.due_at),
                )
            else:
                db.execute(self._ADD_UNIT, (*self._unit_values(job, now), job.job_key))

    @staticmethod
    def _duplicate(job: Job) -> errors.DuplicateJobKey:
        return errors.DuplicateJobKey(f"job key {job.job_key!r} is already enqueued or scheduled")

    _ADD_UNIT = (
        "INSERT INTO units (job_key, handler, payload, due_at, status, available_at, materialized_at)"
        " SELECT ?, ?, ?, ?, 'runnable', ?, ? WHERE NOT EXISTS (SELECT 1 FROM schedule WHERE job_key = ?)"
    )

    @staticmethod
    def _unit_values(job: Job, now: int) -> tuple[str, str, str, int, int, int]:
        return (job.job_key, job.handler, job.payload, job.due_at, max(now, job.due_at), now)

    def checkpoint(self) -> int:
        """The scanner's durable progress marker."""
        value: int = self._db.execute("SELECT checkpoint FROM scanner").fetchone()[0]
        return value

    def advance_checkpoint(self, to: int, *, first: int, last: int) -> list[str]:
        """Move the checkpoint to ``to`` unless runs due in ``first..last`` are outstanding; returns those."""
        with self._write() as db:
            # Checked in the same transaction as the write, so a run scheduled meanwhile cannot slip past.
            left = [
                key
                for (key,) in db.execute(
                    "SELECT job_key FROM schedule WHERE outstanding = 1 AND due_at BETWEEN ? AND ?"
                    " ORDER BY due_at, job_key",
                    (first, last),
                )
            ]
            if not left:
                db.execute("UPDATE scanner SET checkpoint = ?", (to,))
            return left

    def schedule_entry(self, job_key: str) -> ScheduleEntry | None:
        """One run of the schedule, or None."""
        row = self._db.execute(
            "SELECT job_key, due_at, outstanding FROM schedule WHERE job_key = ?", (job_key,)
        ).fetchone()
        return None if row is None else ScheduleEntry(row[0], row[1], bool(row[2]))

    def outstanding_between(self, first: int, last: int) -> list[ScheduleEntry]:
        """Outstanding runs due within ``first..last``, earliest first."""
        rows = self._db.execute(
            "SELECT job_key, due_at FROM schedule WHERE outstanding = 1 AND due_at BETWEEN ? AND ?"
            " ORDER BY due_at, job_key",
            (first, last),
        ).fetchall()
        return [ScheduleEntry(key, due, True) for key, due in rows]

    def take(self, job_key: str, *, unschedule: bool) -> None:
        """Mark an outstanding run taken: it leaves the schedule if ``unschedule``."""
        with self._write() as db:
            outstanding = db.execute(
                "SELECT outstanding FROM schedule WHERE job_key = ?", (job_key,)
            ).fetchone()
            if outstanding is None or not outstanding[0]:
                raise errors.NotScheduled(f"Scan({job_key}): not outstanding in the schedule")
            if unschedule:
                db.execute("UPDATE schedule SET outstanding = 0 WHERE job_key = ?", (job_key,))

    def materialize(self, job_key: str, now: int) -> None:
        """The durable write: the run's runnable unit exists (again, if it did)."""
        with self._write() as db:
            row = db.execute(
                "SELECT handler, payload, due_at FROM schedule WHERE job_key = ?", (job_key,)
            ).fetchone()
            if row is None:
                raise errors.NotScheduled(f"Materialize({job_key}): no such run in the schedule")
            # A second write of the same run is the duplicate-materialisation bug made visible:
            # the unit is runnable again and counts how often it was written.
            db.execute(
                "INSERT INTO units (job_key, handler, payload, due_at, status, available_at, materialized_at)"
                " VALUES (?, ?, ?, ?, 'runnable', ?, ?)"
                " ON CONFLICT (job_key) DO UPDATE SET status = 'runnable',"
                " available_at = excluded.available_at,"
                " materialized_at = excluded.materialized_at, materializations = materializations + 1",
                (job_key, row[0], row[1], row[2], now, now),
            )

    def taken_not_durable(self, after: int) -> list[str]:
        """Runs taken from the schedule, due after ``after``, whose unit was never written."""
        rows = self._db.execute(
            "SELECT s.job_key FROM schedule s LEFT JOIN units u ON u.job_key = s.job_key"
            " WHERE s.outstanding = 0 AND u.job_key IS NULL AND s.due_at > ? ORDER BY s.due_at, s.job_key",
            (after,),
        ).fetchall()
        return [key for (key,) in rows]

    # -- claims and attempts ---------------------------------------------------------------------------

    def claim(
        self,
        job_key: str,
        worker: str,
        now: int,
        *,
        lease_ttl: int,
        exclusive: bool,
        max_attempts: int,
        reclaim: bool = True,
    ) -> Attempt:
        """Grant ``worker`` the claim on one unit by a conditional write, opening a new epoch."""
        with self._write() as db:
            self._refuse_busy(db, worker)
            return self._claim(db, job_key, worker, now, lease_ttl, exclusive, max_attempts, reclaim)

    def claim_next(
        self,
        worker: str,
        now: int,
        *,
        lease_ttl: int,
        exclusive: bool,
        max_attempts: int,
        reclaim: bool = True,
    ) -> Attempt | None:
        """Claim the oldest claimable unit, dead-lettering expired ones whose budget is spent."""
        # An idle worker polls: look without the write lock first, so polling never blocks the others.
        candidate = self._db.execute(
            f"SELECT 1 FROM units WHERE ({self._statuses(exclusive)} AND available_at <= ?)"
            " OR (status = 'claimed' AND lease_until <= ?) LIMIT 1",
            (now, now),
        ).fetchone()
        if candidate is None:
            return None
        with self._write() as db:
            self._refuse_busy(db, worker)
            return self._claim_next(db, worker, now, lease_ttl, exclusive, max_attempts, reclaim)

    @staticmethod
    def _statuses(exclusive: bool) -> str:
        # Equality, not IN, so that SQLite can use the partial index of runnable units.
        return "status = 'runnable'" if exclusive else "status IN ('runnable', 'claimed')"

    @staticmethod
    def _claim_next(
        db: _Sql,
        worker: str,
        now: int,
        lease_ttl: int,
        exclusive: bool,
        max_attempts: int,
        reclaim: bool = True,
    ) -> Attempt | None:
        if exclusive:
            # The usual case in two statements: the oldest runnable unit, read with whether a lease is
            # live on it and whether an expired claim is older, then (neither) the compare-and-set on
            # its row. Anything else (an older expired claim, a live lease, nothing ready) takes the
            # loop below, which reads again and decides as it always did.
            ready = db.execute(SqliteStore._READY, (now, max_attempts, reclaim)).fetchone()
            if ready is not None:
                rowid, job_key, epoch, budget_base, lease_until, older_expired, handler, payload = ready
                if (
                    lease_until <= now
                    and not older_expired
                    and db.execute(
                        "UPDATE units SET status = 'claimed', epoch = ?, lease_until = ?"
                        " WHERE rowid = ? AND epoch = ? AND status = 'runnable'",
                        (epoch + 1, now + lease_ttl, rowid, epoch),
                    ).rowcount
                ):
                    return SqliteStore._claimed(
                        db, job_key, epoch + 1, worker, now, lease_ttl, handler, payload, budget_base
                    )
        while True:
            # Runnable units in the order they became available, expired claims in the order their
            # leases ran out: whichever came first, so a reclaim never starves behind a backlog.
            ready = db.execute(
                f"SELECT {SqliteStore._UNIT_ROW}, available_at FROM units"
                f" WHERE {SqliteStore._statuses(exclusive)}"
                " AND available_at <= ? AND epoch - budget_base < ?"
                " ORDER BY available_at, job_key LIMIT 1",
                (now, max_attempts),
            ).fetchone()
            expired = (
                db.execute(
                    f"SELECT {SqliteStore._UNIT_ROW}, lease_until FROM units WHERE status = 'claimed'"
                    " AND lease_until <= ? ORDER BY lease_until, job_key LIMIT 1",
                    (now,),
                ).fetchone()
                if reclaim
                else None
            )
            if expired is not None and (ready is None or expired[-1] < ready[-1]):
                used = expired[2] - expired[3]
                if used >= max_attempts:
                    db.execute(
                        "UPDATE units SET status = 'dead', dead_reason = ?, lease_ended = 'expired'"
                        " WHERE job_key = ?",
                        (f"lease expired on attempt {used} of {max_attempts}", expired[0]),
                    )
                    db.execute("DELETE FROM claimers WHERE job_key = ?", (expired[0],))
                    continue
                ready = expired
            if ready is None:
                return None
            return SqliteStore._claim_row(
                db, ready[:-1], worker, now, lease_ttl, exclusive, max_attempts, reclaim
            )

    _UNIT_ROW = "job_key, status, epoch, budget_base, lease_until, handler, payload, available_at"

    _READY = (
        "SELECT rowid, job_key, epoch, budget_base, lease_until,"
        " ?3 AND EXISTS (SELECT 1 FROM units x WHERE x.status = 'claimed' AND x.lease_until <= ?1"
        "                AND x.lease_until < units.available_at),"
        " handler, payload"
        " FROM units WHERE status = 'runnable' AND available_at <= ?1 AND epoch - budget_base < ?2"
        " ORDER BY available_at, job_key LIMIT 1"
    )

    @staticmethod
    def _claimed(
        db: _Sql,
        job_key: str,
        epoch: int,
        worker: str,
        now: int,
        lease_ttl: int,
        handler: str,
        payload: str,
        budget_base: int,
    ) -> Attempt:
        """The claimers and the attempt of a claim whose unit had no live lease: nobody joins it."""
        if epoch > 1:  # the claimers of a lease that ran out lose their claim
            db.execute("DELETE FROM claimers WHERE job_key = ?", (job_key,))
        db.execute("INSERT OR IGNORE INTO claimers (job_key, worker) VALUES (?, ?)", (job_key, worker))
        attempt_id = db.execute(
            "INSERT INTO attempts (job_key, worker, epoch, claimed_at) VALUES (?, ?, ?, ?)",
            (job_key, worker, epoch, now),
        ).lastrowid
        assert attempt_id is not None
        return Attempt(attempt_id, job_key, worker, epoch, now + lease_ttl, handler, payload, budget_base)

    @staticmethod
    def _refuse_busy(db: sqlite3.Connection, worker: str) -> None:
        held = db.execute(
            "SELECT job_key, epoch FROM attempts WHERE worker = ? AND state = 'held'", (worker,)
        ).fetchone()
        if held is not None:
            raise errors.WorkerBusy(f"Claim by {worker}: it still holds {held[0]} at epoch {held[1]}")

    @staticmethod
    def _claim(
        db: sqlite3.Connection,
        job_key: str,
        worker: str,
        now: int,
        lease_ttl: int,
        exclusive: bool,
        max_attempts: int,
        reclaim: bool = True,
    ) -> Attempt:
        row = db.execute(
            f"SELECT {SqliteStore._UNIT_ROW} FROM units WHERE job_key = ?", (job_key,)
        ).fetchone()
        if row is None:
            raise errors.NotClaimable(f"Claim({worker}, {job_key}): no runnable unit")
        return SqliteStore._claim_row(db, row, worker, now, lease_ttl, exclusive, max_attempts, reclaim)

    @staticmethod
    def _claim_row(
        db: _Sql,
        row: tuple[Any, ...],
        worker: str,
        now: int,
        lease_ttl: int,
        exclusive: bool,
        max_attempts: int,
        reclaim: bool = True,
    ) -> Attempt:
        job_key = row[0]
        _, status, epoch, budget_base, lease_until, handler, payload, available_at = row
        if status == "dead":
            # Only a spent budget dead-letters a job: the budget is what keeps it from being retried.
            raise errors.NotClaimable(f"Claim({worker}, {job_key}): the unit is dead", guard="retry_budget")
        if status not in ("runnable", "claimed"):
            raise errors.NotClaimable(f"Claim({worker}, {job_key}): the unit is {status}")
        if available_at > now:
            raise errors.NotClaimable(f"Claim({worker}, {job_key}): backing off until {available_at}")
        if epoch - budget_base >= max_attempts:
            raise errors.BudgetExhausted(
                f"Claim({worker}, {job_key}): {epoch - budget_base} of {max_attempts} attempts used"
            )
        # LiveClaimers(r): a lease that has run out (now >= leaseUntil) revokes every claimer.
        live = lease_until > now
        if status == "claimed" and not live and not reclaim:
            raise errors.NotClaimable(
                f"Claim({worker}, {job_key}): its lease ran out at {lease_until}, and nothing reclaims it",
                guard="reclaim_expired",
            )
        live_claimers = (
            [w for (w,) in db.execute("SELECT worker FROM claimers WHERE job_key = ?", (job_key,))]
            if live
            else []
        )
        if exclusive and live_claimers:
            raise errors.ClaimRefused(
                f"Claim({worker}, {job_key}): held by {', '.join(sorted(live_claimers))} until {lease_until}"
            )
        # The compare-and-set: only the epoch we read may be bumped, and (exclusive) only with no live
        # claimer, so a backend without our write lock gets the same answer from this one statement.
        changed = db.execute(
            "UPDATE units SET status = 'claimed', epoch = epoch + 1, lease_until = :until"
            " WHERE job_key = :key AND epoch = :epoch AND status IN ('runnable', 'claimed')"
            " AND (:shared OR lease_until <= :now"
            "      OR NOT EXISTS (SELECT 1 FROM claimers c WHERE c.job_key = :key))",
            {"until": now + lease_ttl, "key": job_key, "epoch": epoch, "shared": not exclusive, "now": now},
        ).rowcount
        if changed != 1:
            raise errors.ClaimRefused(
                f"Claim({worker}, {job_key}): lost the compare-and-set on epoch {epoch}"
            )
        if not live and epoch > 0:  # a unit never claimed has no claimers to revoke
            db.execute("DELETE FROM claimers WHERE job_key = ?", (job_key,))
        db.execute("INSERT OR IGNORE INTO claimers (job_key, worker) VALUES (?, ?)", (job_key, worker))
        attempt_id = db.execute(
            "INSERT INTO attempts (job_key, worker, epoch, claimed_at, joined_live) VALUES (?, ?, ?, ?, ?)",
            (job_key, worker, epoch + 1, now, 1 if live_claimers else 0),
        ).lastrowid
        assert attempt_id is not None
        return Attempt(attempt_id, job_key, worker, epoch + 1, now + lease_ttl, handler, payload, budget_base)

    @staticmethod
    def _held(
        db: sqlite3.Connection, attempt: Attempt, step: str, *, count_effects: bool = False
    ) -> tuple[UnitStatus, int, int]:
        """The unit's status and epoch (and committed effects) if the attempt is still held, else refuse."""
        effects = "(SELECT count(*) FROM effects e WHERE e.job_key = u.job_key)" if count_effects else "0"
        row = db.execute(
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

    def commit_effect(
        self,
        attempt: Attempt,
        now: int,
        *,
        idempotent: bool,
        already_applied: Callable[[str], bool],
        apply: Callable[[], None],
        at: FaultHook,
        complete: bool = False,
        fenced: bool = True,
        then_claim: ClaimNext | None = None,
        stable_key: bool = True,
    ) -> Committed:
        """The commit boundary: apply the external effect and record it in the ledger, atomically fenced."""
        key = attempt.job_key
        with self._write() as db:
            hot = self._cursor
            if (
                complete
                and idempotent
                and fenced
                and stable_key
                and hot.execute(self._COMPLETE_FENCED, (key, attempt.epoch, attempt.attempt_id)).rowcount
            ):
                return self._commit_completed(hot, attempt, now, already_applied, apply, at, then_claim)
            # The fenced write refused, or a guard is off: read why, and refuse or go the long way.
            status, epoch, committed = self._held(db, attempt, "Commit", count_effects=True)
            if not stable_key:
                # Keyed by attempt: only this attempt's own effect counts, so a retry's looks new.
                committed = db.execute(
                    "SELECT count(*) FROM effects WHERE job_key = ? AND epoch = ?", (key, attempt.epoch)
                ).fetchone()[0]
            if idempotent:
                if epoch != attempt.epoch:
                    raise errors.StaleEpoch(
                        f"Commit({attempt.worker}): {key} is at epoch {epoch},"
                        f" the attempt holds {attempt.epoch}",
                        guard="idempotent_commit",
                    )
                if status != "claimed":
                    raise errors.NotClaimable(f"Commit({attempt.worker}): {key} is {status}")
                if committed and stable_key:
                    earlier = db.execute(
                        "SELECT min(epoch) FROM effects WHERE job_key = ?", (key,)
                    ).fetchone()[0]
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
                # An earlier attempt may have died between applying the effect and committing it; the
                # external system is the truth for that one case, so ask it before applying again.
                if stable_key and epoch > 1 and already_applied(key):
                    db.execute(
                        "INSERT INTO effects (job_key, epoch, worker, committed_at, how)"
                        " VALUES (?, ?, ?, ?, 'reconciled')",
                        (key, attempt.epoch, attempt.worker, now),
                    )
                    return self._finish(
                        db, attempt, "reconciled", complete, status, epoch, fenced, now, then_claim
                    )
            at(FaultPoint.BEFORE_EFFECT)
            apply()
            at(FaultPoint.AFTER_EFFECT)
            db.execute(
                "INSERT INTO effects (job_key, epoch, worker, committed_at, how)"
                " VALUES (?, ?, ?, ?, 'applied')",
                (key, attempt.epoch, attempt.worker, now),
            )
            # One transaction for the effect's record and the completion: no window between them to crash in.
            return self._finish(db, attempt, "applied", complete, status, epoch, fenced, now, then_claim)

    _COMPLETE_FENCED = (
        # Every check of the commit boundary with its guards on, as one conditional write: the
        # attempt is still held, its epoch is the unit's, the unit is claimed, and the job key has
        # no committed effect yet. Completing first is safe: the transaction is all or nothing.
        "UPDATE units SET status = 'completed', completed_epoch = epoch"
        " WHERE job_key = ?1 AND epoch = ?2 AND status = 'claimed'"
        " AND NOT EXISTS (SELECT 1 FROM effects WHERE job_key = ?1)"
        " AND EXISTS (SELECT 1 FROM attempts WHERE id = ?3 AND job_key = ?1 AND state = 'held')"
    )

    @staticmethod
    def _commit_completed(
        db: _Sql,
        attempt: Attempt,
        now: int,
        already_applied: Callable[[str], bool],
        apply: Callable[[], None],
        at: FaultHook,
        then_claim: ClaimNext | None,
    ) -> Committed:
        """The rest of a commit whose fenced completion went through: the effect, its ledger row, the
        attempt's release and (``then_claim``) the worker's next claim, all in the same transaction."""
        how: Literal["applied", "reconciled"] = "applied"
        # An earlier attempt may have died between applying the effect and committing it; the
        # external system is the truth for that one case, so ask it before applying again.
        if attempt.epoch > 1 and already_applied(attempt.job_key):
            how = "reconciled"
        else:
            at(FaultPoint.BEFORE_EFFECT)
            apply()
            at(FaultPoint.AFTER_EFFECT)
        db.execute(
            "INSERT INTO effects (job_key, epoch, worker, committed_at, how) VALUES (?, ?, ?, ?, ?)",
            (attempt.job_key, attempt.epoch, attempt.worker, now, how),
        )
        SqliteStore._release(db, attempt, "completed")
        if then_claim is None:
            return Committed(how, True)
        return Committed(how, True, SqliteStore._claim_following(db, attempt, now, then_claim))

    @staticmethod
    def _finish(
        db: sqlite3.Connection,
        attempt: Attempt,
        how: Literal["applied", "reconciled"],
        complete: bool,
        status: str,
        epoch: int,
        fenced: bool,
        now: int,
        then_claim: ClaimNext | None,
    ) -> Committed:
        completed = complete and SqliteStore._complete(db, attempt, status, epoch, fenced)
        if not completed or then_claim is None:
            return Committed(how, completed)
        return Committed(how, True, SqliteStore._claim_following(db, attempt, now, then_claim))

    @staticmethod
    def _claim_following(db: _Sql, attempt: Attempt, now: int, then_claim: ClaimNext) -> Attempt | None:
        # The worker is free now: its next claim rides on this transaction instead of opening another.
        return SqliteStore._claim_next(
            db,
            attempt.worker,
            now,
            then_claim.lease_ttl,
            then_claim.exclusive,
            then_claim.max_attempts,
            then_claim.reclaim,
        )

    @staticmethod
    def _complete(db: sqlite3.Connection, attempt: Attempt, status: str, epoch: int, fenced: bool) -> bool:
        """Complete in the commit's transaction if ``Complete`` would accept it, else leave it be."""
        if status != "claimed" or (fenced and epoch != attempt.epoch):
            return False
        db.execute(
            "UPDATE units SET status = 'completed', completed_epoch = ? WHERE job_key = ?",
            (attempt.epoch, attempt.job_key),
        )
        SqliteStore._release(db, attempt, "completed")
        return True

    def complete(self, attempt: Attempt, *, fenced: bool) -> None:
        """Accept the attempt's completion; fenced by the epoch if ``fenced``."""
        with self._write() as db:
            status, epoch, _ = self._held(db, attempt, "Complete")
            if fenced and epoch != attempt.epoch:
                raise errors.StaleEpoch(
                    f"Complete({attempt.worker}): {attempt.job_key} is at epoch {epoch},"
                    f" the attempt holds {attempt.epoch}"
                )
            if status != "claimed":
                raise errors.NotClaimable(
                    f"Complete({attempt.worker}): {attempt.job_key} is {status}", guard='unit[r] = "claimed"'
                )
            db.execute(
                "UPDATE units SET status = 'completed', completed_epoch = ? WHERE job_key = ?",
                (attempt.epoch, attempt.job_key),
            )
            self._release(db, attempt, "completed")

    @staticmethod
    def _release(db: _Sql, attempt: Attempt, state: Literal["completed", "failed", "dropped"]) -> None:
        db.execute("DELETE FROM claimers WHERE job_key = ? AND worker = ?", (attempt.job_key, attempt.worker))
        db.execute("UPDATE attempts SET state = ? WHERE id = ?", (state, attempt.attempt_id))

    def reject_stale(self, attempt: Attempt, *, fenced: bool) -> None:
        """Refuse a stale attempt for good: the worker drops it and leaves the claimers."""
        with self._write() as db:
            _, epoch, _ = self._held(db, attempt, "RejectStale")
            # Without the fence nothing is ever stale to the store, exactly as ~TRUE never holds in the model.
            if not fenced or epoch == attempt.epoch:
                raise errors.NotStale(
                    f"RejectStale({attempt.worker}): {attempt.job_key}@{attempt.epoch} is current, not stale"
                )
            self._release(db, attempt, "dropped")

    def drop(self, attempt: Attempt) -> None:
        """The worker gives up its attempt; the unit stays as it is, its lease runs out."""
        with self._write() as db:
            self._held(db, attempt, "Drop")
            self._release(db, attempt, "dropped")

    def fail(
        self, attempt: Attempt, now: int, *, error: str, retry_at: int | None, dead_reason: str, fenced: bool
    ) -> None:
        """Record a failed attempt: back to runnable at ``retry_at``, or dead letter if None."""
        with self._write() as db:
            status, epoch, _ = self._held(db, attempt, "Fail")
            if fenced and epoch != attempt.epoch:
                raise errors.StaleEpoch(
                    f"Fail({attempt.worker}): {attempt.job_key} is at epoch {epoch}, the attempt holds"
                    f" {attempt.epoch}",
                    guard="fence_every_write",
                )
            if status != "claimed":
                raise errors.NotClaimable(f"Fail({attempt.worker}): {attempt.job_key} is {status}")
            if retry_at is None:
                db.execute(
                    "UPDATE units SET status = 'dead', last_error = ?, dead_reason = ?,"
                    " lease_ended = 'returned' WHERE job_key = ?",
                    (error, dead_reason, attempt.job_key),
                )
            else:
                db.execute(
                    "UPDATE units SET status = 'runnable', last_error = ?, available_at = ?,"
                    " lease_ended = 'returned'"
                    " WHERE job_key = ?",
                    (error, retry_at, attempt.job_key),
                )
            self._release(db, attempt, "failed")

    # -- the operator ----------------------------------------------------------------------------------

    _RECORD = (
        "SELECT u.job_key, u.handler, u.payload, u.status, u.due_at, u.epoch, u.epoch - u.budget_base,"
        " u.last_error, u.dead_reason, (SELECT count(*) FROM effects e WHERE e.job_key = u.job_key)"
        " FROM units u"
    )

    def job(self, job_key: str) -> JobRecord:
        """One job as an operator sees it."""
        with self._read() as db:
            row = db.execute(f"{self._RECORD} WHERE u.job_key = ?", (job_key,)).fetchone()
            if row is not None:
                return JobRecord(*row)
            entry = db.execute(
                "SELECT handler, payload, due_at, outstanding FROM schedule WHERE job_key = ?", (job_key,)
            ).fetchone()
        if entry is None:
            raise errors.UnknownJob(f"no job with key {job_key!r}")
        status: Literal["scheduled", "taken"] = "scheduled" if entry[3] else "taken"
        return JobRecord(job_key, entry[0], entry[1], status, entry[2], 0, 0, None, None, 0)

    def dead_letters(self) -> list[JobRecord]:
        """Every dead-lettered job, oldest first."""
        with self._read() as db:
            rows = db.execute(
                f"{self._RECORD} WHERE u.status = 'dead' ORDER BY u.due_at, u.job_key"
            ).fetchall()
        return [JobRecord(*row) for row in rows]

    def requeue(self, job_key: str, now: int) -> None:
        """Give a dead-lettered job a fresh attempt budget and make it runnable now."""
        with self._write() as db:
            row = db.execute("SELECT status FROM units WHERE job_key = ?", (job_key,)).fetchone()
            if row is None:
                raise errors.UnknownJob(f"no runnable unit with key {job_key!r}")
            if row[0] != "dead":
                raise errors.BadInput(f"job {job_key!r} is {row[0]}, only a dead letter can be re-enqueued")
            db.execute(
                "UPDATE units SET status = 'runnable', budget_base = epoch, available_at = ?,"
                " dead_reason = NULL WHERE job_key = ?",
                (now, job_key),
            )

    # -- inspection ------------------------------------------------------------------------------------

    def state(self) -> StoreState:
        """A consistent read of everything the models describe."""
        with self._read() as db:
            schedule = tuple(
                ScheduleEntry(key, due, bool(outstanding))
                for key, due, outstanding in db.execute(
                    "SELECT job_key, due_at, outstanding FROM schedule ORDER BY due_at, job_key"
                )
            )
            checkpoint: int = db.execute("SELECT checkpoint FROM scanner").fetchone()[0]
            units = SqliteStore._units(db)
            held = {
                worker: HeldAttempt(key, epoch)
                for worker, key, epoch in db.execute(
                    "SELECT worker, job_key, epoch FROM attempts WHERE state = 'held' ORDER BY id"
                )
            }
            effects = dict(
                db.execute("SELECT job_key, count(*) FROM effects GROUP BY job_key ORDER BY job_key")
            )
            attempts, double_claims = db.execute(
                "SELECT count(*), coalesce(sum(joined_live), 0) FROM attempts"
            ).fetchone()
        return StoreState(schedule, checkpoint, units, held, effects, double_claims, attempts)

    def units(self) -> dict[str, Unit]:
        """Every unit, as ``state`` reads them, without the rest of the state."""
        with self._read() as db:
            return SqliteStore._units(db)

    @staticmethod
    def _units(db: sqlite3.Connection) -> dict[str, Unit]:
        claimers: dict[str, set[str]] = {}
        for key, worker in db.execute("SELECT job_key, worker FROM claimers"):
            claimers.setdefault(key, set()).add(worker)
        return {
            key: Unit(
                key,
                status,
                epoch,
                until,
                done,
                due,
                made,
                times,
                frozenset(claimers.get(key, ())),
                base,
                ended,
            )
            for key, status, epoch, until, done, due, made, times, base, ended in db.execute(
                "SELECT job_key, status, epoch, lease_until, completed_epoch, due_at, materialized_at,"
                " materializations, budget_base, lease_ended FROM units ORDER BY job_key"
            )
        }

    # -- recovery (python_impl.recovery): each repairs one invariant in one transaction ---------------

    def ledger(self) -> list[LedgerEntry]:
        """Every committed effect, oldest first."""
        rows = self._db.execute("SELECT id, job_key, epoch, worker FROM effects ORDER BY id").fetchall()
        return [LedgerEntry(*row) for row in rows]

    def duplicate_effects(self) -> list[LedgerEntry]:
        """Every committed effect after the first of its job key, oldest first."""
        rows = self._db.execute(
            "SELECT e.id, e.job_key, e.epoch, e.worker FROM effects e"
            " WHERE EXISTS (SELECT 1 FROM effects f WHERE f.job_key = e.job_key AND f.id < e.id)"
            " ORDER BY e.id"
        ).fetchall()
        return [LedgerEntry(*row) for row in rows]

    def compensate(self, entry: LedgerEntry, now: int, *, apply: Callable[[], None]) -> None:
        """Apply the compensation of a duplicate effect and move its ledger row to the compensations."""
        with self._write() as db:
            row = db.execute(
                "SELECT committed_at FROM effects WHERE id = ? AND job_key = ?",
                (entry.effect_id, entry.job_key),
            ).fetchone()
            if row is None:
                raise errors.BadInput(f"no committed effect {entry.effect_id} for {entry.job_key!r}")
            # Inside the transaction, as the commit boundary applies effects: a crash before COMMIT
            # leaves the row in the ledger and the next recovery refunds again, so the external system
            # must key compensations by the effect id the compensation carries.
            apply()
            db.execute(
                "INSERT INTO compensations (effect_id, job_key, epoch, worker, committed_at, compensated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (entry.effect_id, entry.job_key, entry.epoch, entry.worker, row[0], now),
            )
            db.execute("DELETE FROM effects WHERE id = ?", (entry.effect_id,))

    def reopen_stale_completions(self) -> list[str]:
        """Units completed by a stale epoch go back to the current attempt (claimed) or to runnable."""
        with self._write() as db:
            keys = [
                key
                for (key,) in db.execute(
                    "SELECT job_key FROM units WHERE status = 'completed' AND completed_epoch != epoch"
                    " ORDER BY job_key"
                )
            ]
            for key in keys:
                current = db.execute(
                    "SELECT 1 FROM attempts a JOIN units u ON u.job_key = a.job_key"
                    " WHERE a.job_key = ? AND a.epoch = u.epoch AND a.state = 'held'",
                    (key,),
                ).fetchone()
                # The current attempt finishes the run through the fence; with none, the run runs again.
                db.execute(
                    "UPDATE units SET status = ?, completed_epoch = 0, available_at = lease_until"
                    " WHERE job_key = ?",
                    ("claimed" if current else "runnable", key),
                )
            return keys

    def revoke_stale_claimers(self) -> list[str]:
        """Every claimer but the current epoch's loses its claim and its attempt; returns the units fixed."""
        with self._write() as db:
            keys = [
                key
                for (key,) in db.execute(
                    "SELECT job_key FROM claimers GROUP BY job_key HAVING count(*) > 1 ORDER BY job_key"
                )
            ]
            for key in keys:
                db.execute(
                    "UPDATE attempts SET state = 'dropped' WHERE job_key = ? AND state = 'held'"
                    " AND epoch < (SELECT epoch FROM units WHERE job_key = ?)",
                    (key, key),
                )
                db.execute(
                    "DELETE FROM claimers WHERE job_key = ? AND worker NOT IN"
                    " (SELECT a.worker FROM attempts a JOIN units u ON u.job_key = a.job_key"
                    "  WHERE a.job_key = ? AND a.epoch = u.epoch AND a.state = 'held')",
                    (key, key),
                )
            return keys

    def retract_early(self, now: int) -> list[str]:
        """Units not yet due and not completed go back into the schedule as outstanding runs."""
        with self._write() as db:
            keys = [
                key
                for (key,) in db.execute(
                    "SELECT u.job_key FROM units u JOIN schedule s ON s.job_key = u.job_key"
                    " WHERE u.due_at > ? AND u.status IN ('runnable', 'claimed') ORDER BY u.job_key",
                    (now,),
                )
            ]
            for key in keys:
                db.execute(
                    "UPDATE attempts SET state = 'dropped' WHERE job_key = ? AND state = 'held'", (key,)
                )
                db.execute("DELETE FROM claimers WHERE job_key = ?", (key,))
                db.execute("DELETE FROM units WHERE job_key = ?", (key,))
                db.execute("UPDATE schedule SET outstanding = 1 WHERE job_key = ?", (key,))
            return keys

    def unschedule_materialized(self) -> list[str]:
        """Outstanding schedule entries of runs that already have a unit leave the schedule."""
        with self._write() as db:
            keys = [
                key
                for (key,) in db.execute(
                    "SELECT s.job_key FROM schedule s JOIN units u ON u.job_key = s.job_key"
                    " WHERE s.outstanding = 1 ORDER BY s.job_key"
                )
            ]
            db.executemany("UPDATE schedule SET outstanding = 0 WHERE job_key = ?", [(k,) for k in keys])
            return keys

    def lost_runs(self) -> list[str]:
        """Runs that left the schedule at or before the checkpoint and never got a unit."""
        rows = self._db.execute(
            "SELECT s.job_key FROM schedule s LEFT JOIN units u ON u.job_key = s.job_key"
            " WHERE s.outstanding = 0 AND u.job_key IS NULL"
            " AND s.due_at <= (SELECT checkpoint FROM scanner) ORDER BY s.due_at, s.job_key"
        ).fetchall()
        return [key for (key,) in rows]

    def dead_letter_over_budget(self, max_attempts: int) -> list[str]:
        """Jobs retried past ``max_attempts`` are dead-lettered with the reason; returns them."""
        with self._write() as db:
            # A runnable job with its budget used would be retried again; a claimed one only once past it.
            rows = db.execute(
                "SELECT job_key, epoch - budget_base FROM units WHERE"
                " (status = 'runnable' AND epoch - budget_base >= ?)"
                " OR (status = 'claimed' AND epoch - budget_base > ?) ORDER BY job_key",
                (max_attempts, max_attempts),
            ).fetchall()
            for key, used in rows:
                db.execute(
                    "UPDATE units SET status = 'dead', dead_reason = ? WHERE job_key = ?",
                    (f"retried {used} times, past its budget of {max_attempts}", key),
                )
                db.execute(
                    "UPDATE attempts SET state = 'dropped' WHERE job_key = ? AND state = 'held'", (key,)
                )
                db.execute("DELETE FROM claimers WHERE job_key = ?", (key,))
            return [key for key, _ in rows]

    def release_expired(self, now: int, max_attempts: int) -> list[str]:
        """Claims whose lease ran out become runnable again, or dead letters once their budget is spent."""
        with self._write() as db:
            rows = db.execute(
                "SELECT job_key, epoch - budget_base FROM units WHERE status = 'claimed' AND lease_until <= ?"
                " ORDER BY job_key",
                (now,),
            ).fetchall()
            for key, used in rows:
                if used >= max_attempts:
                    db.execute(
                        "UPDATE units SET status = 'dead', dead_reason = ?, lease_ended = 'expired'"
                        " WHERE job_key = ?",
                        (f"lease expired on attempt {used} of {max_attempts}", key),
                    )
                else:
                    db.execute(
                        "UPDATE units SET status = 'runnable', available_at = ?, lease_ended = 'expired'"
                        " WHERE job_key = ?",
                        (now, key),
                    )
                db.execute("DELETE FROM claimers WHERE job_key = ?", (key,))
            return [key for key, _ in rows]

    def abandon(self, worker: str) -> list[str]:
        """A worker restarting under its old name: what it held is abandoned, but the claims and leases
        stay until the leases run out, since nobody knows how far its handlers got; returns the jobs."""
        with self._write() as db:
            keys = [
                key
                for (key,) in db.execute(
                    "SELECT job_key FROM attempts WHERE worker = ? AND state = 'held' ORDER BY id", (worker,)
                )
            ]
            db.execute("UPDATE attempts SET state = 'dropped' WHERE worker = ? AND state = 'held'", (worker,))
            return keys

    def expire_lease(self, job_key: str, now: int) -> bool:
        """Fault: the live lease on ``job_key`` runs out at ``now``, and no other; whether there was one."""
        with self._write() as db:
            changed = db.execute(
                "UPDATE units SET lease_until = ?"
                " WHERE job_key = ? AND status = 'claimed' AND lease_until > ?",
                (now, job_key, now),
            ).rowcount
            return changed == 1

    def return_to_holders(self, now: int) -> list[str]:
        """Jobs taken from the attempt holding their current epoch under a live lease go back to it."""
        with self._write() as db:
            keys = [
                key
                for (key,) in db.execute(
                    "SELECT u.job_key FROM units u JOIN attempts a ON a.job_key = u.job_key"
                    " WHERE a.state = 'held' AND a.epoch = u.epoch AND u.lease_until > ?"
                    " AND u.status IN ('runnable', 'dead') ORDER BY u.job_key",
                    (now,),
                )
            ]
            db.executemany(
                "UPDATE units SET status = 'claimed', dead_reason = NULL WHERE job_key = ?",
                [(k,) for k in keys],
            )
            return keys

    def overdue_scheduled(self) -> list[str]:
        """Runs still outstanding in the schedule that are due at or before the checkpoint."""
        rows = self._db.execute(
            "SELECT job_key FROM schedule WHERE outstanding = 1"
            " AND due_at <= (SELECT checkpoint FROM scanner) ORDER BY due_at, job_key"
        ).fetchall()
        return [key for (key,) in rows]
