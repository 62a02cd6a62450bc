"""``failure-lab conform``: drive a failure mode's whole state graph into the runtime, both ways."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from rich.console import Console
from rich.table import Table

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.trace_check.conform import ConformanceRecord, ConformError, conform_variants
from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc import Workspace


def register(subparsers: Any) -> None:
    """Add the ``conform`` subcommand."""
    parser = subparsers.add_parser(
        "conform",
        help="check every edge of the model's state graph against the runtime, and back",
        description=(
            "Dump the variant's reachable state graph with TLC (-dump dot,actionlabels, cached), then from "
            "every state the runtime reaches take every step: each edge must be a step the runtime takes "
            "into the same state, and each step the runtime takes must be an edge. Without --variant every "
            "variant of the manifest is checked, in parallel. The figures are kept in "
            "build/conform/<fm>-<variant>.json under a key of everything they depend on (the graph's spec, "
            "config and jar, the runtime, the mappings, this checker); while the key is today's, they are "
            "taken from there instead of measured again. The workbook shows the same records."
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
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="measure again (TLC's graph included) even when today's figures are kept",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        default=os.cpu_count() or 1,
        help="variants measured at a time, one process each (default: cores)",
    )
    add_root_option(parser)
    parser.set_defaults(func=run)


def _show(console: Console, c: ConformanceRecord) -> None:
    verdict = "[bold green]conforms[/]" if c.ok else "[bold red]MISMATCH[/]"
    console.print(
        f"[bold]{c.fm}[/] ({c.variant}): {verdict}  {c.states} states, {c.edges} edges,"
        f" {c.edges_checked} checked, {c.mismatches} mismatches; {c.steps_tried} runtime steps tried"
        f" in {c.seconds:.2f} s (TLC {c.tlc_seconds:.2f} s{', cached' if c.tlc_cached else ''})"
    )
    if c.cached:
        console.print(
            f"kept: measured earlier, at commit {c.measured_at()}, from the sources of today's key"
            f" {c.key[:12]}; --no-cache measures again",
            highlight=False,
        )
    table = Table(title="action coverage (spec terms)", title_justify="left")
    table.add_column("action")
    table.add_column("edges", justify="right")
    table.add_column("checked", justify="right")
    for action, edges, checked in c.coverage:
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
    if args.jobs < 1:
        raise TraceCheckError(f"--jobs {args.jobs}: expected a positive number")
    workspace = Workspace(build=root / "build")
    answers = conform_variants(
        [(fm, variant) for variant in variants], workspace, use_cache=not args.no_cache, jobs=args.jobs
    )
    results = []
    for answer in answers:
        if answer.record is None:
            raise ConformError(f"{answer.fm} ({answer.variant}): {answer.problem or 'not measured'}")
        results.append(answer.record)
    if args.json:
        documents = [{**result.as_json(), "cached": result.cached} for result in results]
        print(json.dumps(documents[0] if args.variant else documents, indent=2))
    else:
        console = Console()
        for result in results:
            _show(console, result)
    return 0 if all(result.ok for result in results) else 1
