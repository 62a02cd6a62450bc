"""``make check``: a cold run (no cached results) against a fully cached re-run, and parallel against serial.

Each subject is the real command, ``failure-lab check``, as a process: the cold ones with
``--no-cache`` (TLC runs every variant again), the cached one right after a cold one has filled
the cache. Serial is ``--jobs 1``, parallel ``--jobs 2`` (this machine's cores, the CI's too).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.comparison import Comparison, Measurement

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 2
# A cached re-run must cost at most a tenth of a cold one to be worth keeping the cache.
CACHED_TARGET = 0.1
# Two TLC runs at a time on two cores: at least a quarter off the serial time.
PARALLEL_TARGET = 0.75


def _check(*flags: str) -> float:
    cli = "import sys; from failure_lab.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", cli, "check", "--quiet", "--json", "--root", str(ROOT), *flags]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-1:]
        raise RuntimeError(f"failure-lab check {' '.join(flags)} exited {completed.returncode}: {tail}")
    return seconds


def run() -> list[Comparison]:
    """Cold serial, cold parallel and cached, interleaved; the cached run always follows a cold one."""
    subjects = {
        "cold, --jobs 1": lambda: _check("--no-cache", "--jobs", "1"),
        "cold, --jobs 2": lambda: _check("--no-cache", "--jobs", "2"),
    }
    samples: dict[str, list[float]] = {name: [] for name in [*subjects, "cached, --jobs 2"]}
    order = list(subjects)
    shuffle = random.Random(ROUNDS).shuffle
    for _ in range(ROUNDS):
        shuffle(order)
        for name in order:
            samples[name].append(subjects[name]())
            if name == "cold, --jobs 2":
                samples["cached, --jobs 2"].append(_check("--jobs", "2"))
    cores = os.cpu_count() or 1
    cold = Measurement("cold, --jobs 2", tuple(samples["cold, --jobs 2"]))
    return [
        Comparison(
            "check_cached_vs_cold",
            "failure-lab check over every variant: a re-run with every result cached against a cold run",
            candidate=Measurement("cached, --jobs 2", tuple(samples["cached, --jobs 2"])),
            baseline=cold,
            target=CACHED_TARGET,
        ),
        Comparison(
            "check_parallel_vs_serial",
            f"failure-lab check cold: two TLC runs at a time against one ({cores} cores here)",
            candidate=cold,
            baseline=Measurement("cold, --jobs 1", tuple(samples["cold, --jobs 1"])),
            target=PARALLEL_TARGET,
        ),
    ]
