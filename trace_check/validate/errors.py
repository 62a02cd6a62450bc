"""The validation package's one error type."""

from failure_lab.trace_check.errors import TraceCheckError


class ValidateError(TraceCheckError):
    """A run cannot be recorded, or its trace spec cannot be written or checked."""
