"""The runner's errors: each one line a user can act on, all of them ``TraceCheckError``."""

from __future__ import annotations

from failure_lab.trace_check.errors import TraceCheckError


class TlcError(TraceCheckError):
    """TLC could not be run, or its run ended without a verdict (missing java or jar, crash, timeout)."""
