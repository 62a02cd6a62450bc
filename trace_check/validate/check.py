"""Check recorded runs with TLC through a generated trace spec, and say where the first one parts."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.parse import to_tla
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.replay.mapping import SpecMapping
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc
from failure_lab.trace_check.validate.errors import ValidateError
from failure_lab.trace_check.validate.record import Event, Recording
from failure_lab.trace_check.validate.tla import (
    Action,
    config_constants,
    diagnosis_config,
    diagnosis_module,
    read_actions,
    trace_config,
    trace_module,
)


@dataclass(frozen=True, slots=True)
class Unmatched:
    """The first recorded event no step of the model fits, and the conjuncts that fail for it."""

    run: int  # 0-based index into the runs checked together
    position: int  # 1-based index of the event in its run (1 is Init)
    event: Event
    failed: tuple[str, ...]

    def describe(self) -> str:
        """One line: which event, which conjuncts."""
        what = "the initial state" if self.position == 1 else f"event {self.position} {self.event.text()}"
        return f"{what} matches no step of the model; failed: {'; '.join(self.failed) or 'no conjunct named'}"


@dataclass(frozen=True, slots=True)
class Validation:
    """What TLC said about a batch of recorded runs."""

    runs: int
    events: int
    unmatched: Unmatched | None
    tlc_seconds: float
    spec: Path

    @property
    def ok(self) -> bool:
        """Every run is a behaviour of the model."""
        return self.unmatched is None


@dataclass(frozen=True, slots=True)
class TraceSetting:
    """Where a failure mode's trace specs are written and what they extend."""

    folder: Path
    model: str
    constants: str
    variables: tuple[str, ...]
    actions: dict[str, Action]


def setting(fm: FailureMode, variant: Variant, mapping: SpecMapping, workspace: Workspace) -> TraceSetting:
    """Copy the bounded model under ``build/validate/<fm>/<variant>/`` and read what the trace spec needs."""
    folder = workspace.build / "validate" / fm.id / variant.name
    folder.mkdir(parents=True, exist_ok=True)
    for module in fm.spec.parent.glob("*.tla"):
        target = folder / module.name
        if not target.is_file() or target.read_bytes() != module.read_bytes():
            shutil.copyfile(module, target)
    actions = read_actions(fm.spec.parent, list(mapping.actions))
    variables = tuple(sorted(mapping.variables))
    return TraceSetting(folder, fm.spec.stem, config_constants(variant.config), variables, actions)


def check_runs(
    where: TraceSetting, runs: Sequence[Recording], workspace: Workspace, *, name: str = "Trace"
) -> Validation:
    """Write the trace spec for ``runs``, let TLC check it, and diagnose the first unmatched event."""
    if not runs:
        raise ValidateError("no recorded runs to validate")
    module = f"{name}{where.model}"
    spec = where.folder / f"{module}.tla"
    spec.write_text(trace_module(module, where.model, where.variables, where.actions, runs), encoding="utf-8")
    spec.with_suffix(".cfg").write_text(trace_config(where.constants), encoding="utf-8")
    result = run_tlc(TlcRequest(spec=spec, config=spec.with_suffix(".cfg")), workspace)
    events = sum(len(run.events) for run in runs)
    if result.outcome is Outcome.OK:
        return Validation(len(runs), events, None, result.seconds, spec)
    if result.outcome not in (Outcome.DEADLOCK, Outcome.INVARIANT_VIOLATED) or result.trace is None:
        raise ValidateError(f"{spec.name}: TLC could not check the trace spec: {result.problem()}")
    last = result.trace.states[-1].variables
    run, matched = last.get("t"), last.get("l")
    if not isinstance(run, int) or not isinstance(matched, int):
        raise ValidateError(f"{spec.name}: TLC's trace has no run index t and event count l")
    if result.outcome is Outcome.INVARIANT_VIOLATED:
        recorded = dict(runs[run - 1].events[0].state)
        failed = tuple(
            f"{name} = {to_tla(recorded[name])} (the model's Init gives {to_tla(value)})"
            for name, value in sorted(last.items())
            if name in recorded and recorded[name] != value
        )
        unmatched = Unmatched(run - 1, 1, runs[run - 1].events[0], failed)
    else:
        unmatched = _diagnose(where, module, runs[run - 1], run, matched, workspace)
    return Validation(len(runs), events, unmatched, result.seconds, spec)


def _diagnose(
    where: TraceSetting, trace: str, recording: Recording, run: int, matched: int, workspace: Workspace
) -> Unmatched:
    event = recording.events[matched]
    action = where.actions.get(event.action)
    module = f"Diag{trace}"
    text, invariants = diagnosis_module(module, trace, where.variables, action, run, matched)
    spec = where.folder / f"{module}.tla"
    spec.write_text(text, encoding="utf-8")
    spec.with_suffix(".cfg").write_text(diagnosis_config(where.constants, invariants), encoding="utf-8")
    result = run_tlc(
        TlcRequest(spec=spec, config=spec.with_suffix(".cfg"), tlc_args=("-continue", "-deadlock")), workspace
    )
    if result.outcome.is_tool_error:
        raise ValidateError(f"{spec.name}: TLC could not diagnose the event: {result.problem()}")
    violated = [trace.violation.name for trace in result.traces if trace.violation and trace.violation.name]
    failed: list[str] = []
    recorded = dict(event.state)
    for name in dict.fromkeys(violated):
        if name.startswith("Guard") and action is not None:
            guard = action.guards[int(name[len("Guard") :]) - 1]
            failed.append(f"{action.source} {event.action}: {guard}")
        elif name.startswith("Match_"):
            variable = name[len("Match_") :]
            model = next(
                (
                    t.states[-1].variables.get(variable)
                    for t in result.traces
                    if t.violation and t.violation.name == name
                ),
                None,
            )
            said = f" (the model's step gives {to_tla(model)})" if model is not None else ""
            failed.append(f"{variable}' = {to_tla(recorded[variable])}{said}")
    if not failed and event.action not in where.actions:
        failed.append(f"a fault the model has no step for must leave the state unchanged: {event.text()}")
    return Unmatched(run - 1, matched + 1, event, tuple(failed))
