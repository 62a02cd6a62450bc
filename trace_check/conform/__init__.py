"""Whole-state-graph conformance: every edge of TLC's graph driven into the runtime, and back."""

from failure_lab.trace_check.conform.cache import (
    CachedConformance,
    ConformanceCache,
    cached_conform_variant,
    conform_variants,
)
from failure_lab.trace_check.conform.engine import Conformance, Mismatch, conform
from failure_lab.trace_check.conform.errors import ConformError
from failure_lab.trace_check.conform.graph import DumpedGraph, dump_graph
from failure_lab.trace_check.conform.key import conformance_key
from failure_lab.trace_check.conform.record import ConformanceRecord, ShownMismatch
from failure_lab.trace_check.conform.run import VariantConformance, conform_variant, guards_off

__all__ = [
    "CachedConformance",
    "ConformError",
    "Conformance",
    "ConformanceCache",
    "ConformanceRecord",
    "DumpedGraph",
    "Mismatch",
    "ShownMismatch",
    "VariantConformance",
    "cached_conform_variant",
    "conform",
    "conform_variant",
    "conform_variants",
    "conformance_key",
    "dump_graph",
    "guards_off",
]
