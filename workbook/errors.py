"""The one error type of ``workbook``."""

from __future__ import annotations

from failure_lab.trace_check.errors import TraceCheckError


class WorkbookError(TraceCheckError):
    """The workbook cannot be rendered truthfully; ``str()`` names the file and what was expected.

    It extends the CLI's error type so ``failure-lab workbook`` reports it as one line and exit 2.
    """
