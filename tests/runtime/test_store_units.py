"""The store's units read alone are the units of its whole state."""

from __future__ import annotations

from pathlib import Path

from failure_lab.python_impl import Guards, Queue, RetryPolicy, SqliteStore, VirtualClock


def test_the_units_alone_are_the_units_of_the_whole_state(tmp_path: Path) -> None:
    queue = Queue(
        SqliteStore(tmp_path / "q.db"),
        clock=VirtualClock(0),
        guards=Guards().without("exclusive_claim"),
        retry=RetryPolicy(max_attempts=2),
        lease_ttl=1,
    )
    queue.register("job", lambda context, payload: None)
    queue.enqueue("job", "j1")
    queue.enqueue("job", "j2")
    queue.claim("w1", "j1")
    queue.claim("w2", "j1")  # two claimers of one unit: the guard that keeps a claim exclusive is off
    units = queue.store.units()
    assert units == dict(queue.store.state().units)
    assert units["j1"].claimers == frozenset({"w1", "w2"}) and units["j2"].status == "runnable"
