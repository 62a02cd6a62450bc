"""``python -m failure_lab`` is the ``failure-lab`` command."""

from failure_lab.cli import run

run()
