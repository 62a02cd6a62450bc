"""What the workbook's tests share beyond fixtures: the checkout's root and a scratch lab's evidence."""

from __future__ import annotations

from pathlib import Path

from trace_check.tlc import Workspace
from workbook.evidence import Evidence, collect

ROOT = Path(__file__).resolve().parents[2]


def lab_evidence(root: Path) -> Evidence:
    """Collect the scratch lab's evidence, with its own TLC cache under its build folder."""
    return collect(root, workspace=Workspace(root / "build"))
