"""Live progress of a TLC run on a terminal: states found, distinct, queue, rate, time elapsed."""

from __future__ import annotations

import os
from collections.abc import Callable
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.progress import Progress as Bar
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

from failure_lab.trace_check.parse import Progress


def wants_live_progress(stream: IO[str], *, quiet: bool, env: dict[str, str] | None = None) -> bool:
    """Show progress only to a person: on a terminal, outside CI, and not asked to be quiet."""
    env = dict(os.environ) if env is None else env
    return not quiet and stream.isatty() and not env.get("CI")


def describe(progress: Progress) -> str:
    """TLC's latest figures in one line."""
    line = (
        f"{progress.states_generated:,} states found, {progress.distinct_states:,} distinct, "
        f"{progress.states_left:,} on queue"
    )
    rate = progress.states_per_minute
    return line if rate is None else f"{line}, {rate:,} states/min"


class LiveProgress:
    """A spinner line with the elapsed time, updated from TLC's progress messages; gone once the run ends."""

    def __init__(self, label: str, console: Console) -> None:
        self._bar = Bar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._label = label
        self._task = self._bar.add_task(f"{label}: starting TLC", total=None)

    def __enter__(self) -> Callable[[Progress], None]:
        self._bar.__enter__()
        return self.update

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._bar.__exit__(kind, error, traceback)

    def update(self, progress: Progress) -> None:
        """Show the latest figures."""
        self._bar.update(self._task, description=f"{self._label}: {describe(progress)}")
