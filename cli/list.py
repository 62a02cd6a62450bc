"""``failure-lab list``: the failure modes, their variants and what TLC must say on each."""

from __future__ import annotations

import argparse
from typing import Any

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc.report import aligned
from failure_lab.trace_check.tlc.workspace import shown


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
    """Print each failure mode with its title, then one line per variant."""
    registry = load_registry(root_of(args))
    rows = [
        (f"  {variant.name}", variant.expect.value, variant.violated or "-", shown(variant.config))
        for failure_mode in registry.every
        for variant in failure_mode.variants
    ]
    # Aligned across all failure modes, so the columns line up down the whole list.
    lines = iter(aligned(rows)) if rows else iter(())
    for failure_mode in registry.every:
        pending = " [pending: expectations not yet met]" if failure_mode.pending else ""
        print(f"{failure_mode.id}: {failure_mode.title}{pending}")
        for _ in failure_mode.variants:
            print(next(lines))
    return 0
