"""The ways a TLC run can end: below the parser (TLC's verdicts) and the runner (ours)."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """How a run ended; the first seven are TLC's verdicts, the last two are ours."""

    OK = "ok"
    INVARIANT_VIOLATED = "invariant_violated"
    PROPERTY_VIOLATED = "property_violated"
    DEADLOCK = "deadlock"
    ASSUMPTION_FAILED = "assumption_failed"
    EVALUATION_ERROR = "evaluation_error"
    SPEC_ERROR = "spec_error"
    TIMEOUT = "timeout"
    CRASHED = "crashed"

    @property
    def is_tool_error(self) -> bool:
        """True when the run says nothing about the model (it did not parse, or never finished)."""
        return self in {Outcome.SPEC_ERROR, Outcome.TIMEOUT, Outcome.CRASHED}
