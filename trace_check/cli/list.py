"""``failure-lab list``: the failure modes, their variants and what TLC must say on each."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.table import Table

from trace_check.registry import load_registry
from trace_check.tlc.cli_options import add_root_option, root_of


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
    """Print the registry as a table."""
    registry = load_registry(root_of(args))
    table = Table()
    for name in ("failure mode", "title", "variant", "expected", "violated", "config"):
        table.add_column(name)
    for failure_mode in registry.failure_modes:
        for index, variant in enumerate(failure_mode.variants):
            table.add_row(
                failure_mode.id if index == 0 else "",
                failure_mode.title if index == 0 else "",
                variant.name,
                variant.expect.value,
                variant.violated or "",
                variant.config.relative_to(registry.root).as_posix()
                if variant.config.is_relative_to(registry.root)
                else str(variant.config),
                end_section=index == len(failure_mode.variants) - 1,
            )
    Console().print(table)
    return 0
