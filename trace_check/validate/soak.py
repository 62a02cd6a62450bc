"""Validate a soak run: the journal of real worker processes, checked by TLC as a behaviour of the Jobs spec.

A soak's worker processes are SIGKILLed, stall past their leases and restart under new names; the
store journals every change in commit order (``python_impl.journal``), and the Jobs mapping turns
the journal into spec steps (``failure_modes/mappings/jobs_journal.py``: the one place that knows
both the store's words and the spec's). Here those steps become a run of the guarded Jobs model
(``specs/jobs``), with the run's constants: every worker name, every job key, the retry budget, and a
horizon past the largest epoch. The recorded run has no abstract states, so TLC checks that each
step is one the model allows with the recorded arguments; where none is, the model's state at that
point (TLC's trace) is the start of a one-step diagnosis that names the conjunct that fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.parse import Value, to_tla
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc
from failure_lab.trace_check.validate.errors import ValidateError
from failure_lab.trace_check.validate.tla import Action, read_actions

ACTIONS = ("Claim", "Apply", "Complete", "Fail", "ExpireLease", "RejectStale")


@dataclass(frozen=True, slots=True)
class JournalStep:
    """One spec step of the journaled run: the action, its arguments, the journal row it came from."""

    action: str
    args: tuple[tuple[str, str], ...]
    seq: int

    def text(self) -> str:
        """``Claim(w=w3, j=job-7)`` (journal row 12)."""
        args = ", ".join(f"{name}={value}" for name, value in self.args)
        return f"{self.action}({args}) (journal row {self.seq})"


@dataclass(frozen=True, slots=True)
class SoakValidation:
    """TLC's verdict on a soak's journal."""

    steps: int
    workers: int
    jobs: int
    unmatched: JournalStep | None
    position: int | None  # 1-based index of the unmatched step
    failed: tuple[str, ...]
    tlc_seconds: float

    @property
    def ok(self) -> bool:
        """Every journaled step is a step of the Jobs model."""
        return self.unmatched is None

    def as_json(self) -> dict[str, object]:
        """The verdict as JSON, for the soak's summary."""
        document: dict[str, object] = {
            "ok": self.ok,
            "steps": self.steps,
            "workers": self.workers,
            "jobs": self.jobs,
            "tlc_seconds": round(self.tlc_seconds, 3),
        }
        if self.unmatched is not None:
            document["unmatched"] = {
                "position": self.position,
                "step": self.unmatched.text(),
                "failed": list(self.failed),
            }
        return document


def validate_steps(
    steps: Sequence[JournalStep], *, model: Path, budget: int, epochs: int, workspace: Workspace
) -> SoakValidation:
    """Check the journaled run with TLC against the guarded Jobs model (the folder ``model``) with the
    run's constants; ``epochs`` is the largest epoch the journal saw."""
    workers = sorted({value for step in steps for name, value in step.args if name == "w"})
    jobs = sorted({value for step in steps for name, value in step.args if name == "j"})
    if not steps or not workers or not jobs:
        raise ValidateError("the journal holds no step of the Jobs model: was the soak run with a journal?")
    folder = workspace.build / "validate" / "soak"
    folder.mkdir(parents=True, exist_ok=True)
    for module in model.glob("*.tla"):
        shutil.copyfile(module, folder / module.name)
    names = {value: f"v{index}" for index, value in enumerate([*workers, *jobs], start=1)}
    constants = _constants(names, workers, jobs, budget, max(epochs, budget) + 1)
    actions = read_actions(model, ACTIONS)
    spec = folder / "TraceSoak.tla"
    spec.write_text(_trace_module(steps, names, actions), encoding="utf-8")
    spec.with_suffix(".cfg").write_text(constants + "SPECIFICATION TraceSpec\n", encoding="utf-8")
    result = run_tlc(TlcRequest(spec=spec, config=spec.with_suffix(".cfg"), use_cache=False), workspace)
    verdict = SoakValidation(len(steps), len(workers), len(jobs), None, None, (), result.seconds)
    if result.outcome is Outcome.OK:
        return verdict
    if result.outcome is not Outcome.DEADLOCK or result.trace is None:
        raise ValidateError(f"{spec.name}: TLC could not check the soak's journal: {result.problem()}")
    last = result.trace.states[-1].variables
    matched = last.get("l")
    if not isinstance(matched, int) or not 0 <= matched < len(steps):
        raise ValidateError(f"{spec.name}: TLC's trace has no step count l")
    step = steps[matched]
    failed = _diagnose(folder, constants, actions[step.action], step, names, last, workspace)
    return SoakValidation(len(steps), len(workers), len(jobs), step, matched + 1, failed, result.seconds)


def _constants(names: dict[str, str], workers: list[str], jobs: list[str], budget: int, horizon: int) -> str:
    # Model values with safe identifiers: worker names and job keys may hold characters TLA+ refuses.
    declared = "".join(f"    {name} = {name}\n" for name in names.values())
    workers_set = ", ".join(names[w] for w in workers)
    jobs_set = ", ".join(names[j] for j in jobs)
    return (
        f"CONSTANTS\n{declared}    NoAttempt = NoAttempt\n    Workers = {{{workers_set}}}\n"
        f"    Jobs = {{{jobs_set}}}\n    Budget = {budget}\n    MaxEpoch = {horizon}\n"
    )


def _trace_module(steps: Sequence[JournalStep], names: dict[str, str], actions: dict[str, Action]) -> str:
    declared = ", ".join(names.values())
    events = ",\n    ".join(
        f'[name |-> "{step.action}", args |-> [{", ".join(f"{n} |-> {names[v]}" for n, v in step.args)}]]'
        for step in steps
    )
    cases = "\n      [] ".join(
        f'e.name = "{a.name}" -> {a.name}({", ".join(f"e.args.{p}" for p in a.parameters)})'
        for a in actions.values()
    )
    return f"""---- MODULE TraceSoak ----
(* Generated by failure-lab soak --validate: a soak's journal, one step of Jobs per change. *)
EXTENDS Jobs, Sequences, TLC

CONSTANTS {declared}

VARIABLES l

Steps == <<
    {events}
    >>

Act(e) ==
    CASE {cases}

TraceInit == l = 0 /\\ Init

TraceNext ==
    \\/ /\\ l < Len(Steps)
       /\\ Act(Steps[l + 1])
       /\\ l' = l + 1
    \\/ /\\ l = Len(Steps)
       /\\ UNCHANGED <<l, vars>>

TraceSpec == TraceInit /\\ [][TraceNext]_<<l, vars>>
====
"""


def _diagnose(
    folder: Path,
    constants: str,
    action: Action,
    step: JournalStep,
    names: dict[str, str],
    state: Mapping[str, Value],
    workspace: Workspace,
) -> tuple[str, ...]:
    """Start in the model's state before ``step`` and name each enabling conjunct of its action that fails."""
    bindings = " ".join(f"{p} == {names[dict(step.args)[p]]}" for p in action.parameters)
    lines = ["---- MODULE DiagSoak ----", "EXTENDS TraceSoak", ""]
    start = " /\\ ".join(f"{name} = {to_tla(value)}" for name, value in sorted(state.items()) if name != "l")
    lines.append(f"DiagInit == l = 0 /\\ {start}")
    lines.append("DiagSpec == DiagInit /\\ [][FALSE]_<<l, vars>>")
    invariants = []
    for index, guard in enumerate(action.guards, start=1):
        body = f"LET {bindings} IN ({guard})" if bindings else f"({guard})"
        lines.append(f"Guard{index} == {body}")
        invariants.append(f"Guard{index}")
    lines.append("====")
    spec = folder / "DiagSoak.tla"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec.with_suffix(".cfg").write_text(
        constants + "SPECIFICATION DiagSpec\nINVARIANTS\n" + "".join(f"    {i}\n" for i in invariants),
        encoding="utf-8",
    )
    result = run_tlc(
        TlcRequest(spec=spec, config=spec.with_suffix(".cfg"), tlc_args=("-continue",), use_cache=False),
        workspace,
    )
    if result.outcome.is_tool_error:
        raise ValidateError(f"{spec.name}: TLC could not diagnose the step: {result.problem()}")
    violated = [t.violation.name for t in result.traces if t.violation and t.violation.name]
    return tuple(
        f"{action.source} {step.action}: {action.guards[int(name[len('Guard') :]) - 1]}"
        for name in dict.fromkeys(violated)
        if name.startswith("Guard")
    )
