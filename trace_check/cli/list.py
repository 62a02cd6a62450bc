"""``failure-lab list``: the failure modes, their variants and what TLC must say on each."""

from __future__ import annotations

import argparse
from typing import Any

from rich import box
from rich.table import Table

from trace_check.registry import load_registry
from trace_check.tlc.cli_options import add_root_option, root_of
from trace_check.tlc.report import stdout_console
from trace_check.tlc.workspace import shown


def register(subparsers: Any) -> None:
    """Add the ``list`` subcommand."""
    parser = subparsers.add_parser(
        "list",
        help="list the failure modes with their variants and expected outcomes",
        description="List every failure mode under failure_modes/, its variants and their expected outcomes.",
    )
    add_root_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print each failure mode, its title, and one line per variant."""
    registry = load_registry(root_of(args))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name in ("failure mode / variant", "expected outcome", "violated", "config"):
        table.add_column(name, no_wrap=True)
    for failure_mode in registry.failure_modes:
        table.add_row(f"[bold]{failure_mode.id}[/]", f"[italic]{failure_mode.title}[/]", "", "")
        for index, variant in enumerate(failure_mode.variants):
            table.add_row(
                f"  {variant.name}",
                variant.expect.value,
                variant.violated or "",
                shown(variant.config),
                end_section=index == len(failure_mode.variants) - 1,
            )
    stdout_console().print(table)
    return 0
