"""``failure-lab workbook``: render the failure workbook from fresh results, as Markdown and a site."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from failure_lab.cli import EXIT_MISMATCH, EXIT_OK
from failure_lab.cli._options import add_root_option, root_of


def register(subparsers: Any) -> None:
    """Add the ``workbook`` subcommand."""
    parser = subparsers.add_parser(
        "workbook",
        help="render the failure workbook (Markdown and an offline HTML site) from fresh results",
        description=(
            "Check every failure mode with TLC (unchanged runs come from the cache), replay the "
            "counterexamples where a replay exists, measure the whole-graph conformance of every variant "
            "that has no figures for today's sources (in parallel processes; kept under build/conform/, so "
            "later builds take them as they are), and render the workbook: Markdown under OUT/md and a "
            "static site under OUT. Every page names the commit and the spec hash it was rendered from."
        ),
        epilog=(
            "exit codes: 0 rendered, every outcome as expected; 1 rendered, but an outcome is not the "
            "expected one or a variant does not conform; 2 a spec, manifest or template error (one line "
            "says where)"
        ),
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: build/workbook in the repository)"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="run TLC, and conformance unless --no-conform, even when an identical run is cached",
    )
    parser.add_argument(
        "--no-conform",
        action="store_true",
        help="measure no conformance: show the figures kept for today's sources, and say where none are",
    )
    add_root_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the workbook and say where it is."""
    # Imported here so the other subcommands do not pay for jinja2 and markdown-it.
    from failure_lab.workbook.build import build_workbook

    root = root_of(args)
    built = build_workbook(root, args.out, use_cache=not args.no_cache, run_conformance=not args.no_conform)
    fresh = built.tlc_runs - built.tlc_cached
    print(
        f"workbook: {len(built.files)} files from commit {built.evidence.commit.describe()}, "
        f"spec hash {built.evidence.spec_hash}; TLC: {built.tlc_runs} variants, {fresh} re-run, "
        f"{built.tlc_cached} unchanged (cached)"
    )
    conformance = [(ve.failure_mode.id, c) for ve in built.evidence.failure_modes for c in ve.conformance]
    measured = sum(1 for _, c in conformance if c.record is not None)
    print(
        f"conformance: {len(conformance)} variants, {built.conformance_runs} measured, "
        f"{measured - built.conformance_runs} unchanged (kept), {len(conformance) - measured} not measured"
    )
    print(f"site: {built.site / 'index.html'}")
    print(f"markdown: {built.markdown / 'index.md'}")
    # The pages say it too; the exit code lets `make` and CI notice a model that no longer behaves.
    unexpected = [
        f"{ve.failure_mode.id} {v.variant.name}"
        for ve in built.evidence.failure_modes
        for v in ve.variants
        if not v.as_expected
    ]
    for name in unexpected:
        print(f"workbook: {name}: TLC's outcome is not the one the manifest expects (see its page)")
    for fm_id, c in conformance:
        if c.record is not None and not c.record.ok:
            print(f"workbook: {fm_id} {c.variant}: the runtime does not conform to the graph (see its page)")
            unexpected.append(f"{fm_id} {c.variant}")
        elif c.problem:
            print(f"workbook: {fm_id} {c.variant}: conformance not available: {c.problem}")
            unexpected.append(f"{fm_id} {c.variant}")
    for fm in built.evidence.pending:
        print(f"workbook: {fm.id}: pending, its expectations are not yet met (listed in the index)")
    return EXIT_MISMATCH if unexpected or built.evidence.pending else EXIT_OK
