"""Whether a TLC run ended as its manifest (or the command line) expected: the one verdict on a run."""

from __future__ import annotations

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.tlc.result import TlcResult


def matches(result: TlcResult, expect: Outcome, violated: str | None) -> bool:
    """True when the run ended as expected (and, when a name is expected, on that invariant or property)."""
    if result.outcome is not expect:
        return False
    # TLC 2.15 names a violated invariant but not a violated temporal property; then the outcome decides.
    if violated is None or result.violated == violated:
        return True
    return result.outcome is Outcome.PROPERTY_VIOLATED and result.violated is None
