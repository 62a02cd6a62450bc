"""TLC start-up: with and without the class-data-sharing archive, against a bare ``java -version``.

All of them are launched once per round, in a shuffled order, so machine noise (and any
ordering effect such as a warm page cache) lands on each alike.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from bench.comparison import Comparison, Measurement
from failure_lab.trace_check.tlc import TlcRequest, Workspace, find_java, run_tlc
from failure_lab.trace_check.tlc.process import run_process

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 10
# A tiny model, so the launch is nearly all there is to measure.
TINY = (ROOT / "tests" / "specs" / "Counter.tla", ROOT / "tests" / "specs" / "CounterBelowThree.cfg")
# The quick start's run, when the models are there: what a user actually waits for.
REAL = (ROOT / "specs" / "a09" / "MCA09.tla", ROOT / "specs" / "a09" / "MCA09_stale_epoch.cfg")
# The archive must save at least this share of a launch to be worth keeping on by default.
ARCHIVE_TARGET = 0.9


def run() -> list[Comparison]:
    """Measure the floor, TLC without the archive and TLC with it, interleaved."""
    workspace = Workspace(build=ROOT / "build" / "bench" / "tlc")
    java = find_java()

    def java_version() -> float:
        return run_process(
            [str(java.path), "-version"],
            cwd=ROOT,
            timeout=60,
            on_line=lambda _: None,
            clock=time.perf_counter,
        ).seconds

    def tlc(spec: Path, config: Path, *, cds: bool) -> Callable[[], float]:
        request = TlcRequest(spec=spec, config=config, use_cache=False, use_cds=cds)
        return lambda: run_tlc(request, workspace, clock=time.perf_counter).seconds

    subjects: dict[str, Callable[[], float]] = {
        "java -version": java_version,
        "TLC": tlc(*TINY, cds=False),
        "TLC + archive": tlc(*TINY, cds=True),
    }
    if REAL[0].is_file() and REAL[1].is_file():
        subjects["a09_stale_epoch"] = tlc(*REAL, cds=False)
        subjects["a09_stale_epoch + archive"] = tlc(*REAL, cds=True)
    samples = _interleaved(subjects)
    floor = Measurement("java -version", samples["java -version"])
    plain = Measurement("TLC", samples["TLC"])
    archived = Measurement("TLC + archive", samples["TLC + archive"])
    comparisons = [
        Comparison(
            "tlc_launch_archive_vs_plain",
            "TLC on a tiny spec: with the CDS archive against without (keep it on only if it helps)",
            candidate=archived,
            baseline=plain,
            target=ARCHIVE_TARGET,
        ),
        Comparison(
            "tlc_launch_plain_vs_java_floor",
            "TLC on a tiny spec without the archive, against a bare java -version (context)",
            candidate=plain,
            baseline=floor,
            target=None,
        ),
        Comparison(
            "tlc_launch_archive_vs_java_floor",
            "TLC on a tiny spec with the archive, against a bare java -version (context)",
            candidate=archived,
            baseline=floor,
            target=None,
        ),
    ]
    if "a09_stale_epoch" in samples:
        comparisons.append(
            Comparison(
                "a09_stale_epoch_archive_vs_plain",
                "make tlc FM=a09_stale_epoch's TLC run: with the archive against without",
                candidate=Measurement("a09_stale_epoch + archive", samples["a09_stale_epoch + archive"]),
                baseline=Measurement("a09_stale_epoch", samples["a09_stale_epoch"]),
                target=ARCHIVE_TARGET,
            )
        )
    return comparisons


def _interleaved(subjects: dict[str, Callable[[], float]]) -> dict[str, tuple[float, ...]]:
    for measure in subjects.values():
        measure()  # warm-up: the first archived launch dumps the archive, the OS caches the jar
    samples: dict[str, list[float]] = {name: [] for name in subjects}
    order = list(subjects)
    shuffle = random.Random(ROUNDS).shuffle  # seeded: the same orders on every machine
    for _ in range(ROUNDS):
        shuffle(order)
        for name in order:
            samples[name].append(subjects[name]())
    return {name: tuple(values) for name, values in samples.items()}
