"""The one error type of ``trace_check``: everything a user can get wrong ends here."""

from __future__ import annotations


class TraceCheckError(Exception):
    """A failure the user can act on; ``str()`` is one line that says what and where.

    Subclasses add context (file, line, column, what was expected); the CLI prints
    ``str(error)`` and exits 2, and nothing in the package prints a traceback.
    """
