"""The coverage package's one error type."""

from failure_lab.trace_check.errors import TraceCheckError


class CoverageError(TraceCheckError):
    """A coverage report that cannot be made: bad options, a bundle not ready to be covered."""
