"""``failure-lab validate``: record the runtime's own runs; TLC checks each is a behaviour of the spec."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc.workspace import Workspace, shown
from failure_lab.trace_check.validate import ValidateError, VariantValidation, validate_variant


def register(subparsers: Any) -> None:
    """Add the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate",
        help="check recorded runs of the runtime against the spec with TLC (code → spec)",
        description=(
            "Record seeded random runs of the runtime (with scanner restarts and worker crashes), write "
            "a TLA+ trace spec under build/validate/ that constrains the bounded model to them, and let "
            "TLC confirm each is a behaviour of the spec, or name the first event no step of the model "
            "fits and the conjunct that fails. A failing run is shrunk before it is shown."
        ),
        epilog="exit codes: 0 every run is a behaviour of the spec, 1 one is not, 2 usage or tool error",
    )
    parser.add_argument("fm", metavar="FM", help="a failure mode id (see `failure-lab list`)")
    parser.add_argument("--variant", help="one variant: bug, fixed, ... (default: all)")
    parser.add_argument("--runs", type=int, default=20, metavar="N", help="runs to record (default: 20)")
    parser.add_argument("--seed", type=int, default=1, metavar="N", help="the first run's seed (default: 1)")
    parser.add_argument(
        "--steps", type=int, default=40, metavar="N", help="steps per run at most (default: 40)"
    )
    parser.add_argument("--no-shrink", action="store_true", help="show a failing run as recorded")
    parser.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    add_root_option(parser)
    parser.set_defaults(func=run)


def _show(console: Console, result: VariantValidation) -> None:
    v = result.validation
    head = f"[bold]{result.fm}[/] ({result.variant}): {v.runs} runs, {v.events} events"
    if v.unmatched is None:
        console.print(
            f"{head}: every run is a behaviour of the spec (TLC {v.tlc_seconds:.2f} s, {shown(v.spec)})"
        )
        return
    seed = result.runs[v.unmatched.run].seed
    console.print(f"{head}: [bold red]run {seed} is not a behaviour of the spec[/]")
    console.print(f"  {v.unmatched.describe()}", markup=False, highlight=False)
    if result.shrunk is not None:
        run, verdict = result.shrunk
        before = len(result.runs[v.unmatched.run].schedule)
        console.print(f"  shrunk from {before} to {len(run.schedule)} steps:")
        if verdict.unmatched is not None:
            console.print(f"  {verdict.unmatched.describe()}", markup=False, highlight=False)
        for line in run.python(result.fm, result.guards_off).splitlines():
            console.print(f"    {line}", markup=False, highlight=False)


def run(args: argparse.Namespace) -> int:
    """Record, check, shrink; print the verdicts."""
    for option in ("runs", "steps"):
        if getattr(args, option) < 1:
            raise ValidateError(f"--{option} {getattr(args, option)}: expected a positive number")
    root = root_of(args)
    fm = load_registry(root).get(args.fm)
    variants = (fm.variant(args.variant),) if args.variant else fm.variants
    workspace = Workspace(build=root / "build")
    results = [
        validate_variant(
            fm,
            variant,
            workspace,
            runs=args.runs,
            seed=args.seed,
            steps=args.steps,
            shrinking=not args.no_shrink,
        )
        for variant in variants
    ]
    if args.json:
        documents = [result.as_json() for result in results]
        print(json.dumps(documents[0] if args.variant else documents, indent=2))
    else:
        console = Console()
        for result in results:
            _show(console, result)
    return 0 if all(result.validation.ok for result in results) else 1
