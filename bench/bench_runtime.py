"""End-to-end throughput of the runtime (enqueue, claim, effect, commit) against huey's SQLite queue.

The same workload for both: N jobs enqueued one by one into a fresh SQLite file, K worker processes
(already started and idle) run each job, whose handler appends one JSON line to an effects file; the
clock stops when the file holds N lines. Both run at SQLite ``synchronous=OFF`` (huey's
``fsync=False``): safe against any process crash, which is what our guarantees are about. Our
default, NORMAL (a power cut cannot corrupt the file), is measured too, for context. Huey deletes a
task when it dequeues it, so a worker killed mid-task loses it; ours keeps every guarantee.

Last, a larger soak with real SIGKILLs must come out clean; it is reported against the same soak
without kills, for the cost of crash recovery.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from bench.comparison import Comparison, Measurement
from failure_lab.python_impl import Effect, JsonLinesEffects, Queue, RealClock, Worker
from failure_lab.python_impl.soak import SoakConfig, soak
from failure_lab.python_impl.sqlite import Synchronous

ROOT = Path(__file__).resolve().parents[1]
JOBS = 5000
ROUNDS = 3
WORKERS = (1, 2)
SYSTEMS = ("ours", "ours NORMAL", "huey")
# "At least on par": our jobs per second over huey's, with every guarantee kept.
TARGET = 1.0


def _our_handler(context: Any, payload: dict[str, int]) -> None:
    context.commit({"n": payload["n"]})


def _our_worker(
    db: Path, effects: Path, name: str, stop: Event, ready: Event, synchronous: Synchronous
) -> None:
    queue = Queue.open(db, clock=RealClock(), effects=JsonLinesEffects(effects), synchronous=synchronous)
    queue.register("bench", _our_handler)
    ready.set()
    Worker(queue, name).run(stop.is_set, idle_ticks=1)


def _huey(db: Path, effects: Path) -> Any:
    from huey import SqliteHuey  # type: ignore[import-untyped]

    huey = SqliteHuey("bench", filename=str(db), fsync=False)
    sink = JsonLinesEffects(effects)

    @huey.task(name="bench")  # type: ignore[untyped-decorator]
    def bench(n: int) -> None:
        sink.apply(Effect(f"job-{n}", 1, "huey", {"n": n}))

    return huey, bench


def _huey_worker(
    db: Path, effects: Path, name: str, stop: Event, ready: Event, synchronous: Synchronous
) -> None:
    huey, _ = _huey(db, effects)
    ready.set()
    while not stop.is_set():
        task = huey.dequeue()
        if task is None:
            time.sleep(0.001)  # the same idle wait as ours
        else:
            huey.execute(task)


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _measure(system: str, workers: int) -> float:
    """Jobs per second for one fresh run of ``system`` (one of ``SYSTEMS``)."""
    synchronous: Synchronous = "NORMAL" if system == "ours NORMAL" else "OFF"
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="bench-runtime-") as scratch:
        db, effects = Path(scratch) / "queue.db", Path(scratch) / "effects.jsonl"
        if system.startswith("ours"):
            queue = Queue.open(
                db, clock=RealClock(), effects=JsonLinesEffects(effects), synchronous=synchronous
            )
            queue.register("bench", _our_handler)

            def enqueue(n: int) -> None:
                queue.enqueue("bench", f"job-{n}", {"n": n})

            target: Callable[..., None] = _our_worker
        else:
            _, enqueue = _huey(db, effects)
            target = _huey_worker
        stop = context.Event()
        readies = [context.Event() for _ in range(workers)]
        processes = [
            context.Process(
                target=target, args=(db, effects, f"w{n}", stop, readies[n], synchronous), daemon=True
            )
            for n in range(workers)
        ]
        for process in processes:
            process.start()
        for ready in readies:
            ready.wait(60)
        started = time.perf_counter()
        for n in range(JOBS):
            enqueue(n)
        deadline = started + 300
        while _lines(effects) < JOBS and time.perf_counter() < deadline:
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
        stop.set()
        for process in processes:
            process.join(10)
        done = _lines(effects)
        if done != JOBS:
            raise RuntimeError(f"{system} with {workers} workers applied {done} effects for {JOBS} jobs")
        return JOBS / elapsed


def _throughput() -> list[Comparison]:
    subjects = [(system, workers) for system in SYSTEMS for workers in WORKERS]
    samples: dict[tuple[str, int], list[float]] = {subject: [] for subject in subjects}
    shuffle = random.Random(ROUNDS).shuffle  # seeded: the same orders on every machine
    for _ in range(ROUNDS):
        shuffle(subjects)
        for subject in subjects:
            samples[subject].append(_measure(*subject))
    comparisons = []
    for workers in WORKERS:
        label = f"{workers} worker{'s' if workers > 1 else ''}"
        huey = Measurement(f"huey SqliteHuey fsync=False, {label}", tuple(samples["huey", workers]), "jobs/s")
        comparisons.append(
            Comparison(
                f"runtime_throughput_{workers}w_vs_huey",
                f"{JOBS} jobs enqueue→claim→effect→commit, {label}, fenced, idempotent; both synchronous OFF",
                candidate=Measurement(f"python_impl OFF, {label}", tuple(samples["ours", workers]), "jobs/s"),
                baseline=huey,
                target=TARGET,
                higher_is_better=True,
            )
        )
        comparisons.append(
            Comparison(
                f"runtime_throughput_{workers}w_default_durability_vs_huey",
                f"the same with our default synchronous=NORMAL against huey at OFF ({label}, context)",
                candidate=Measurement(
                    f"python_impl NORMAL, {label}", tuple(samples["ours NORMAL", workers]), "jobs/s"
                ),
                baseline=huey,
                target=None,
                higher_is_better=True,
            )
        )
    return comparisons


def _soak() -> list[Comparison]:
    build = ROOT / "build" / "bench" / "soak"
    build.mkdir(parents=True, exist_ok=True)
    runs: dict[str, dict[str, Any]] = {}
    for label, kills, stalls in (("with kills", 20, 4), ("without kills", 0, 0)):
        config = SoakConfig(
            db=build / "soak.db",
            effects=build / "effects.jsonl",
            workers=2,
            jobs=600,
            kills=kills,
            stalls=stalls,
            seed=7,
            timeout_ticks=120_000,
        )
        summary = soak(config)
        runs[label] = summary
        if not summary["clean"]:
            raise RuntimeError(f"the guarded soak {label} was not clean: {json.dumps(summary)[:2000]}")
    (build / "summary.json").write_text(json.dumps(runs, indent=2))
    return [
        Comparison(
            "soak_600_jobs_20_kills_vs_none",
            "guarded soak, 2 workers, 600 jobs: 20 SIGKILLs and 4 zombies against none (clean, context)",
            candidate=Measurement("20 kills", (runs["with kills"]["elapsed_seconds"],)),
            baseline=Measurement("no kills", (runs["without kills"]["elapsed_seconds"],)),
            target=None,
        )
    ]


def run() -> list[Comparison]:
    """Throughput against huey with 1 and 2 workers, then the larger soak."""
    return [*_throughput(), *_soak()]


if __name__ == "__main__":
    for comparison in run():
        print(json.dumps(comparison.record()), file=sys.stdout)
