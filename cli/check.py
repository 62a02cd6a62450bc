"""``failure-lab check``: every failure mode, every variant, against its expected outcome."""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from rich.console import Console
from rich.progress import Progress

from failure_lab.cli._options import add_run_options, root_of, workers_of
from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.registry import FailureMode, Variant, load_registry
from failure_lab.trace_check.tlc import TlcRequest, TlcResult, Workspace, run_tlc
from failure_lab.trace_check.tlc.expected import matches
from failure_lab.trace_check.tlc.progress import wants_live_progress
from failure_lab.trace_check.tlc.report import aligned

EXIT_CODES = (
    "exit codes: 0 every outcome is the expected one, 1 at least one is not, "
    "2 usage or tool error (a spec TLC rejects, a crash, a timeout)"
)


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One variant checked: its expectation and what TLC said (or the error that stopped it)."""

    failure_mode: FailureMode
    variant: Variant
    result: TlcResult | None
    error: str | None

    @property
    def matched(self) -> bool:
        return self.result is not None and matches(self.result, self.variant.expect, self.variant.violated)

    @property
    def tool_error(self) -> str | None:
        if self.error is not None:
            return self.error
        if self.result is not None and self.result.outcome.is_tool_error and not self.matched:
            return self.result.problem()
        return None

    def record(self) -> dict[str, Any]:
        result = self.result
        return {
            "fm": self.failure_mode.id,
            "variant": self.variant.name,
            "expected": self.variant.expect.value,
            "outcome": result.outcome.value if result else "error",
            "violated": result.violated if result else None,
            "states": result.states_generated if result else None,
            "distinct": result.distinct_states if result else None,
            "depth": result.depth if result else None,
            "seconds": round(result.seconds, 3) if result else None,
            "cached": result.cached if result else False,
        }


def register(subparsers: Any) -> None:
    """Add the ``check`` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="check every failure mode and variant against its expected outcome",
        description=(
            "Run TLC on every variant of every failure mode (or of the ones named), in parallel, and "
            "compare each outcome with the one its manifest expects. Unchanged runs come from the cache."
        ),
        epilog=EXIT_CODES,
    )
    parser.add_argument("fm", nargs="*", metavar="FM", help="only these failure modes (default: all)")
    parser.add_argument("--json", action="store_true", help="one JSON record per line instead of a table")
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        default=os.cpu_count() or 1,
        help="TLC runs at a time (default: cores)",
    )
    add_run_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check every selected variant; the exit code says whether all matched."""
    registry = load_registry(root_of(args))
    selected = [registry.get(fm_id) for fm_id in args.fm] or list(registry.every)
    pairs = [(failure_mode, variant) for failure_mode in selected for variant in failure_mode.variants]
    if not pairs:
        raise TraceCheckError(f"no failure modes under {registry.root / 'failure_modes'}")
    if args.jobs < 1:
        raise TraceCheckError(f"--jobs {args.jobs}: expected a positive number")
    workspace = Workspace(build=registry.root / "build")
    template = TlcRequest(
        spec=selected[0].spec, workers=workers_of(args), timeout=args.timeout, use_cache=not args.no_cache
    )

    requests = {
        pair: replace(template, spec=pair[0].spec, config=pair[1].config, tlc_args=pair[1].tlc_args)
        for pair in pairs
    }
    # Variants that share a spec, config and flags (several guarded models do) run TLC once.
    unique = list(dict.fromkeys(requests.values()))

    def check(request: TlcRequest) -> TlcResult | str:
        try:
            return run_tlc(request, workspace)
        except TraceCheckError as error:
            return str(error)

    live = wants_live_progress(sys.stderr, quiet=args.quiet or args.json)
    with ThreadPoolExecutor(max_workers=min(args.jobs, len(unique))) as pool:
        if live:
            with Progress(console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task(
                    f"checking {len(pairs)} variants ({len(unique)} TLC runs)", total=len(unique)
                )
                outcomes = []
                for outcome in pool.map(check, unique):
                    outcomes.append(outcome)
                    bar.advance(task)
        else:
            outcomes = list(pool.map(check, unique))
    by_request = dict(zip(unique, outcomes, strict=True))
    rows = [
        _row(failure_mode, variant, by_request[requests[(failure_mode, variant)]])
        for failure_mode, variant in pairs
    ]
    if args.json:
        for row in rows:
            print(json.dumps(row.record()))
    else:
        _print_table(rows)
    errors = [error for row in rows if (error := row.tool_error) is not None]
    for error in errors:
        print(f"failure-lab: error: {error}", file=sys.stderr)
    if errors:
        return 2
    return 0 if all(row.matched and not row.failure_mode.pending for row in rows) else 1


def _row(failure_mode: FailureMode, variant: Variant, outcome: TlcResult | str) -> CheckRow:
    if isinstance(outcome, str):
        return CheckRow(failure_mode, variant, None, outcome)
    return CheckRow(failure_mode, variant, outcome, None)


def _print_table(rows: list[CheckRow]) -> None:
    header = ("failure mode", "variant", "outcome", "violated", "states", "distinct", "depth", "seconds", "")
    lines: list[tuple[str, ...]] = [header]
    for row in rows:
        record = row.record()
        seconds = "" if record["seconds"] is None else f"{record['seconds']:.2f}"
        lines.append(
            (
                record["fm"],
                record["variant"],
                record["outcome"],
                record["violated"] or "-",
                _number(record["states"]),
                _number(record["distinct"]),
                _number(record["depth"]),
                seconds + (" cached" if record["cached"] else ""),
                _verdict(row, record["expected"]),
            )
        )
    for line in aligned(lines, right=frozenset({4, 5, 6, 7})):
        print(line)
    matched = sum(row.matched and not row.failure_mode.pending for row in rows)
    pending = sum(row.failure_mode.pending for row in rows)
    print(f"{matched} of {len(rows)} variants as expected" + (f", {pending} pending" if pending else ""))


def _verdict(row: CheckRow, expected: str) -> str:
    # A pending bundle is never green, even where its skeleton happens to match.
    verdict = "as expected" if row.matched else f"NOT AS EXPECTED: {expected}"
    return f"PENDING ({verdict})" if row.failure_mode.pending else verdict


def _number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"
