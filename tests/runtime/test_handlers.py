"""The public API refuses bad jobs with a clear error and loses nothing already queued."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from failure_lab.python_impl import Queue, VirtualClock, Worker, errors


@pytest.fixture
def queue(tmp_path: Path) -> Queue:
    queue = Queue.open(tmp_path / "q.db", clock=VirtualClock())
    queue.register("send", lambda context, payload: context.commit({"to": payload["to"]}))
    queue.enqueue("send", "mail-1", {"to": "ada"})
    return queue


def test_an_unknown_handler_is_refused_and_names_the_known_ones(queue: Queue) -> None:
    with pytest.raises(errors.UnknownHandler, match=r"unknown handler 'sned' \(known: send\)"):
        queue.enqueue("sned", "mail-2", {})
    assert queue.inspect().runs == {"mail-1"}


@pytest.mark.parametrize("payload", [{"when": object()}, {"x": math.nan}, {1j: 2}])
def test_a_payload_json_cannot_carry_is_refused(queue: Queue, payload: object) -> None:
    with pytest.raises(errors.PayloadNotSerializable, match=r"mail-2.*payload is not JSON"):
        queue.enqueue("send", "mail-2", payload)
    assert queue.inspect().runs == {"mail-1"}


def test_a_job_key_used_twice_is_refused_and_the_first_job_kept(queue: Queue) -> None:
    with pytest.raises(errors.DuplicateJobKey):
        queue.enqueue("send", "mail-1", {"to": "bob"})
    with pytest.raises(errors.DuplicateJobKey):
        queue.schedule("send", "mail-1", {"to": "bob"}, 5)
    assert queue.job("mail-1").payload == '{"to": "ada"}'


def test_a_scheduled_job_runs_only_after_the_scanner_releases_it(tmp_path: Path) -> None:
    clock = VirtualClock()
    queue = Queue.open(tmp_path / "q.db", clock=clock)
    queue.register("send", lambda context, payload: context.commit({"to": payload["to"]}))
    queue.schedule("send", "later", {"to": "ada"}, due_at=3)
    worker = Worker(queue, "w1")
    queue.scan_pass()
    assert worker.run_once() is None
    clock.advance(3)
    queue.scan_pass()
    outcome = worker.run_once()
    assert outcome is not None and outcome.result == "completed"
    assert queue.inspect().effects == {"later": 1}


def test_a_worker_without_the_handler_fails_the_attempt_instead_of_losing_it(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    producer = Queue.open(path, clock=VirtualClock())
    producer.register("send", lambda context, payload: None)
    producer.enqueue("send", "mail-1", {})
    consumer = Queue.open(path, clock=VirtualClock())
    outcome = Worker(consumer, "w1").run_once()
    assert outcome is not None and outcome.result == "retried"
    assert "no handler 'send'" in (consumer.job("mail-1").last_error or "")
