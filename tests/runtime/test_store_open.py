"""A database the queue will not open is refused with one clear line and left byte for byte as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from python_impl import Queue, VirtualClock, errors
from python_impl.schema import LATEST


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
