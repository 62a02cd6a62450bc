"""Validation as a check of the mutants: seeded runs of each guarded config's runtime, checked by TLC."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path

from failure_lab.trace_check.registry import FailureMode, Variant, load_registry
from failure_lab.trace_check.replay.mapping import guarded_variants
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate.run import validate_variant

RUNS, STEPS = 20, 40


def validation_checks(root: Path, workspace: Workspace) -> list[tuple[str, Callable[[], Hashable]]]:
    """One check per distinct guarded config: its signature is the first unmatched event, or None."""
    checks: list[tuple[str, Callable[[], Hashable]]] = []
    for fm, variant, _ in guarded_variants(load_registry(root)):

        def signature(fm: FailureMode = fm, variant: Variant = variant) -> Hashable:
            result = validate_variant(fm, variant, workspace, runs=RUNS, steps=STEPS, shrinking=False)
            unmatched = result.validation.unmatched
            return None if unmatched is None else (unmatched.run, unmatched.position)

        checks.append((f"{fm.spec.stem}/{variant.config.stem}", signature))
    return checks
