"""Live progress of a TLC run on a terminal: states found, distinct, queue, rate."""

from __future__ import annotations

import os
from collections.abc import Callable
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.spinner import Spinner

from trace_check.tlc_output import Progress


def wants_live_progress(stream: IO[str], *, quiet: bool) -> bool:
    """Show progress only to a person: on a terminal, outside CI, and not asked to be quiet."""
    return not quiet and stream.isatty() and not os.environ.get("CI")


class LiveProgress:
    """A one-line spinner updated from TLC's progress messages; gone once the run ends."""

    def __init__(self, label: str, console: Console) -> None:
        self._label = label
        self._spinner = Spinner("dots", text=f"{label}: starting TLC")
        self._live = Live(self._spinner, console=console, transient=True, refresh_per_second=8)

    def __enter__(self) -> Callable[[Progress], None]:
        self._live.__enter__()
        return self.update

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._live.__exit__(kind, error, traceback)

    def update(self, progress: Progress) -> None:
        """Show the latest figures."""
        self._spinner.update(
            text=(
                f"{self._label}: {progress.states_generated:,} states found, "
                f"{progress.distinct_states:,} distinct, {progress.states_left:,} on queue, "
                f"{progress.states_per_minute:,} states/min"
            )
        )
