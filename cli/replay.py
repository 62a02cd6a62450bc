"""``failure-lab replay``: drive a failure mode's counterexample into the runtime, guard off and on."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.trace_check.parse import Trace, loads_itf
from failure_lab.trace_check.registry import FailureMode, load_registry
from failure_lab.trace_check.replay import (
    MappingError,
    SpecMapping,
    judge_prevent,
    judge_repro,
    load_mapping,
    replay,
)
from failure_lab.trace_check.replay.fixtures import Fixture, fixtures, fresh_trace
from failure_lab.trace_check.replay.mapping import import_mapping
from failure_lab.trace_check.replay.report import divergence_report, step_table, verdict_line
from failure_lab.trace_check.tlc import Workspace


def register(subparsers: Any) -> None:
    """Add the ``replay`` subcommand."""
    parser = subparsers.add_parser(
        "replay",
        help="replay a failure mode's counterexample against the runtime",
        description=(
            "Take the failure mode's counterexample (from TLC through the cached runner, or a saved ITF "
            "trace), drive it into the Python runtime step by step with the guard switched off (repro: "
            "every state must agree and the invariant must break) and on (prevent: the guard must refuse "
            "or change the step it exists for, and every invariant must hold)."
        ),
        epilog="exit codes: 0 both verdicts as expected, 1 not, 2 usage or tool error",
    )
    parser.add_argument("fm", metavar="FM", help="a failure mode id (see `failure-lab list`)")
    parser.add_argument("--variant", help="which refuted variant's trace: bug (default), liveness, ...")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--saved", action="store_true", help="use the bundle's saved ITF trace (no Java)")
    source.add_argument("--trace", type=Path, help="replay this ITF file instead")
    parser.add_argument(
        "--mapping",
        metavar="MODULE:NAME",
        help="use this SpecMapping instead of the bundle's (e.g. your own)",
    )
    add_root_option(parser)
    parser.set_defaults(func=run)


def _fixture(fm: FailureMode, variant: str | None) -> Fixture:
    known = fixtures(fm)
    name = variant or known[0].variant.name
    for fixture in known:
        if fixture.variant.name == name:
            return fixture
    names = ", ".join(f.variant.name for f in known)
    raise MappingError(f"{fm.id}: no refuted variant {name!r} to replay (known: {names})")


def _mapping(fm: FailureMode, spec: str | None) -> SpecMapping:
    if spec is None:
        return load_mapping(fm)
    return import_mapping(spec, "--mapping")


def _trace(args: argparse.Namespace, fixture: Fixture, root: Path) -> Trace:
    if args.trace is not None:
        if not args.trace.is_file():
            raise MappingError(f"{args.trace}: no such ITF file")
        traces = loads_itf(args.trace.read_text(encoding="utf-8"), source=str(args.trace))
        if len(traces) != 1:
            raise MappingError(f"{args.trace}: expected one trace, found {len(traces)}")
        return traces[0]
    if args.saved:
        return fixture.load()
    return fresh_trace(fixture, Workspace(build=root / "build"))


def run(args: argparse.Namespace) -> int:
    """Replay both directions and print the step table, the verdicts and any divergence."""
    root = root_of(args)
    fm = load_registry(root).get(args.fm)
    if fm.python_guard is None or fm.guarded_action is None:
        raise MappingError(f"{fm.id}: its manifest names no python_guard and guarded_action to replay")
    fixture = _fixture(fm, args.variant)
    mapping = _mapping(fm, args.mapping)
    trace = _trace(args, fixture, root)
    invariant = fixture.variant.violated or fm.invariant or ""
    repro = replay(trace, mapping, frozenset({fm.python_guard}))
    prevent = replay(trace, mapping, frozenset())
    verdicts = (
        judge_repro(trace, repro, invariant),
        judge_prevent(prevent, fm.python_guard, fm.guarded_action),
    )
    console = Console()
    console.print(f"[bold]{fm.id}[/bold] ({fixture.variant.name}): {fm.title}")
    console.print(step_table(repro, prevent))
    reports = {
        "guard off (repro)": divergence_report(repro),
        "guard on (prevent)": divergence_report(prevent),
    }
    if len(set(reports.values())) == 1:
        reports = {"both directions": reports["guard off (repro)"]}
    for direction, report in reports.items():
        if report:
            console.print(f"{direction}: {report}", markup=False, highlight=False)
    console.print(verdict_line("repro", verdicts[0]))
    console.print(verdict_line("prevent", verdicts[1]))
    return 0 if all(v.ok for v in verdicts) else 1
