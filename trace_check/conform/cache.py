"""Conformance measured once per key: kept under ``build/conform/``, re-run only when a source changed.

``failure-lab conform`` and the workbook both come through ``conform_variants``: a variant whose
kept record carries today's key (``key.py``) is taken as it is; the others are measured, in
parallel processes (the engine is Python, so threads would share one core), and kept. A record
whose key is not today's is never returned. Variants that share a graph, guards and mapping (the
guarded configs several failure modes share) are measured once.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from failure_lab.trace_check.conform.errors import ConformError
from failure_lab.trace_check.conform.key import ConformanceKey, conformance_key
from failure_lab.trace_check.conform.record import ConformanceRecord, record_of
from failure_lab.trace_check.conform.run import conform_variant
from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.tlc import Workspace


@dataclass(frozen=True, slots=True)
class CachedConformance:
    """One variant as the cache answered: the figures measured under today's key, or why there are none."""

    fm: str
    variant: str
    key: str | None  # today's key; None when it cannot be computed (no mapping module)
    record: ConformanceRecord | None  # None: not measured for today's sources
    problem: str | None  # the error that kept it from being measured, when a run was asked for


@dataclass(frozen=True, slots=True)
class ConformanceCache:
    """``build/conform/<fm>-<variant>.json``: one record per variant, the last one measured."""

    directory: Path

    def path(self, fm: str, variant: str) -> Path:
        """Where ``fm``'s ``variant`` is kept."""
        return self.directory / f"{fm}-{variant}.json"

    def read(self, fm: str, variant: str) -> ConformanceRecord | None:
        """The kept record whatever its key, or None when there is none or it is unreadable."""
        try:
            document = json.loads(self.path(fm, variant).read_text(encoding="utf-8"))
            record = record_of(document, cached=True)
        except (OSError, ValueError, ConformError):
            return None
        return record if (record.fm, record.variant) == (fm, variant) else None

    def get(self, fm: str, variant: str, key: str) -> ConformanceRecord | None:
        """The kept record if it was measured under ``key``; a record of other sources is not returned."""
        record = self.read(fm, variant)
        return record if record is not None and record.key == key else None

    def put(self, record: ConformanceRecord) -> Path:
        """Keep ``record``, atomically: a reader sees the old record or the new one, never half of one."""
        path = self.path(record.fm, record.variant)
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f"{path.name}.{os.getpid()}.partial")
        scratch.write_text(json.dumps(record.as_json(), indent=2) + "\n", encoding="utf-8")
        os.replace(scratch, path)
        return path


def cache_of(workspace: Workspace) -> ConformanceCache:
    """The workspace's conformance records."""
    return ConformanceCache(workspace.build / "conform")


def conform_variants(
    pairs: Sequence[tuple[FailureMode, Variant]],
    workspace: Workspace,
    *,
    use_cache: bool = True,
    run: bool = True,
    jobs: int | None = None,
) -> tuple[CachedConformance, ...]:
    """Each variant's conformance: kept under today's key, else measured (with ``run``), in parallel.

    The processes are spawned: a script that calls this at import time must guard its entry point
    with ``if __name__ == "__main__"``, as ``multiprocessing`` requires.
    """
    cache = cache_of(workspace)
    # Each variant's key, once: the lookup, the grouping, the run and the keeping all take it from here.
    keys: list[ConformanceKey | None] = []
    answers: list[CachedConformance | None] = []
    for fm, variant in pairs:
        try:
            key = conformance_key(fm, variant)
        except TraceCheckError as error:
            keys.append(None)
            answers.append(CachedConformance(fm.id, variant.name, None, None, str(error)))
            continue
        keys.append(key)
        kept = cache.get(fm.id, variant.name, key.value) if use_cache else None
        answers.append(CachedConformance(fm.id, variant.name, key.value, kept, None) if kept else None)
    missing = [index for index, answer in enumerate(answers) if answer is None]
    if not run:
        for index in missing:
            fm, variant = pairs[index]
            answers[index] = CachedConformance(fm.id, variant.name, _value(keys[index]), None, None)
    else:
        for index, answer in _measure_all(pairs, missing, keys, cache, workspace, use_cache, jobs):
            answers[index] = answer
    return tuple(answer for answer in answers if answer is not None)


def cached_conform_variant(
    fm: FailureMode, variant: Variant, workspace: Workspace, *, use_cache: bool = True
) -> ConformanceRecord:
    """``variant``'s conformance from ``build/conform/`` when its sources are unchanged, else measured."""
    (answer,) = conform_variants([(fm, variant)], workspace, use_cache=use_cache)
    if answer.record is None:
        raise ConformError(f"{fm.id} ({variant.name}): {answer.problem or 'not measured'}")
    return answer.record


def _measure(
    fm: FailureMode, variant: Variant, key: ConformanceKey, workspace: Workspace, use_cache: bool
) -> dict[str, Any]:
    """One run, in a worker process: the figures as JSON (what crosses back to the parent)."""
    return conform_variant(fm, variant, workspace, use_cache=use_cache, request=key.request).as_json()


def _same_work(fm: FailureMode, key: ConformanceKey) -> tuple[object, ...]:
    """What decides a run besides names: the graph asked of TLC, the guards off, the mapping."""
    request = key.request
    config = (request.config or request.spec.with_suffix(".cfg")).resolve()
    mapping = fm.mapping.file.resolve() if fm.mapping is not None else None
    return (request.spec, config, request.tlc_args, key.guards_off, mapping)


def _measure_all(
    pairs: Sequence[tuple[FailureMode, Variant]],
    missing: list[int],
    keys: list[ConformanceKey | None],
    cache: ConformanceCache,
    workspace: Workspace,
    use_cache: bool,
    jobs: int | None,
) -> list[tuple[int, CachedConformance]]:
    groups: dict[tuple[object, ...], list[int]] = {}
    done: list[tuple[int, CachedConformance]] = []
    for index in missing:
        groups.setdefault(_same_work(pairs[index][0], _known(keys[index])), []).append(index)
    # Longest first, by the last record's time (any key): the slowest run must not start last.
    order = sorted(groups.values(), key=lambda group: -_last_seconds(cache, *pairs[group[0]]))
    runs = [(*pairs[group[0]], _known(keys[group[0]]), workspace, use_cache) for group in order]
    width = min(jobs or os.cpu_count() or 1, len(order))
    if width <= 1:
        outcomes = [_attempt(partial(_measure, *run)) for run in runs]
    else:
        with ProcessPoolExecutor(max_workers=width, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(_measure, *run) for run in runs]
            outcomes = [_attempt(future.result) for future in futures]
    for group, outcome in zip(order, outcomes, strict=True):
        for index in group:
            done.append((index, _kept(pairs[index], keys[index], outcome, cache)))
    return done


def _value(key: ConformanceKey | None) -> str | None:
    return key.value if key is not None else None


def _known(key: ConformanceKey | None) -> ConformanceKey:
    # Only variants with a key are missing: one whose key failed was answered with its error.
    assert key is not None
    return key


def _attempt(job: Callable[[], dict[str, Any]]) -> dict[str, Any] | str:
    """The run's figures, or its error as one line."""
    try:
        return job()
    except TraceCheckError as error:
        return str(error)
    except BrokenProcessPool:  # the worker was killed (out of memory, a signal): say so, on its page
        return "the process measuring it died before it finished"


def _last_seconds(cache: ConformanceCache, fm: FailureMode, variant: Variant) -> float:
    record = cache.read(fm.id, variant.name)
    return record.seconds + record.tlc_seconds if record is not None else 0.0


def _kept(
    pair: tuple[FailureMode, Variant],
    key: ConformanceKey | None,
    outcome: dict[str, Any] | str,
    cache: ConformanceCache,
) -> CachedConformance:
    fm, variant = pair
    if isinstance(outcome, str) or key is None:
        return CachedConformance(fm.id, variant.name, _value(key), None, str(outcome))
    commit, uncommitted = _commit(fm, key)
    # A shared run is every sharer's: the same graph, guards and mapping, under the sharer's names.
    document = {**outcome, "fm": fm.id, "variant": variant.name, "key": key.value}
    record = record_of({**document, "commit": commit, "uncommitted": uncommitted}, cached=False)
    # Sources edited while it ran: the figures may be of either version, so they are not kept.
    if not key.unchanged():
        return CachedConformance(
            fm.id, variant.name, key.value, None, "its sources changed while it ran; run it again"
        )
    cache.put(record)
    return CachedConformance(fm.id, variant.name, key.value, record, None)


def _commit(fm: FailureMode, key: ConformanceKey) -> tuple[str | None, bool]:
    """HEAD of the failure mode's checkout, and whether any file the key covers differs from it."""
    root = fm.manifest.resolve().parents[2]
    files = {stamp.path.resolve() for stamp in key.files}
    inside = sorted(path.relative_to(root).as_posix() for path in files if path.is_relative_to(root))
    try:
        sha = _git(root, "rev-parse", "--short=12", "HEAD").strip()
        status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *inside)
    except (OSError, subprocess.CalledProcessError):
        return None, False
    return sha, bool(status.strip())


def _git(root: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, encoding="utf-8"
    )
    return completed.stdout
