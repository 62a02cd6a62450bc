"""How big a model is, from its last saved run: big ones get one TLC worker per core by default."""

from __future__ import annotations

import re
from pathlib import Path

from failure_lab.trace_check.tlc.workspace import Workspace

# Below this many distinct states a run takes seconds and extra workers mostly add start-up and
# contention; above it, the search dominates and TLC's workers pay off (see the workbook's
# performance page for the measured ratio).
BIG_DISTINCT_STATES = 200_000

_DISTINCT = re.compile(r"([\d,]+) distinct states found")


def last_distinct_states(workspace: Workspace, spec: Path, config: Path) -> int | None:
    """The distinct-state count of the newest saved run of ``spec`` with ``config``, if any."""
    runs = sorted(
        workspace.runs.glob(f"{spec.stem}-{config.stem}-*.out"), key=lambda path: path.stat().st_mtime
    )
    for run in reversed(runs):
        counts = _DISTINCT.findall(run.read_text(encoding="utf-8", errors="replace"))
        if counts:
            return int(counts[-1].replace(",", ""))
    return None


def default_workers(workspace: Workspace, spec: Path, config: Path) -> int | None:
    """One worker for a small (or never run) model, one per core (None) for a big one."""
    distinct = last_distinct_states(workspace, spec, config)
    return None if distinct is not None and distinct >= BIG_DISTINCT_STATES else 1
