"""Validate one failure mode's variant: record seeded runs of its runtime, check them, shrink a failure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from failure_lab.trace_check.conform.engine import calls_of, horizon_of
from failure_lab.trace_check.conform.graph import dump_graph
from failure_lab.trace_check.conform.run import guards_off
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.replay.mapping import SpecMapping, load_mapping
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate.check import Validation, check_runs, setting
from failure_lab.trace_check.validate.record import Recording, random_run
from failure_lab.trace_check.validate.shrink import shrink


@dataclass(frozen=True, slots=True)
class VariantValidation:
    """The recorded runs of a variant's runtime, TLC's verdict, and a shrunk failing run if any."""

    fm: str
    variant: str
    guards_off: frozenset[str]
    runs: tuple[Recording, ...]
    validation: Validation
    shrunk: tuple[Recording, Validation] | None

    def as_json(self) -> dict[str, Any]:
        """The verdict as JSON."""
        document: dict[str, Any] = {
            "fm": self.fm,
            "variant": self.variant,
            "runs": len(self.runs),
            "events": self.validation.events,
            "ok": self.validation.ok,
            "tlc_seconds": round(self.validation.tlc_seconds, 3),
            "seeds": [run.seed for run in self.runs],
        }
        if self.validation.unmatched is not None:
            unmatched = self.validation.unmatched
            document["unmatched"] = {
                "seed": self.runs[unmatched.run].seed,
                "position": unmatched.position,
                "event": unmatched.event.text(),
                "failed": list(unmatched.failed),
            }
        if self.shrunk is not None:
            run, verdict = self.shrunk
            document["shrunk"] = {
                "steps": len(run.schedule),
                "from_steps": len(self.runs[self.validation.unmatched.run].schedule)
                if self.validation.unmatched
                else 0,
                "python": run.python(self.fm, self.guards_off),
                "unmatched": verdict.unmatched.describe() if verdict.unmatched else None,
            }
        return document


def validate_variant(
    fm: FailureMode,
    variant: Variant,
    workspace: Workspace,
    *,
    runs: int = 20,
    seed: int = 1,
    steps: int = 40,
    shrinking: bool = True,
    mapping: SpecMapping | None = None,
) -> VariantValidation:
    """Record ``runs`` seeded runs of the variant's runtime and check them all in one TLC run."""
    mapping = mapping or load_mapping(fm)
    off = guards_off(fm, variant)
    graph = dump_graph(fm.spec, variant, workspace).graph  # the arguments and the horizon of the model
    calls, horizon = calls_of(graph, mapping), horizon_of(graph)
    recorded = tuple(
        random_run(mapping, off, calls, seed=seed + index, steps=steps, horizon=horizon)
        for index in range(runs)
    )
    where = setting(fm, variant, mapping, workspace)
    validation = check_runs(where, recorded, workspace)
    shrunk = None
    if shrinking and validation.unmatched is not None:
        failing = recorded[validation.unmatched.run]
        alone = check_runs(where, [failing], workspace, name="Failing")
        shrunk = shrink(failing, alone, mapping, off, where, workspace)
    return VariantValidation(fm.id, variant.name, off, recorded, validation, shrunk)
