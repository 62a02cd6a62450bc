"""How a TLC result reads on a terminal and in JSON."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.tlc.expected import matches
from failure_lab.trace_check.tlc.result import TlcResult
from failure_lab.trace_check.tlc.workspace import shown
from failure_lab.trace_check.trace_table import render_steps


def figures(result: TlcResult) -> str:
    """TLC's figures in one phrase."""
    parts = []
    if result.states_generated is not None:
        parts.append(f"{result.states_generated:,} states generated")
    if result.distinct_states is not None:
        parts.append(f"{result.distinct_states:,} distinct")
    if result.depth is not None:
        parts.append(f"depth {result.depth}")
    return ", ".join(parts) or "none reported"


def render_result(
    console: Console, result: TlcResult, *, title: str, expect: Outcome, violated: str | None
) -> None:
    """Print the outcome against its expectation, the figures, the counterexample and the saved output."""
    verdict = "as expected" if matches(result, expect, violated) else f"[bold red]expected {expect}[/]"
    if violated is not None and not matches(result, expect, violated):
        verdict = f"[bold red]expected {expect} of {violated}[/]"
    console.print(f"[bold]{title}[/]: [bold]{result.outcome}[/], {verdict}")
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="dim")
    summary.add_column()
    if result.violated is not None:
        summary.add_row("violated", result.violated)
    summary.add_row("figures", figures(result))
    summary.add_row(
        "time",
        f"{result.seconds:.2f} s" + (" (cached: nothing changed since that run)" if result.cached else ""),
    )
    summary.add_row("TLC", f"{result.version or 'version unknown'} from {shown(result.jar)}")
    for warning in result.warnings:
        summary.add_row("warning", " ".join(warning.split()))
    console.print(summary)
    if result.trace is not None:
        console.print(render_steps(result.trace))
    console.print(f"full output: {shown(result.output)}", soft_wrap=True, highlight=False)


def stdout_console() -> Console:
    """A console for results: the terminal's (or ``COLUMNS``) width, else wide enough not to fold tables."""
    # Off a terminal rich assumes 80 columns and folds every table; a log reads better unfolded.
    if sys.stdout.isatty() or "COLUMNS" in os.environ:
        return Console()
    return Console(width=200)


def aligned(rows: Sequence[Sequence[str]], *, right: frozenset[int] = frozenset()) -> list[str]:
    """Rows as lines of padded columns (never cut: a narrow terminal wraps a line, it loses nothing)."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines
