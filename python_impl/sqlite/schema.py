"""The SQLite schema as numbered migrations; a database records the last one applied in ``user_version``."""

from __future__ import annotations

# "FLQ1" in the file header: tells our databases from anybody else's before we write a byte.
APPLICATION_ID = 0x464C5131

MIGRATIONS: tuple[str, ...] = (
    # 1: the source schedule, the scanner's checkpoint, runnable units, claims, attempts, the effect ledger.
    # Units are indexed only while runnable or claimed: the completed many cost no index writes.
    """
    CREATE TABLE schedule (
        job_key     TEXT PRIMARY KEY,
        handler     TEXT NOT NULL,
        payload     TEXT NOT NULL,
        due_at      INTEGER NOT NULL,
        outstanding INTEGER NOT NULL DEFAULT 1 CHECK (outstanding IN (0, 1))
    );
    CREATE INDEX schedule_due ON schedule (outstanding, due_at);
    CREATE TABLE scanner (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        checkpoint INTEGER NOT NULL
    );
    INSERT INTO scanner (id, checkpoint) VALUES (1, 0);
    CREATE TABLE units (
        job_key          TEXT PRIMARY KEY,
        handler          TEXT NOT NULL,
        payload          TEXT NOT NULL,
        due_at           INTEGER NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('runnable', 'claimed', 'completed', 'dead')),
        epoch            INTEGER NOT NULL DEFAULT 0,
        budget_base      INTEGER NOT NULL DEFAULT 0,
        lease_until      INTEGER NOT NULL DEFAULT 0,
        completed_epoch  INTEGER NOT NULL DEFAULT 0,
        available_at     INTEGER NOT NULL,
        materialized_at  INTEGER NOT NULL,
        materializations INTEGER NOT NULL DEFAULT 1,
        last_error       TEXT,
        dead_reason      TEXT
    );
    CREATE INDEX units_ready ON units (available_at, job_key) WHERE status = 'runnable';
    CREATE INDEX units_lease ON units (lease_until, job_key) WHERE status = 'claimed';
    CREATE TABLE claimers (
        job_key TEXT NOT NULL,
        worker  TEXT NOT NULL,
        PRIMARY KEY (job_key, worker)
    ) WITHOUT ROWID;
    CREATE TABLE attempts (
        id          INTEGER PRIMARY KEY,
        job_key     TEXT NOT NULL,
        worker      TEXT NOT NULL,
        epoch       INTEGER NOT NULL,
        claimed_at  INTEGER NOT NULL,
        joined_live INTEGER NOT NULL DEFAULT 0,
        state       TEXT NOT NULL DEFAULT 'held'
                    CHECK (state IN ('held', 'completed', 'failed', 'dropped'))
    );
    CREATE INDEX attempts_held ON attempts (worker) WHERE state = 'held';
    CREATE TABLE effects (
        id           INTEGER PRIMARY KEY,
        job_key      TEXT NOT NULL,
        epoch        INTEGER NOT NULL,
        worker       TEXT NOT NULL,
        committed_at INTEGER NOT NULL,
        how          TEXT NOT NULL CHECK (how IN ('applied', 'reconciled'))
    );
    CREATE INDEX effects_key ON effects (job_key);
    """,
    # 2: compensated effects. Recovery from a duplicate effect (INV_001) moves the duplicate's ledger
    # row here, beside the compensating effect it applied, so the ledger counts one effect per key again
    # and the audit trail keeps both.
    """
    CREATE TABLE compensations (
        id             INTEGER PRIMARY KEY,
        effect_id      INTEGER NOT NULL,
        job_key        TEXT NOT NULL,
        epoch          INTEGER NOT NULL,
        worker         TEXT NOT NULL,
        committed_at   INTEGER NOT NULL,
        compensated_at INTEGER NOT NULL
    );
    """,
    # 3: how a claim ended when it did not complete: given back by a failure report, or run out. The
    # models tell a job whose lease ran out from one whose attempt failed; so does the operator.
    """
    ALTER TABLE units ADD COLUMN lease_ended TEXT CHECK (lease_ended IN ('returned', 'expired'));
    """,
    # 4: the same CHECKs on units and attempts, written as OR chains. SQLite evaluates an IN list of
    # three or more values by building a temporary table on every write (four times a job); an OR
    # chain of equalities costs next to nothing, so every writer, this queue included, keeps them.
    """
    CREATE TABLE units_v4 (
        job_key          TEXT PRIMARY KEY,
        handler          TEXT NOT NULL,
        payload          TEXT NOT NULL,
        due_at           INTEGER NOT NULL,
        status           TEXT NOT NULL CHECK (
                             status = 'runnable' OR status = 'claimed'
                             OR status = 'completed' OR status = 'dead'
                         ),
        epoch            INTEGER NOT NULL DEFAULT 0,
        budget_base      INTEGER NOT NULL DEFAULT 0,
        lease_until      INTEGER NOT NULL DEFAULT 0,
        completed_epoch  INTEGER NOT NULL DEFAULT 0,
        available_at     INTEGER NOT NULL,
        materialized_at  INTEGER NOT NULL,
        materializations INTEGER NOT NULL DEFAULT 1,
        last_error       TEXT,
        dead_reason      TEXT,
        lease_ended      TEXT CHECK (lease_ended = 'returned' OR lease_ended = 'expired')
    );
    INSERT INTO units_v4 (job_key, handler, payload, due_at, status, epoch, budget_base, lease_until,
                          completed_epoch, available_at, materialized_at, materializations, last_error,
                          dead_reason, lease_ended)
        SELECT job_key, handler, payload, due_at, status, epoch, budget_base, lease_until, completed_epoch,
               available_at, materialized_at, materializations, last_error, dead_reason, lease_ended
        FROM units;
    DROP TABLE units;
    ALTER TABLE units_v4 RENAME TO units;
    CREATE INDEX units_ready ON units (available_at, job_key) WHERE status = 'runnable';
    CREATE INDEX units_lease ON units (lease_until, job_key) WHERE status = 'claimed';
    CREATE TABLE attempts_v4 (
        id          INTEGER PRIMARY KEY,
        job_key     TEXT NOT NULL,
        worker      TEXT NOT NULL,
        epoch       INTEGER NOT NULL,
        claimed_at  INTEGER NOT NULL,
        joined_live INTEGER NOT NULL DEFAULT 0,
        state       TEXT NOT NULL DEFAULT 'held' CHECK (
                        state = 'held' OR state = 'completed' OR state = 'failed' OR state = 'dropped'
                    )
    );
    INSERT INTO attempts_v4 (id, job_key, worker, epoch, claimed_at, joined_live, state)
        SELECT id, job_key, worker, epoch, claimed_at, joined_live, state FROM attempts;
    DROP TABLE attempts;
    ALTER TABLE attempts_v4 RENAME TO attempts;
    CREATE INDEX attempts_held ON attempts (worker) WHERE state = 'held';
    """,
)

LATEST = len(MIGRATIONS)
