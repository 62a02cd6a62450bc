"""Retries are bounded by the budget with backoff; then a dead letter that an operator can re-enqueue."""

from __future__ import annotations

from pathlib import Path

from failure_lab.python_impl import Queue, RetryPolicy, VirtualClock, Worker


def flaky(failures: int):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def handler(context, payload):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] <= failures:
            raise RuntimeError(f"boom {calls['n']}")
        context.commit({"ok": True})

    return handler


def make(tmp_path: Path, failures: int) -> tuple[Queue, VirtualClock]:
    clock = VirtualClock()
    retry = RetryPolicy(max_attempts=3, base_backoff=10, max_backoff=1000, jitter=0.5)
    queue = Queue.open(tmp_path / "q.db", clock=clock, retry=retry)
    queue.register("flaky", flaky(failures))
    queue.enqueue("flaky", "job", {})
    return queue, clock


def test_a_failed_attempt_waits_out_its_backoff_then_succeeds(tmp_path: Path) -> None:
    queue, clock = make(tmp_path, failures=1)
    worker = Worker(queue, "w1")
    first = worker.run_once()
    assert first is not None and first.result == "retried"
    wait = queue.retry.backoff("job", 1)
    assert 5 <= wait <= 10
    clock.advance(wait - 1)
    assert worker.run_once() is None
    clock.tick()
    second = worker.run_once()
    assert second is not None and (second.result, second.epoch) == ("completed", 2)
    assert queue.inspect().effects == {"job": 1}


def test_backoff_grows_and_its_jitter_is_a_pure_function_of_key_and_attempt() -> None:
    policy = RetryPolicy(base_backoff=100, max_backoff=10_000, jitter=0.5)
    waits = [policy.backoff("job", n) for n in range(1, 6)]
    assert waits == [policy.backoff("job", n) for n in range(1, 6)]
    assert all(50 * 2**i <= wait <= 100 * 2**i for i, wait in enumerate(waits))
    assert policy.backoff("job", 3) != policy.backoff("other", 3) or policy.jitter == 0


def test_an_exhausted_budget_dead_letters_with_the_reason_and_requeue_runs_it_again(tmp_path: Path) -> None:
    queue, clock = make(tmp_path, failures=3)
    worker = Worker(queue, "w1")
    results = []
    for _ in range(10):
        clock.advance(1000)
        outcome = worker.run_once()
        if outcome is None:
            break
        results.append(outcome.result)
    assert results == ["retried", "retried", "dead"]
    [dead] = queue.dead_letters()
    assert dead.job_key == "job"
    assert dead.dead_reason == "failed on attempt 3 of 3: RuntimeError: boom 3"
    assert queue.job("job").attempts_used == 3
    queue.requeue("job")
    outcome = worker.run_once()
    assert outcome is not None and (outcome.result, outcome.epoch) == ("completed", 4)
    assert queue.dead_letters() == []
    assert queue.inspect().effects == {"job": 1}


def test_a_lease_that_expires_on_the_last_attempt_dead_letters_the_job(tmp_path: Path) -> None:
    clock = VirtualClock()
    queue = Queue.open(tmp_path / "q.db", clock=clock, retry=RetryPolicy(max_attempts=1), lease_ttl=5)
    queue.register("h", lambda context, payload: None)
    queue.enqueue("h", "job", {})
    assert queue.claim_next("w1") is not None
    clock.advance(5)
    assert queue.claim_next("w2") is None
    assert queue.job("job").dead_reason == "lease expired on attempt 1 of 1"
