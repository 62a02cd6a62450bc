"""``python -m trace_check`` is the ``failure-lab`` command."""

from trace_check.cli import run

run()
