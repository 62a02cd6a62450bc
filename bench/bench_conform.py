"""Whole-state-graph conformance against TLC's own time to explore the same config, in one run.

Per config and round, in a shuffled order: TLC explores the config (no cache, the same flags the
graph dump uses, without the dump); conformance reads the dumped graph and drives every edge and
every runtime step (the graph's TLC run is outside it); and the whole conformance end to end (TLC
dumping the graph, reading it, driving it) for context.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.comparison import Comparison, Measurement
from failure_lab.trace_check.conform import conform
from failure_lab.trace_check.conform.graph import graph_request
from failure_lab.trace_check.conform.run import guards_off
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay import SpecMapping, load_mapping
from failure_lab.trace_check.state_graph import parse_state_graph
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3
TARGET = 2.0  # conformance within twice TLC's own exploration of the same config
# Each spec's guarded baseline and one bug config: (failure mode, variant).
CONFIGS = (
    ("a09_stale_epoch", "fixed"),
    ("a09_duplicate_claim", "bug"),
    ("fm001_lease_expiry_duplicate", "fixed"),
    ("fm002_idempotency_boundary", "fixed"),
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
        dump = replace(graph_request(fm.spec, variant), use_cache=False)
        explore = replace(dump, dump_graph=False)
        name = f"{fm_id}-{variant_name}"
        names.append(name)

        def tlc(explore: TlcRequest = explore) -> float:
            result = run_tlc(explore, workspace, clock=time.perf_counter)
            if result.outcome.is_tool_error:
                raise RuntimeError(result.problem())
            return result.seconds

        def drive(
            dump: TlcRequest = dump, mapping: SpecMapping = mapping, off: frozenset[str] = off
        ) -> float:
            result = run_tlc(replace(dump, use_cache=True), workspace)
            assert result.graph is not None and result.outcome is not Outcome.CRASHED
            started = time.perf_counter()
            graph = parse_state_graph(result.graph.read_text(encoding="utf-8"), source=str(result.graph))
            conform(graph, mapping, off)
            return time.perf_counter() - started

        def whole(
            dump: TlcRequest = dump, mapping: SpecMapping = mapping, off: frozenset[str] = off
        ) -> float:
            started = time.perf_counter()
            result = run_tlc(dump, workspace, clock=time.perf_counter)
            assert result.graph is not None
            graph = parse_state_graph(result.graph.read_text(encoding="utf-8"), source=str(result.graph))
            conform(graph, mapping, off)
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
                " TLC exploring the same config (context)",
                candidate=Measurement(f"conform end to end {name}", tuple(samples[f"{name} end to end"])),
                baseline=explored,
                target=None,
            )
        )
    return comparisons
