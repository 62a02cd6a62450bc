"""Coverage in spec terms: which actions and invariant-relevant states each source reached.

The sources are whole-graph conformance, the replays of the saved counterexamples (repro and
prevent) and recorded runs of the runtime; the graph TLC dumps for each variant is what there is
to reach. ``relevance.py`` says what makes a state relevant to an invariant.
"""

from failure_lab.trace_check.coverage.collect import RECORDED, chosen, cover, cover_variant
from failure_lab.trace_check.coverage.errors import CoverageError
from failure_lab.trace_check.coverage.figures import (
    GRAPH,
    SOURCES,
    Count,
    Coverage,
    FailureModeCoverage,
    Reach,
    RecordedRuns,
    VariantCoverage,
)
from failure_lab.trace_check.coverage.relevance import relevant_states
from failure_lab.trace_check.coverage.report import render, total_line, write_report

__all__ = [
    "GRAPH",
    "RECORDED",
    "SOURCES",
    "Count",
    "Coverage",
    "CoverageError",
    "FailureModeCoverage",
    "Reach",
    "RecordedRuns",
    "VariantCoverage",
    "chosen",
    "cover",
    "cover_variant",
    "relevant_states",
    "render",
    "total_line",
    "write_report",
]
