"""Conformance of one failure mode's variant: its graph from TLC, its mapping, its guards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from failure_lab.trace_check.conform.engine import Conformance, conform
from failure_lab.trace_check.conform.graph import dump_graph
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.replay.mapping import SpecMapping, load_mapping
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace


@dataclass(frozen=True, slots=True)
class VariantConformance:
    """A variant's conformance and the TLC run that explored its graph."""

    fm: str
    variant: str
    conformance: Conformance
    tlc_seconds: float
    tlc_cached: bool
    graph: str  # the dump's file name, which carries the TLC run's cache key

    def as_json(self) -> dict[str, Any]:
        """The figures as JSON: states, edges, edges_checked, mismatches, seconds, coverage, and more."""
        c = self.conformance
        return {
            "fm": self.fm,
            "variant": self.variant,
            "states": c.states,
            "edges": c.edges,
            "edges_checked": c.edges_checked,
            "mismatches": c.mismatches,
            "seconds": round(c.seconds, 3),
            "coverage": {
                action: {"edges": edges, "checked": checked}
                for action, (edges, checked) in c.coverage.items()
            },
            "states_reached": c.states_reached,
            "steps_tried": c.steps_tried,
            "stuttering": c.stuttering,
            "beyond_horizon": c.beyond_horizon,
            "tlc_seconds": round(self.tlc_seconds, 3),
            "tlc_cached": self.tlc_cached,
            "graph": self.graph,
            "shown": [
                {
                    "kind": m.kind,
                    "step": m.step,
                    "after": [call.text() for call in m.path],
                    "detail": m.detail,
                }
                for m in c.shown
            ],
        }


def guards_off(fm: FailureMode, variant: Variant) -> frozenset[str]:
    """The guards to switch off for ``variant``: the failure mode's one guard when TLC refutes it."""
    if variant.expect is Outcome.OK or fm.python_guard is None:
        return frozenset()
    return frozenset({fm.python_guard})


def conform_variant(
    fm: FailureMode,
    variant: Variant,
    workspace: Workspace,
    *,
    mapping: SpecMapping | None = None,
    use_cache: bool = True,
    request: TlcRequest | None = None,
) -> VariantConformance:
    """Dump ``variant``'s graph (cached) and drive it into the runtime with the variant's guards.

    ``request`` is the graph's TLC request when the caller built it already (its conformance key did).
    """
    dumped = dump_graph(fm.spec, variant, workspace, use_cache=use_cache, request=request)
    result = conform(dumped.graph, mapping or load_mapping(fm), guards_off(fm, variant))
    graph = dumped.result.graph.name if dumped.result.graph is not None else ""
    return VariantConformance(fm.id, variant.name, result, dumped.result.seconds, dumped.result.cached, graph)
