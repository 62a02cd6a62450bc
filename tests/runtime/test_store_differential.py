"""Two store implementations driven by the same random steps must answer alike, step for step.

A walk is a seeded sequence of every kind of step a queue takes (enqueue, schedule, the scanner's
steps, claims, commits with and without completion and the next claim, completions, refusals,
failures, drops, restarts, lease faults, the reaper, an operator's requeue, every recovery, workers
running handlers, crashes inside the commit boundary) under a seeded combination of guards. After
every step both queues must have answered the same (the same value, or the same refusal with the
same message and guard) and must read back the same through the public ``Store`` interface: the
state, the ledger, every job as an operator sees it, the dead letters, the schedule's reads, the
effects that landed. ``diverge`` returns the first difference, or None.

A second store (PostgreSQL, say) is checked by adding its factory to ``IMPLEMENTATIONS``: every pair
is compared with the SQLite store on a file. Implementation-specific reads (SQLite's raw tables and
journal) go through ``Side.raw``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from failure_lab.python_impl import (
    Attempt,
    Fault,
    FaultPoint,
    Faults,
    Guards,
    MemoryEffects,
    Queue,
    RetryPolicy,
    SqliteStore,
    Store,
    VirtualClock,
    Worker,
)
from failure_lab.python_impl.errors import QueueError
from failure_lab.python_impl.faults import InjectedCrash, crash
from failure_lab.python_impl.recovery import RECOVERIES, recover
from failure_lab.python_impl.store import Committed

StoreFactory = Callable[[Path], Store]
"""Makes a fresh, empty store whose files (if any) live in the given folder."""

WORKERS = ("w1", "w2", "w3")
HANDLERS = ("ok", "boom")  # "boom" fails every attempt: retries, backoff and dead letters


def _ok(context: Any, payload: Any) -> None:
    context.commit({"n": 1})


def _boom(context: Any, payload: Any) -> None:
    raise RuntimeError("boom")


@dataclass
class Side:
    """One implementation under the walk: its queue, clock, world, workers and the attempts handed out."""

    queue: Queue
    clock: VirtualClock
    effects: MemoryEffects
    raw: Callable[[Store], object]
    workers: dict[str, Worker]
    granted: dict[str, list[Attempt]] = field(default_factory=dict)

    def remember(self, value: object) -> None:
        """Keep every attempt a step handed out: a later step may use it, stale or not."""
        if isinstance(value, Committed):
            value = value.next_attempt
        if isinstance(value, Attempt):
            granted = self.granted.setdefault(value.worker, [])
            if not granted or granted[-1] != value:
                granted.append(value)


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where two stores first answered differently."""

    seed: int
    index: int
    step: tuple[Any, ...]
    what: str
    first: object
    second: object
    guards_off: tuple[str, ...]

    def __str__(self) -> str:
        off = ", ".join(self.guards_off) or "none"
        return (
            f"seed {self.seed}, step {self.index} {self.step} (guards off: {off}):"
            f" {self.what} differs: {self.first!r} != {self.second!r}"
        )


def guards_for(rng: random.Random) -> Guards:
    """A seeded combination: each guard off with probability one third."""
    return Guards().without(*(name for name in Guards.names() if rng.random() < 1 / 3))


def _side(make: StoreFactory, folder: Path, guards: Guards, retry: RetryPolicy, lease_ttl: int) -> Side:
    folder.mkdir(parents=True, exist_ok=True)
    clock, effects = VirtualClock(), MemoryEffects()
    queue = Queue(
        make(folder),
        clock=clock,
        guards=guards,
        retry=retry,
        lease_ttl=lease_ttl,
        effects=effects,
        faults=Faults(),
    )
    for name, handler in zip(HANDLERS, (_ok, _boom), strict=True):
        queue.register(name, handler)
    workers = {name: Worker(queue, name) for name in WORKERS}
    return Side(queue, clock, effects, _nothing, workers)


def _nothing(store: Store) -> object:
    return None


def _answer(run: Callable[[], object]) -> tuple[object, object]:
    """What a step answered, comparable (the value, or the refusal's kind, message and guard); the value."""
    try:
        value = run()
    except QueueError as refusal:
        return ("refused", type(refusal).__name__, str(refusal), getattr(refusal, "guard", None)), None
    except InjectedCrash:
        return ("crashed",), None
    return ("ok", value), value


def _job(store: Store, key: str) -> object:
    return _answer(lambda: store.job(key))[0]


def _reads(side: Side, keys: Sequence[str]) -> dict[str, object]:
    """Everything the public interface reads back, by name."""
    store = side.queue.store
    checkpoint = store.checkpoint()
    return {
        "state": store.state(),
        "ledger": store.ledger(),
        "jobs": [_job(store, key) for key in keys],
        "dead_letters": store.dead_letters(),
        "checkpoint": checkpoint,
        "schedule": [store.schedule_entry(key) for key in keys],
        "outstanding": store.outstanding_between(-100, 10_000),
        "taken_not_durable": store.taken_not_durable(checkpoint),
        "lost_runs": store.lost_runs(),
        "overdue_scheduled": store.overdue_scheduled(),
        "effects": list(side.effects.effects),
        "taken": side.queue.scanner.taken,
        "raw": side.raw(store),
    }


STEPS = {
    # kind: weight
    "tick": 8,
    "enqueue": 5,
    "schedule": 4,
    "scan": 3,
    "materialize": 3,
    "advance": 3,
    "pass": 3,
    "restart_scanner": 1,
    "claim": 8,
    "claim_next": 6,
    "commit": 10,
    "complete": 5,
    "reject_stale": 3,
    "drop": 2,
    "fail": 3,
    "run_once": 8,
    "abandon": 2,
    "release_expired": 2,
    "expire_lease": 2,
    "requeue": 2,
    "repair": 2,
    "recover": 1,
    "crash_next_commit": 1,
}
_KINDS, _WEIGHTS = list(STEPS), list(STEPS.values())
_CRASH_POINTS = (FaultPoint.BEFORE_EFFECT, FaultPoint.AFTER_EFFECT, FaultPoint.AFTER_COMMIT)


def _step(rng: random.Random, keys: list[str], side: Side) -> tuple[Any, ...]:
    """The next step, from the seed and what the first side holds: the same on both sides while they agree.

    Mostly a step that can succeed (a worker that holds an attempt commits, an idle one runs, a scheduled
    run is scanned), often one that cannot (the refusals are compared as closely as the answers).
    """
    kind = rng.choices(_KINDS, weights=_WEIGHTS)[0]
    state = side.queue.store.state()
    holding = sorted(state.held)
    idle = [worker for worker in WORKERS if worker not in state.held]
    scheduled = [entry.job_key for entry in state.schedule if entry.outstanding]
    taken = sorted(side.queue.scanner.taken)
    likely = rng.random() < 0.8
    worker, key = rng.choice(WORKERS), rng.choice(keys)
    if kind == "tick":
        return (kind, rng.randint(1, 3))
    if kind in ("enqueue", "schedule"):
        # Mostly a new key, sometimes one already known (refused as a duplicate).
        new_key = f"k{len(keys)}" if likely and len(keys) < 40 else key
        handler = "boom" if rng.random() < 0.2 else "ok"
        return (kind, handler, new_key, side.clock.now() + rng.randint(-2, 5))
    if kind == "scan":
        return (kind, rng.choice(scheduled) if likely and scheduled else key)
    if kind == "materialize":
        return (kind, rng.choice(taken) if likely and taken else key)
    if kind in ("expire_lease", "requeue"):
        return (kind, key)
    if kind == "claim":
        return (kind, rng.choice(idle) if likely and idle else worker, key)
    if kind in ("claim_next", "run_once"):
        worker = rng.choice(idle) if likely and idle else worker
        if kind == "claim_next":
            return (kind, worker)
        return (kind, worker, rng.random() < 0.5, rng.random() < 0.15)
    if kind == "abandon":
        return (kind, worker)
    if kind in ("commit", "complete", "reject_stale", "drop", "fail"):
        # Whose attempt, and which (mostly the one it holds, sometimes an older one: a zombie's).
        worker = rng.choice(holding) if likely and holding else worker
        if kind == "commit":
            return (kind, worker, rng.random(), rng.random() < 0.7, rng.random() < 0.4)
        return (kind, worker, rng.random())
    if kind == "repair":
        return (kind, rng.choice(sorted(RECOVERIES)))
    if kind == "crash_next_commit":
        return (kind, rng.choice(_CRASH_POINTS))
    return (kind,)


def _attempt(side: Side, worker: str, choice: float) -> Attempt | None:
    """Mostly the attempt the worker holds now, else any it was ever given (a zombie's, a finished one)."""
    granted = side.granted.get(worker)
    if not granted:
        return None
    held = side.queue.store.state().held.get(worker)
    if held is not None and choice < 0.75:
        for attempt in reversed(granted):
            if (attempt.job_key, attempt.epoch) == (held.job_key, held.epoch):
                return attempt
    return granted[int(choice * 1000) % len(granted)]


def _call(side: Side, step: tuple[Any, ...]) -> Callable[[], object]:
    """The step as a call on this side's queue."""
    queue, kind = side.queue, step[0]
    if kind in ("commit", "complete", "reject_stale", "drop", "fail"):
        attempt = _attempt(side, step[1], step[2])
        if attempt is None:
            return _none
        if kind == "commit":
            return lambda: queue.commit(attempt, {"n": 1}, complete=step[3], then_claim=step[4])
        if kind == "fail":
            return lambda: queue.fail(attempt, "handler failed")
        return lambda: getattr(queue, kind)(attempt)
    if kind == "run_once":
        worker = side.workers[step[1]]
        worker.duplicate_delivery = step[3]
        return lambda: worker.run_once(prefetch=step[2])
    calls: dict[str, Callable[[], object]] = {
        "tick": lambda: side.clock.advance(step[1]),
        "enqueue": lambda: queue.enqueue(step[1], step[2], {"key": step[2]}),
        "schedule": lambda: queue.schedule(step[1], step[2], {"key": step[2]}, step[3]),
        "scan": lambda: queue.scan(step[1]),
        "materialize": lambda: queue.materialize(step[1]),
        "advance": queue.advance_checkpoint,
        "pass": queue.scan_pass,
        "restart_scanner": queue.restart_scanner,
        "claim": lambda: queue.claim(step[1], step[2]),
        "claim_next": lambda: queue.claim_next(step[1]),
        "abandon": lambda: queue.abandon(step[1]),
        "release_expired": queue.release_expired,
        "expire_lease": lambda: queue.expire_lease(step[1]),
        "requeue": lambda: queue.requeue(step[1]),
        "repair": lambda: RECOVERIES[step[1]](queue),
        "recover": lambda: recover(queue),
        "crash_next_commit": lambda: queue.faults.arm(Fault(step[1], crash)),
    }
    return calls[kind]


def _none() -> None:
    return None


def diverge(
    first: StoreFactory,
    second: StoreFactory,
    folder: Path,
    *,
    seed: int,
    steps: int,
    guards: Guards | None = None,
    raw: tuple[Callable[[Store], object], Callable[[Store], object]] | None = None,
) -> Divergence | None:
    """Drive both stores through the same ``steps`` random steps; the first difference, or None.

    The guards are the seed's combination unless given; ``raw`` reads what only each implementation
    can (its tables, its journal), compared like the rest.
    """
    rng = random.Random(seed)
    guards = guards if guards is not None else guards_for(rng)
    retry = RetryPolicy(max_attempts=rng.randint(1, 3), base_backoff=rng.randint(1, 3), max_backoff=8)
    lease_ttl = rng.randint(1, 4)
    sides = [_side(first, folder / "first", guards, retry, lease_ttl)]
    sides.append(_side(second, folder / "second", guards, retry, lease_ttl))
    if raw is not None:
        sides[0].raw, sides[1].raw = raw
    keys = ["k0", "k1", "k2"]
    for side in sides:
        side.queue.schedule("ok", "k0", {"key": "k0"}, 1)
        side.queue.enqueue("ok", "k1", {"key": "k1"})
        side.queue.schedule("boom", "k2", {"key": "k2"}, 2)
    try:
        for index in range(steps):
            step = _step(rng, keys, sides[0])
            if step[0] in ("enqueue", "schedule") and step[2] not in keys:
                keys.append(step[2])
            answers = []
            for side in sides:
                answer, value = _answer(_call(side, step))
                side.remember(value)
                for worker in side.workers.values():
                    side.remember(worker._next)  # an attempt a worker's commit claimed for it
                answers.append(answer)
            if answers[0] != answers[1]:
                return Divergence(seed, index, step, "answer", answers[0], answers[1], guards.off())
            reads = [_reads(side, keys) for side in sides]
            for name, value in reads[0].items():
                if value != reads[1][name]:
                    return Divergence(seed, index, step, name, value, reads[1][name], guards.off())
    finally:
        for side in sides:
            side.queue.close()
    return None


def sqlite_raw(store: Store) -> object:
    """Every row of every table of an SQLite store, the journal included."""
    db = store._db  # type: ignore[attr-defined]
    tables = [
        name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    # Sorted here, not by rowid: the claimers table has none.
    return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in tables}


def _journaled(store: SqliteStore) -> SqliteStore:
    store.start_journal()
    return store


def on_a_file(folder: Path) -> Store:
    """The SQLite store on a file, journaling: the reference every implementation is compared with."""
    return _journaled(SqliteStore(folder / "queue.db"))


def in_memory(folder: Path) -> Store:
    """The SQLite store on an in-memory database, journaling."""
    return _journaled(SqliteStore(":memory:"))


IMPLEMENTATIONS: dict[str, tuple[StoreFactory, Callable[[Store], object]]] = {
    "sqlite in memory": (in_memory, sqlite_raw),
}
"""Each implementation compared with the SQLite store on a file, and how to read its raw rows."""

SEEDS = range(8)
STEPS_PER_WALK = 150


@pytest.mark.parametrize("name", sorted(IMPLEMENTATIONS))
@pytest.mark.parametrize("seed", SEEDS)
def test_every_store_answers_like_the_sqlite_store_step_for_step(
    name: str, seed: int, tmp_path: Path
) -> None:
    make, raw = IMPLEMENTATIONS[name]
    found = diverge(on_a_file, make, tmp_path, seed=seed, steps=STEPS_PER_WALK, raw=(sqlite_raw, raw))
    assert found is None, str(found)


class _TakesStaleCompletions(SqliteStore):
    """A wrong store: ``Complete`` never checks the epoch."""

    def complete(self, attempt: Attempt, *, fenced: bool) -> None:
        super().complete(attempt, fenced=False)


def test_a_store_that_takes_a_stale_completion_is_caught(tmp_path: Path) -> None:
    def wrong(folder: Path) -> Store:
        return _journaled(_TakesStaleCompletions(folder / "queue.db"))

    found = None
    for seed in SEEDS:
        found = diverge(
            on_a_file, wrong, tmp_path / str(seed), seed=seed, steps=STEPS_PER_WALK, guards=Guards()
        )
        if found is not None:
            break
    assert found is not None, "no walk told a store that takes stale completions from the real one"
    assert found.what == "answer", str(found)
    assert isinstance(found.first, tuple) and found.first[:2] == ("refused", "StaleEpoch"), str(found)
    assert found.first[3] == "epoch_fence" and found.second == ("ok", None), str(found)
