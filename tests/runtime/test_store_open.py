"""A database the queue will not open is refused with one clear line and left byte for byte as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from failure_lab.python_impl import Queue, VirtualClock, errors
from failure_lab.python_impl.sqlite.schema import APPLICATION_ID, LATEST, MIGRATIONS
from failure_lab.python_impl.store import HeldAttempt


def test_a_new_file_becomes_a_queue_and_reopening_keeps_its_jobs(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    queue = Queue.open(path, clock=VirtualClock())
    queue.register("h", lambda context, payload: None)
    queue.enqueue("h", "j1", {"n": 1})
    queue.close()
    again = Queue.open(path, clock=VirtualClock())
    assert again.job("j1").status == "runnable"
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(errors.CorruptDatabase, match=r"notes\.db: not an SQLite database"):
        Queue.open(path, clock=VirtualClock())
    assert path.read_bytes() == before


def test_another_applications_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO customers (name) VALUES ('ada')")
    before = path.read_bytes()
    with pytest.raises(errors.ForeignDatabase, match="another application"):
        Queue.open(path, clock=VirtualClock())
    assert path.read_bytes() == before


def test_a_schema_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    Queue.open(path, clock=VirtualClock()).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST + 1}")
    before = path.read_bytes()
    with pytest.raises(errors.SchemaTooNew, match=f"schema version {LATEST + 1} is newer"):
        Queue.open(path, clock=VirtualClock())
    assert path.read_bytes() == before


def test_every_refusal_is_one_line_and_a_queue_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("x" * 4096)
    with pytest.raises(errors.QueueError) as caught:
        Queue.open(path, clock=VirtualClock())
    assert "\n" not in str(caught.value)


def test_a_queue_from_an_older_schema_is_migrated_keeping_every_job_attempt_and_check(tmp_path: Path) -> None:

    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    for version, script in enumerate(MIGRATIONS[:3]):
        old.executescript(script)
        old.execute(f"PRAGMA user_version = {version + 1}")
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute(
        "INSERT INTO units (job_key, handler, payload, due_at, status, epoch, lease_until, available_at,"
        " materialized_at, lease_ended) VALUES ('j1', 'h', '{}', 0, 'claimed', 2, 50, 0, 0, 'expired')"
    )
    old.execute(
        "INSERT INTO attempts (job_key, worker, epoch, claimed_at, state) VALUES ('j1', 'w1', 2, 40, 'held')"
    )
    old.close()

    queue = Queue.open(path, clock=VirtualClock(10))
    unit = queue.inspect().units["j1"]
    assert (unit.status, unit.epoch, unit.lease_until, unit.lease_ended) == ("claimed", 2, 50, "expired")
    assert queue.store.state().held == {"w1": HeldAttempt("j1", 2)}
    queue.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")} >= {
        "units_ready",
        "units_lease",
        "attempts_held",
    }
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        db.execute("UPDATE units SET status = 'lost' WHERE job_key = 'j1'")
