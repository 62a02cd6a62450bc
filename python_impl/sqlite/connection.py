"""Opening a queue's SQLite file: refuse what is not ours untouched, tune the connection, migrate the schema.

Also the two ways a store uses its connection: ``Transaction`` (one ``BEGIN IMMEDIATE`` write) and
``Read`` (one consistent read).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from sqlite3 import Cursor
from typing import Literal

from failure_lab.python_impl import errors
from failure_lab.python_impl.sqlite.schema import APPLICATION_ID, LATEST, MIGRATIONS

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


def connect(path: Path, synchronous: Synchronous) -> sqlite3.Connection:
    """A tuned connection to the queue in ``path``, created or migrated; a file not ours is refused."""
    if synchronous not in ("OFF", "NORMAL", "FULL"):
        raise errors.BadInput(f"synchronous must be OFF, NORMAL or FULL, got {synchronous!r}")
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
    migrate(db)
    return db


def migrate(db: sqlite3.Connection) -> None:
    """Apply every migration the file lacks, each in its own transaction."""
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


def column(cur: Cursor, sql: str, parameters: tuple[object, ...] = ()) -> list[str]:
    """The first column of every row, read whole before the cursor runs anything else."""
    return [key for (key,) in cur.execute(sql, parameters).fetchall()]


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


class Transaction:
    """``with``: one ``BEGIN IMMEDIATE`` transaction, committed at the end, rolled back if anything raised.

    A class rather than a generator-based context manager: every step of every worker opens one.
    """

    __slots__ = ("_db",)

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, error: object, trace: object) -> None:
        # Any exception, BaseException too: an injected crash must leave the store as a real one would.
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


class Read(Transaction):
    """``with``: one read transaction, so that several statements see the same moment."""

    __slots__ = ()

    def __enter__(self) -> None:
        self._db.execute("BEGIN")

    def __exit__(self, kind: type[BaseException] | None, error: object, trace: object) -> None:
        self._db.execute("COMMIT")
