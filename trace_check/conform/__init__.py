"""Whole-state-graph conformance: every edge of TLC's graph driven into the runtime, and back."""

from trace_check.conform.engine import Call, Conformance, Mismatch, conform
from trace_check.conform.errors import ConformError
from trace_check.conform.graph import DumpedGraph, dump_graph
from trace_check.conform.run import VariantConformance, conform_variant, guards_off

__all__ = [
    "Call",
    "ConformError",
    "Conformance",
    "DumpedGraph",
    "Mismatch",
    "VariantConformance",
    "conform",
    "conform_variant",
    "dump_graph",
    "guards_off",
]
