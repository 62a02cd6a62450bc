"""Conformance's reach on each variant, from conformance's own cache (``trace_check.conform.cache``).

Conformance keeps each variant's figures under a key of everything they depend on (the graph's
inputs, the guards, the runtime, the mappings, the checker). Figures kept under today's key are
taken as they are; the missing ones are measured, in processes across cores, and kept for the
next report. ``--rerun-conformance`` measures them all again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from failure_lab.trace_check.conform import ConformanceRecord, conform_variants
from failure_lab.trace_check.coverage.errors import CoverageError
from failure_lab.trace_check.coverage.figures import Reach
from failure_lab.trace_check.coverage.relevance import GraphIndex
from failure_lab.trace_check.parse import StateGraph
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.tlc import Workspace


def conformance_records(
    pairs: Sequence[tuple[FailureMode, Variant]], workspace: Workspace, *, rerun: bool = False
) -> Mapping[tuple[str, str], ConformanceRecord]:
    """Each variant's figures by (failure mode, variant): kept under today's key, else measured now."""
    records: dict[tuple[str, str], ConformanceRecord] = {}
    for answer in conform_variants(pairs, workspace, use_cache=not rerun):
        if answer.record is None:
            problem = answer.problem or "not measured"
            raise CoverageError(f"{answer.fm} ({answer.variant}): no conformance figures: {problem}")
        records[(answer.fm, answer.variant)] = answer.record
    return records


def conformance_reach(record: ConformanceRecord, graph: StateGraph, index: GraphIndex) -> Reach:
    """Conformance's edges checked per action, and the states it reached when it can say which."""
    if (record.states, record.edges) != (len(graph.states), len(graph.edges)):
        raise CoverageError(
            f"{record.fm} ({record.variant}): conformance's figures are of a graph of {record.states} states"
            f" and {record.edges} edges, TLC's of {len(graph.states)} and {len(graph.edges)}; run it again"
        )
    # Conformance reaches states breadth-first through the edges it matched and keeps only their
    # number: when that is every state of the graph we know which, otherwise we cannot say.
    states = index.states if record.states_reached == record.states else None
    steps = {action: checked for action, _, checked in record.coverage}
    detail = f"{record.edges_checked} of {record.edges} edges checked, {record.mismatches} mismatches"
    return Reach("conformance", True, steps, states, detail=detail)
