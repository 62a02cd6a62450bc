"""Whole-state-graph conformance against TLC's own time to explore the same config, in one run.

Per config and round, in a shuffled order: TLC explores the config as ``check`` asks it to, with
its invariants and properties (no cache; a bug config with ``-continue``, so every reachable state
is explored, as the graph has them all); conformance reads the dumped graph and drives every edge
and every runtime step (the graph's TLC run is outside it); and the whole conformance end to end
(TLC dumping the graph, reading it, driving it). Both must stay within twice TLC's own exploration.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.comparison import Comparison, Measurement
from failure_lab.trace_check.conform import conform
from failure_lab.trace_check.conform.graph import graph_request, read_graph, verdict_free
from failure_lab.trace_check.conform.run import guards_off
from failure_lab.trace_check.registry import Variant, load_registry
from failure_lab.trace_check.replay import SpecMapping, load_mapping
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3
TARGET = 2.0  # conformance, and conformance end to end, within twice TLC's own exploration
# Each spec's guarded baseline and one bug config: (failure mode, variant).
CONFIGS = (
    ("a09_stale_epoch", "fixed"),
    ("a09_duplicate_claim", "bug"),
    ("fm001_lease_expiry_duplicate", "fixed"),
    ("fm002_idempotency_boundary", "fixed"),
    ("fm006_poison_message", "fixed"),
    ("fm007_partial_write", "fixed"),
)


def run() -> list[Comparison]:
    """TLC exploring, conformance driving, and both end to end, per config."""
    workspace = Workspace(build=ROOT / "build" / "bench" / "conform")
    registry = load_registry(ROOT)
    subjects: dict[str, Callable[[], float]] = {}
    names: list[str] = []
    for fm_id, variant_name in CONFIGS:
        if fm_id not in {fm.id for fm in registry.failure_modes}:
            continue
        fm = registry.get(fm_id)
        variant = fm.variant(variant_name)
        mapping = load_mapping(fm)
        off = guards_off(fm, variant)
        dump = verdict_free(replace(graph_request(fm.spec, variant), use_cache=False), workspace)
        continued = ("-continue",) if variant.expect is Outcome.INVARIANT_VIOLATED else ()
        explore = TlcRequest(
            spec=fm.spec, config=variant.config, tlc_args=(*variant.tlc_args, *continued), use_cache=False
        )
        name = f"{fm_id}-{variant_name}"
        names.append(name)

        def tlc(explore: TlcRequest = explore) -> float:
            result = run_tlc(explore, workspace, clock=time.perf_counter)
            if result.outcome.is_tool_error:
                raise RuntimeError(result.problem())
            return result.seconds

        def drive(
            dump: TlcRequest = dump,
            variant: Variant = variant,
            mapping: SpecMapping = mapping,
            off: frozenset[str] = off,
        ) -> float:
            result = run_tlc(replace(dump, use_cache=True), workspace)
            started = time.perf_counter()
            conform(read_graph(result, variant), mapping, off)
            return time.perf_counter() - started

        def whole(
            dump: TlcRequest = dump,
            variant: Variant = variant,
            mapping: SpecMapping = mapping,
            off: frozenset[str] = off,
        ) -> float:
            started = time.perf_counter()
            result = run_tlc(dump, workspace, clock=time.perf_counter)
            conform(read_graph(result, variant), mapping, off)
            return time.perf_counter() - started

        subjects[f"{name} TLC"] = tlc
        subjects[f"{name} conform"] = drive
        subjects[f"{name} end to end"] = whole
    samples: dict[str, list[float]] = {label: [] for label in subjects}
    rng = random.Random(7)
    for _ in range(ROUNDS):
        order = list(subjects)
        rng.shuffle(order)
        for label in order:
            samples[label].append(subjects[label]())
    comparisons: list[Comparison] = []
    for name in names:
        explored = Measurement(f"TLC explores {name}", tuple(samples[f"{name} TLC"]))
        comparisons.append(
            Comparison(
                f"conform_vs_tlc_{name}",
                f"conformance over {name}'s whole graph (read it, drive every edge and runtime step) against"
                " TLC exploring the same config",
                candidate=Measurement(f"conform {name}", tuple(samples[f"{name} conform"])),
                baseline=explored,
                target=TARGET,
            )
        )
        comparisons.append(
            Comparison(
                f"conform_end_to_end_vs_tlc_{name}",
                f"conformance end to end on {name} (TLC dumping the graph, reading and driving it) against"
                " TLC exploring the same config",
                candidate=Measurement(f"conform end to end {name}", tuple(samples[f"{name} end to end"])),
                baseline=explored,
                target=TARGET,
            )
        )
    return comparisons
