"""The recorded runs' reach on one variant: seeded random runs, as ``failure-lab validate`` records them.

The runs are only recorded here, not checked by TLC (that is ``failure-lab validate``): what counts
is which actions the runtime took in them and which states of the graph they passed through. The
seeds are fixed, so the same runtime gives the same runs and the report repeats.
"""

from __future__ import annotations

from collections import Counter

from failure_lab.trace_check.conform import guards_off
from failure_lab.trace_check.conform.engine import calls_of, horizon_of
from failure_lab.trace_check.coverage.figures import Reach, RecordedRuns
from failure_lab.trace_check.coverage.relevance import GraphIndex
from failure_lab.trace_check.parse import StateGraph
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.replay.mapping import SpecMapping
from failure_lab.trace_check.validate.record import Recording, random_run


def record_runs(
    fm: FailureMode, variant: Variant, mapping: SpecMapping, graph: StateGraph, recorded: RecordedRuns
) -> tuple[Recording, ...]:
    """The variant's runs: its guards, its graph's calls and horizon, seeds from ``recorded.seed`` on."""
    calls, horizon = calls_of(graph, mapping), horizon_of(graph)
    off = guards_off(fm, variant)
    return tuple(
        random_run(mapping, off, calls, seed=recorded.seed + number, steps=recorded.steps, horizon=horizon)
        for number in range(recorded.runs)
    )


def recorded_reach(runs: tuple[Recording, ...], index: GraphIndex) -> Reach:
    """Events per spec action (faults and ``Init`` are no action) and the graph states the runs passed."""
    events = [event for run in runs for event in run.events]
    steps = Counter(event.action for event in events if event.fault is None and event.action != "Init")
    states, off_graph = index.reached(dict(event.state) for event in events)
    detail = f"{len(runs)} runs, {sum(steps.values())} steps"
    if off_graph:
        detail += f", {off_graph} states no state of the graph"
    return Reach("recorded", True, dict(steps), states, off_graph, detail)
