"""``failure-lab soak``: real worker processes, real SIGKILLs, and a JSON summary of what survived."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.python_impl import journal
from failure_lab.python_impl.errors import QueueError
from failure_lab.python_impl.policies import Guards
from failure_lab.python_impl.soak import BUDGET, SoakConfig, soak, to_json
from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.lab import lab_module
from failure_lab.trace_check.registry import LAB
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate.soak import SoakValidation


class SoakError(TraceCheckError):
    """A soak that could not start: bad arguments or a database the queue refuses."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``soak`` subcommand."""
    parser = subparsers.add_parser(
        "soak",
        help="run worker processes against one SQLite file, SIGKILL them, and report what survived",
        description="Exit codes: 0 clean (or a guard is off, the summary shows its symptom), 1 a guarded run "
        "lost, duplicated or left work stuck, 2 bad arguments.",
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--jobs", type=int, default=50, help="jobs to run (default 50)")
    parser.add_argument("--kills", type=int, default=4, help="SIGKILLs: half at fault points, half timed")
    parser.add_argument("--stalls", type=int, default=2, help="workers that stall past their lease (zombies)")
    parser.add_argument("--seed", type=int, default=0, help="decides jobs, kill moments and victims")
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file (recreated)")
    parser.add_argument(
        "--effects", type=Path, required=True, help="the effects file, JSON lines (recreated)"
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="GUARD",
        help=f"switch a guard off: {', '.join(Guards.names())}",
    )
    parser.add_argument(
        "--lease-ms", type=int, default=300, help="lease length in milliseconds (default 300)"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="give up after this many seconds (default 60)"
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="journal every change and check the run with TLC as a behaviour of the guarded Jobs spec",
    )
    add_root_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the soak and print its summary."""
    try:
        config = SoakConfig(
            db=args.db,
            effects=args.effects,
            workers=args.workers,
            jobs=args.jobs,
            kills=args.kills,
            stalls=args.stalls,
            seed=args.seed,
            guards=Guards().without(*args.without),
            lease_ticks=args.lease_ms,
            timeout_ticks=int(args.timeout * 1000),
            journal=args.validate,
        )
        summary = soak(config)
    except (ValueError, QueueError) as error:
        raise SoakError(f"soak: {error}") from None
    if args.validate:
        root = root_of(args)
        workspace = Workspace(build=root / "build")
        summary["validation"] = validate_soak(config.db, summary, workspace, root).as_json()
    print(to_json(summary))
    fine = summary["clean"] and summary.get("validation", {}).get("ok", True)
    return 0 if fine or summary["guards_off"] else 1


def validate_soak(db: Path, summary: dict[str, Any], workspace: Workspace, root: Path) -> SoakValidation:
    """The soak's journal checked by TLC against the guarded Jobs spec (jobs without an effect left out),
    through the Jobs mapping's translation of the journal (in the lab at ``root``)."""
    rows = journal.read(db)
    leave_out = frozenset(row.job_key for row in rows) - frozenset(summary["effects"])
    jobs_journal = lab_module(root / LAB, "mappings/jobs_journal.py")
    validation: SoakValidation = jobs_journal.validate_journal(
        rows, budget=BUDGET, workspace=workspace, leave_out=leave_out
    )
    return validation
