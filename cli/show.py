"""``failure-lab show``: a saved trace (ITF or TLC output) as a table of steps with what changed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from failure_lab.cli.itf import read_text
from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.parse import Trace, loads_itf, parse_tlc_output
from failure_lab.trace_check.tlc.report import stdout_console
from failure_lab.trace_check.trace_table import render_steps


def register(subparsers: Any) -> None:
    """Add the ``show`` subcommand."""
    parser = subparsers.add_parser(
        "show",
        help="print a saved trace (ITF JSON or TLC output) step by step, only what changed",
        description=(
            "Print each trace in the file as a table: one row per state with its action and only the "
            "variables that changed. The file is ITF JSON (one or more documents) or TLC's output."
        ),
        epilog="exit codes: 0 shown, 2 unreadable input, neither ITF nor TLC output, or no trace in it",
    )
    parser.add_argument("trace", type=Path, metavar="TRACE", help="an ITF file or a saved TLC output")
    parser.add_argument("--width", type=int, default=60, help="cut printed values at this many characters")
    parser.set_defaults(func=run)


def load_traces(path: Path) -> tuple[Trace, ...]:
    """The traces in ``path``: ITF when it starts with ``{``, TLC output otherwise."""
    text = read_text(path)
    if text.lstrip().startswith("{"):
        return loads_itf(text, source=str(path))
    return parse_tlc_output(text, source=str(path)).traces


def run(args: argparse.Namespace) -> int:
    """Print the step table of every trace in the file."""
    traces = load_traces(args.trace)
    if not traces:
        raise TraceCheckError(f"{args.trace}: no trace in it")
    console = stdout_console()
    for trace in traces:
        console.print(render_steps(trace, max_width=args.width))
    return 0
