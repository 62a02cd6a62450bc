"""The conformance package's one error type."""

from failure_lab.trace_check.errors import TraceCheckError


class ConformError(TraceCheckError):
    """The graph cannot be obtained or read, or the runtime cannot be driven over it."""
