"""``failure-lab tlc``: check one failure mode (or any spec) with TLC and show its counterexample."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from failure_lab.cli._options import add_run_options, add_scale_options, root_of, workers_of
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc import Outcome, TlcError, TlcRequest, Workspace, run_tlc
from failure_lab.trace_check.tlc.distributed import Cluster, run_distributed
from failure_lab.trace_check.tlc.expected import matches
from failure_lab.trace_check.tlc.progress import LiveProgress, wants_live_progress
from failure_lab.trace_check.tlc.report import render_result, stdout_console
from failure_lab.trace_check.tlc.simulation import Simulation, simulated
from failure_lab.trace_check.tlc.sizing import default_workers
from failure_lab.trace_check.tlc.workspace import shown

EXIT_CODES = (
    "exit codes: 0 the outcome is the expected one, 1 it is not, "
    "2 usage or tool error (unknown failure mode, spec TLC rejects, crash, timeout)"
)


def register(subparsers: Any) -> None:
    """Add the ``tlc`` subcommand."""
    parser = subparsers.add_parser(
        "tlc",
        help="check one failure mode (or any spec) with TLC",
        description=(
            "Run TLC on a failure mode's variant (the bug variant by default: its counterexample is the "
            "point) or on any spec, and print the outcome, TLC's figures and the counterexample as a "
            "table of steps with only the variables that changed."
        ),
        epilog=EXIT_CODES,
    )
    parser.add_argument("target", metavar="FM|SPEC.tla", help="a failure mode id (see `list`) or a .tla path")
    parser.add_argument(
        "--variant", metavar="NAME", help="the failure mode's variant: bug (default), fixed, ..."
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="for a spec path: its .cfg (default: the one beside it)"
    )
    parser.add_argument(
        "--expect",
        choices=[outcome.value for outcome in Outcome],
        default=Outcome.OK.value,
        metavar="OUTCOME",
        help=f"for a spec path: the outcome that counts as success: {', '.join(Outcome)} (default: ok)",
    )
    add_run_options(parser)
    add_scale_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the target; the exit code says whether the outcome was the expected one."""
    root = root_of(args)
    title, request, expect, violated = _target(args, root)
    workspace = Workspace(build=root / "build")
    workers = workers_of(args) if args.workers is not None else _default_workers(workspace, request)
    request = replace(request, workers=workers, timeout=args.timeout, use_cache=not args.no_cache)
    if args.simulate and args.distributed:
        raise TlcError("--simulate and --distributed: TLC's distributed mode explores exhaustively; pick one")
    if args.simulate:
        request = simulated(request, Simulation(depth=args.depth, seed=args.seed, behaviours=args.behaviours))
        title += f" (simulation: {args.behaviours} behaviours of depth {args.depth}, seed {args.seed})"
    if args.distributed:
        cluster = Cluster(port=args.port, host=args.host, local_workers=args.local_workers)
        result = run_distributed(request, workspace, cluster)
        title += f" (distributed: {args.local_workers} local workers on port {args.port})"
    else:
        live = wants_live_progress(sys.stderr, quiet=args.quiet)
        progress = LiveProgress(title, Console(stderr=True)) if live else nullcontext(None)
        with progress as on_progress:
            result = run_tlc(request, workspace, on_progress=on_progress)
    if result.outcome.is_tool_error and result.outcome is not expect:
        raise TlcError(result.problem())
    render_result(stdout_console(), result, title=title, expect=expect, violated=violated)
    return 0 if matches(result, expect, violated) else 1


def _default_workers(workspace: Workspace, request: TlcRequest) -> int | None:
    config = request.config or request.spec.with_suffix(".cfg")
    return default_workers(workspace, request.spec.resolve(), config.resolve())


def _target(args: argparse.Namespace, root: Path) -> tuple[str, TlcRequest, Outcome, str | None]:
    """What to run and what to expect: a failure mode's variant, or a spec path with ``--expect``."""
    target: str = args.target
    if target.endswith(".tla"):
        if args.variant is not None:
            raise TlcError("--variant is for a failure mode; for a spec path give --config and --expect")
        request = TlcRequest(spec=Path(target), config=args.config)
        return shown(Path(target).resolve()), request, Outcome(args.expect), None
    if args.config is not None:
        raise TlcError("--config is for a spec path; a failure mode's configs come from its manifest")
    failure_mode = load_registry(root).get(target)
    variant = failure_mode.variant(args.variant or failure_mode.variants[0].name)
    request = TlcRequest(spec=failure_mode.spec, config=variant.config, tlc_args=variant.tlc_args)
    return f"{failure_mode.id} ({variant.name})", request, variant.expect, variant.violated
