"""``failure-lab mutants``: run replay, conformance and trace validation against every runtime mutant."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.trace_check.conform import conform, dump_graph
from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.lab import lab_module
from failure_lab.trace_check.parse import StateGraph
from failure_lab.trace_check.registry import LAB, Registry, load_registry
from failure_lab.trace_check.replay import judge_prevent, judge_repro, load_mapping, replay
from failure_lab.trace_check.replay.fixtures import fixtures
from failure_lab.trace_check.replay.mapping import MappingError, SpecMapping, guarded_variants
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate import teeth


@dataclass(frozen=True, slots=True)
class Check:
    """One check of one kind; its signature on a mutant differs from the runtime's when it catches it."""

    kind: str  # "replay", "conformance", "validation"
    name: str
    signature: Callable[[], Hashable]


def register(subparsers: Any) -> None:
    """Add the ``mutants`` subcommand."""
    parser = subparsers.add_parser(
        "mutants",
        help="prove the checks have teeth: every deliberate runtime mutant must be caught",
        description=(
            "Apply each mutant of failure_modes/mutants.py to the runtime (by patching) and run the "
            "replays of every saved counterexample, conformance over every guarded config's state "
            "graph, and trace validation of recorded runs. A check catches a mutant when its result "
            "differs from the unmutated runtime's. The last line: mutants: caught X of Y."
        ),
        epilog="exit codes: 0 every mutant caught, 1 some escaped, 2 usage or tool error",
    )
    parser.add_argument("--only", action="append", metavar="NAME", help="only this mutant (repeatable)")
    parser.add_argument(
        "--checks",
        default="replay,conformance,validation",
        help="which kinds of check to run, comma-separated (default: replay,conformance,validation)",
    )
    parser.add_argument("--verbose", action="store_true", help="name every check that caught each mutant")
    add_root_option(parser)
    parser.set_defaults(func=run)


def replay_checks(registry: Registry) -> list[Check]:
    """Both directions of every saved counterexample: the verdicts' ok flags."""
    checks: list[Check] = []
    for fm in registry.failure_modes:
        if fm.python_guard is None or fm.guarded_action is None:
            continue
        for fixture in fixtures(fm):

            def signature(fixture: Any = fixture, fm: Any = fm) -> Hashable:
                trace, mapping = fixture.load(), load_mapping(fm)
                invariant = fixture.variant.violated or fm.invariant or ""
                repro = judge_repro(trace, replay(trace, mapping, frozenset({fm.python_guard})), invariant)
                prevent = judge_prevent(
                    replay(trace, mapping, frozenset()), fm.python_guard, fm.guarded_action
                )
                return (repro.ok, prevent.ok)

            checks.append(Check("replay", fixture.test_id, signature))
    return checks


def conformance_checks(registry: Registry, workspace: Workspace) -> list[Check]:
    """Conformance over each distinct guarded config (a config several failure modes share runs once).

    Each graph is dumped and read once, before any mutant, so every mutant meets the same graph.
    """
    checks: list[Check] = []
    for fm, variant, mapping in guarded_variants(registry):
        graph = functools.cache(lambda fm=fm, variant=variant: dump_graph(fm.spec, variant, workspace).graph)

        def signature(graph: Callable[[], StateGraph] = graph, mapping: SpecMapping = mapping) -> Hashable:
            result = conform(graph(), mapping, frozenset())
            return (result.mismatches, result.edges_checked)

        checks.append(Check("conformance", f"{fm.spec.stem}/{variant.config.stem}", signature))
    return checks


def validation_checks(root: Path, workspace: Workspace) -> list[Check]:
    """Seeded recorded runs of each distinct guarded config, checked by TLC: the first unmatched event."""
    return [
        Check("validation", name, signature) for name, signature in teeth.validation_checks(root, workspace)
    ]


def _failed(signature: Hashable) -> bool:
    return isinstance(signature, tuple) and signature[:1] in (("error",), ("crash",))


def _signature(check: Check) -> Hashable:
    try:
        return check.signature()
    except TraceCheckError as error:
        return ("error", str(error))
    except Exception as error:  # a mutant may make the runtime fail outright: that, too, is caught
        return ("crash", f"{type(error).__name__}: {error}")


def run(args: argparse.Namespace) -> int:
    """Apply every mutant in turn and print which checks caught it."""
    root = root_of(args)
    MUTANTS = lab_module(root / LAB, "mutants.py").MUTANTS
    registry = load_registry(root)
    workspace = Workspace(build=root / "build")
    kinds = {kind.strip() for kind in args.checks.split(",") if kind.strip()}
    unknown = kinds - {"replay", "conformance", "validation"}
    if unknown:
        raise MappingError(f"--checks {args.checks}: unknown kind {', '.join(sorted(unknown))}")
    checks: list[Check] = []
    if "replay" in kinds:
        checks += replay_checks(registry)
    if "conformance" in kinds:
        checks += conformance_checks(registry, workspace)
    if "validation" in kinds:
        checks += validation_checks(root, workspace)
    chosen = [m for m in MUTANTS if not args.only or m.name in args.only]
    if args.only and len(chosen) != len(set(args.only)):
        known = ", ".join(m.name for m in MUTANTS)
        raise MappingError(f"--only {', '.join(args.only)}: unknown mutant (known: {known})")
    baseline = {(check.kind, check.name): _signature(check) for check in checks}
    # A check that fails on the runtime as it is (a spec mid-edit, a tool error) would "catch" every
    # mutant by failing differently or not at all; it is set aside, and said so.
    for check in checks:
        signature = baseline[(check.kind, check.name)]
        if _failed(signature):
            assert isinstance(signature, tuple)
            print(f"  set aside: {check.kind} {check.name} fails on the runtime as it is: {signature[1]}")
    checks = [check for check in checks if not _failed(baseline[(check.kind, check.name)])]
    print(f"{len(checks)} checks on the runtime as it is; {len(chosen)} mutants", flush=True)
    caught = 0
    for mutant in chosen:
        with mutant.applied():
            catchers = [check for check in checks if _signature(check) != baseline[(check.kind, check.name)]]
        by_kind = {
            kind: sum(1 for c in catchers if c.kind == kind)
            for kind in ("replay", "conformance", "validation")
        }
        if catchers:
            caught += 1
            said = ", ".join(f"{kind} ({count})" for kind, count in by_kind.items() if count)
            print(f"  caught   {mutant.name:<28} by {said}", flush=True)
            if args.verbose:
                for check in catchers:
                    print(f"             {check.kind} {check.name}", flush=True)
        else:
            print(f"  ESCAPED  {mutant.name:<28} ({mutant.story})", flush=True)
    print(f"mutants: caught {caught} of {len(chosen)}")
    return 0 if caught == len(chosen) else 1
