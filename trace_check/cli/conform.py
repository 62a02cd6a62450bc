"""``failure-lab conform``: drive a failure mode's whole state graph into the runtime, both ways."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from trace_check.conform import VariantConformance, conform_variant
from trace_check.conform.run import save
from trace_check.registry import load_registry
from trace_check.tlc import Workspace
from trace_check.tlc.cli_options import add_root_option, root_of


def register(subparsers: Any) -> None:
    """Add the ``conform`` subcommand."""
    parser = subparsers.add_parser(
        "conform",
        help="check every edge of the model's state graph against the runtime, and back",
        description=(
            "Dump the variant's reachable state graph with TLC (-dump dot,actionlabels, cached), then from "
            "every state the runtime reaches take every step: each edge must be a step the runtime takes "
            "into the same state, and each step the runtime takes must be an edge. Without --variant every "
            "variant of the manifest is checked. The figures are kept in build/conform/<fm>-<variant>.json."
        ),
        epilog="exit codes: 0 every edge checked and no mismatch, 1 otherwise, 2 usage or tool error",
    )
    parser.add_argument("fm", metavar="FM", help="a failure mode id (see `failure-lab list`)")
    parser.add_argument("--variant", help="one variant: bug, fixed, ... (default: all)")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON (an object with --variant, else a list): states, edges, edges_checked, "
        "mismatches, seconds, coverage, ...",
    )
    parser.add_argument("--no-cache", action="store_true", help="run TLC even when its graph is cached")
    add_root_option(parser)
    parser.set_defaults(func=run)


def _show(console: Console, result: VariantConformance) -> None:
    c = result.conformance
    verdict = "[bold green]conforms[/]" if c.ok else "[bold red]MISMATCH[/]"
    console.print(
        f"[bold]{result.fm}[/] ({result.variant}): {verdict}  {c.states} states, {c.edges} edges,"
        f" {c.edges_checked} checked, {c.mismatches} mismatches; {c.steps_tried} runtime steps tried"
        f" in {c.seconds:.2f} s (TLC {result.tlc_seconds:.2f} s{', cached' if result.tlc_cached else ''})"
    )
    table = Table(title="action coverage (spec terms)", title_justify="left")
    table.add_column("action")
    table.add_column("edges", justify="right")
    table.add_column("checked", justify="right")
    for action, (edges, checked) in c.coverage.items():
        table.add_row(action, str(edges), str(checked))
    console.print(table)
    if c.stuttering or c.beyond_horizon:
        console.print(
            f"{c.stuttering} stuttering edges at the horizon; {c.beyond_horizon} runtime steps past the"
            " model's horizon (its time, its epochs; not mismatches)"
        )
    for mismatch in c.shown:
        console.print(mismatch.describe(), markup=False, highlight=False)
    if c.mismatches > len(c.shown):
        console.print(f"... and {c.mismatches - len(c.shown)} more mismatches")


def run(args: argparse.Namespace) -> int:
    """Check the chosen variants and print the figures (or JSON)."""
    root = root_of(args)
    fm = load_registry(root).get(args.fm)
    variants = (fm.variant(args.variant),) if args.variant else fm.variants
    workspace = Workspace(build=root / "build")
    results = [conform_variant(fm, variant, workspace, use_cache=not args.no_cache) for variant in variants]
    for result in results:
        save(result, workspace)
    if args.json:
        documents = [result.as_json() for result in results]
        print(json.dumps(documents[0] if args.variant else documents, indent=2))
    else:
        console = Console()
        for result in results:
            _show(console, result)
    return 0 if all(result.conformance.ok for result in results) else 1
