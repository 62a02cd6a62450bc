"""``failure-lab coverage``: which spec actions and invariant-relevant states each source reached."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.trace_check.coverage import (
    GRAPH,
    RECORDED,
    SOURCES,
    Coverage,
    CoverageError,
    RecordedRuns,
    VariantCoverage,
    chosen,
    cover,
    total_line,
    write_report,
)
from failure_lab.trace_check.coverage.figures import TITLES
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.tlc.workspace import shown

EVERY = (GRAPH, *SOURCES)


def register(subparsers: Any) -> None:
    """Add the ``coverage`` subcommand."""
    parser = subparsers.add_parser(
        "coverage",
        help="the spec actions and invariant-relevant states conformance, replays and recorded runs reached",
        description=(
            "For every variant of the failure modes (all ready ones by default): the spec actions of its "
            "state graph (TLC's cached dump) and how many of them whole-graph conformance checked, the "
            "replays of the saved counterexample drove (guard off and on) and seeded recorded runs took; "
            "and the graph's states relevant to the invariants the failure mode protects (where the "
            "guarded action is enabled), with how many each source reached. Conformance's figures come "
            "from its cache (build/conform), measured only where they are missing. The report is written "
            "as coverage.md and coverage.json."
        ),
        epilog="exit codes: 0 the report was written, 2 usage or tool error",
    )
    parser.add_argument("fm", metavar="FM", nargs="*", help="failure mode ids (default: every ready one)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (as coverage.json)")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where coverage.md and coverage.json go (default: build/coverage)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=RECORDED.runs,
        metavar="N",
        help=f"recorded runs per variant (default: {RECORDED.runs})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=RECORDED.seed,
        metavar="N",
        help=f"the first run's seed (default: {RECORDED.seed})",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=RECORDED.steps,
        metavar="N",
        help=f"steps per run at most (default: {RECORDED.steps})",
    )
    parser.add_argument(
        "--rerun-conformance",
        action="store_true",
        help="measure conformance again (TLC's graph too) even when its figures are kept for today's sources",
    )
    parser.add_argument("--detail", action="store_true", help="also print each variant's table of actions")
    add_root_option(parser)
    parser.set_defaults(func=run)


# The terminal is narrower than a Markdown page: the sources' short names head its columns, and
# actions and states are two tables.


def _summary(coverage: Coverage, what: str) -> Table:
    """One row per variant, a total per failure mode and overall: ``what`` is "actions" or "relevant"."""
    title = (
        "spec actions covered"
        if what == "actions"
        else "states relevant to the failure mode's invariant, reached"
    )
    table = Table(title=f"{title} (repro, prevent: the replays)", title_justify="left")
    table.add_column("failure mode")
    table.add_column("variant")
    for source in EVERY:
        table.add_column(source, justify="right")
    for fm in coverage.failure_modes:
        for number, variant in enumerate(fm.variants):
            counts = variant.actions if what == "actions" else variant.relevant
            table.add_row(fm.fm if number == 0 else "", variant.variant, *(counts(s).text() for s in EVERY))
        counts = fm.actions if what == "actions" else fm.relevant
        table.add_row("", "all", *(counts(s).text() for s in EVERY), style="bold", end_section=True)
    counts = coverage.actions if what == "actions" else coverage.relevant
    table.add_row("overall", "", *(counts(s).text() for s in EVERY), style="bold")
    return table


def _detail(console: Console, variant: VariantCoverage) -> None:
    actions = Table(
        title=f"{variant.fm} {variant.heading()}",
        title_justify="left",
    )
    actions.add_column("action")
    for source in EVERY:
        actions.add_column(source, justify="right")
    steps = {source: variant.steps(source) for source in EVERY}
    for action in variant.spec_actions:
        cells = ["—" if s is None else (str(s[action]) if s[action] else "[red]0[/]") for s in steps.values()]
        actions.add_row(action, *cells)
    console.print(actions)
    states = Table()
    states.add_column("relevant states of")
    states.add_column("at")
    for source in EVERY:
        states.add_column(source, justify="right")
    for item in variant.invariants:
        states.add_row(
            item.protected.invariant,
            item.protected.guarded_action,
            *(variant.relevant(source, item).text() for source in EVERY),
            style=None if item.own else "dim",
        )
    console.print(states)
    for reach in variant.reaches:
        console.print(f"  {TITLES[reach.source]}: {reach.detail}", markup=False, highlight=False)


def run(args: argparse.Namespace) -> int:
    """Collect the coverage, write the report, print it (or its JSON)."""
    for option in ("runs", "steps"):
        if getattr(args, option) < 1:
            raise CoverageError(f"--{option} {getattr(args, option)}: expected a positive number")
    root = root_of(args)
    registry = load_registry(root)
    failure_modes = chosen(registry, args.fm)
    workspace = Workspace(build=root / "build")
    recorded = RecordedRuns(runs=args.runs, seed=args.seed, steps=args.steps)
    console = Console()
    with Console(stderr=True).status("coverage", spinner="dots") as status:
        coverage = cover(
            failure_modes,
            registry,
            workspace,
            recorded=recorded,
            rerun_conformance=args.rerun_conformance,
            progress=None if args.json else lambda what: status.update(f"coverage: {what}"),
        )
    markdown, document = write_report(coverage, args.out or workspace.build / "coverage")
    if args.json:
        print(json.dumps(coverage.as_json(), indent=2))
        return 0
    variants = [variant for fm in coverage.failure_modes for variant in fm.variants]
    kept = sum(variant.conformance_kept for variant in variants)
    console.print(
        f"{len(coverage.failure_modes)} failure modes, {len(variants)} variants; recorded runs: "
        f"{recorded.text()}; conformance: {kept} kept for today's sources, "
        f"{len(variants) - kept} measured now"
    )
    if args.detail:
        for variant in variants:
            _detail(console, variant)
    console.print(_summary(coverage, "actions"))
    console.print(_summary(coverage, "relevant"))
    console.print(f"overall: {total_line(coverage.actions, coverage.relevant)}", highlight=False)
    console.print(f"report: {shown(markdown)}, {shown(document)}", highlight=False)
    return 0
