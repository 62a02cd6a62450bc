"""Write the TLA+ side of validation: a trace spec that constrains the model to recorded runs.

The trace spec extends the bounded model (``MCA09``) and reads the runs as a constant sequence of
events. Its state is the model's plus ``t`` (which run) and ``l`` (how many events matched): each
step must be the recorded event's action with its recorded arguments, and must reach the
recorded state. TLC then either explores every run to its end, or stops where none of the
model's steps fits the next event (a deadlock of the trace spec), which names that event.

A second, one-step spec diagnoses that event: it starts in the recorded state before it and
checks, as separately named invariants, each enabling conjunct of the action (taken from the
spec's source) and the match of each variable, so TLC says which conjunct fails.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.parse import Value, to_tla
from failure_lab.trace_check.validate.errors import ValidateError
from failure_lab.trace_check.validate.record import STUTTER, Event, Recording

_DEFINITION = re.compile(r"^(\w+)(?:\(([^)]*)\))?\s*==")
_CFG_SECTION = re.compile(
    r"\b(CONSTANTS?|INIT|NEXT|SPECIFICATION|INVARIANTS?|PROPERTY|PROPERTIES|SYMMETRY|VIEW|CONSTRAINTS?"
    r"|ACTION_CONSTRAINTS?|ALIAS|POSTCONDITION|CHECK_DEADLOCK)\b"
)


@dataclass(frozen=True, slots=True)
class Action:
    """A spec action as its source defines it: parameters, and the conjuncts that enable it."""

    name: str
    parameters: tuple[str, ...]
    guards: tuple[str, ...]  # the top-level conjuncts without primes: what must hold to take it
    source: str  # file:line of the definition


def read_actions(spec_folder: Path, names: Sequence[str]) -> dict[str, Action]:
    """The definitions of ``names`` in the ``.tla`` files of ``spec_folder``."""
    found: dict[str, Action] = {}
    for path in sorted(spec_folder.glob("*.tla")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            match = _DEFINITION.match(line)
            if match is None or match.group(1) not in names or match.group(1) in found:
                continue
            parameters = tuple(p.strip() for p in (match.group(2) or "").split(",") if p.strip())
            body: list[str] = []
            for following in lines[index + 1 :]:
                if not following.strip() or not following[:1].isspace():
                    break
                body.append(following)
            found[match.group(1)] = Action(
                match.group(1), parameters, _guards(body), f"{path.name}:{index + 1}"
            )
    missing = [name for name in names if name not in found]
    if missing:
        raise ValidateError(
            f"{spec_folder}: no definition of the action(s) {', '.join(missing)} in its .tla files"
        )
    return found


def _guards(body: list[str]) -> tuple[str, ...]:
    """Top-level ``/\\`` conjuncts (with their continuation lines) that mention no primed variable."""
    starts = [line for line in body if line.lstrip().startswith("/\\")]
    if not starts:
        return ()
    indent = min(len(line) - len(line.lstrip()) for line in starts)
    conjuncts: list[list[str]] = []
    for line in body:
        stripped = line.split("\\*")[0].rstrip()
        if not stripped.strip():
            continue
        if len(line) - len(line.lstrip()) == indent and line.lstrip().startswith("/\\"):
            conjuncts.append([stripped.strip()[2:].strip()])
        elif conjuncts:
            conjuncts[-1].append(stripped.strip())
    texts = [" ".join(parts) for parts in conjuncts]
    return tuple(
        text for text in texts if "'" not in text and "UNCHANGED" not in text and "Step(" not in text
    )


def config_constants(config: Path) -> str:
    """The CONSTANT sections of a model config (the overrides that make a variant included)."""
    text = re.sub(r"\\\*[^\n]*", "", config.read_text(encoding="utf-8"))
    parts = _CFG_SECTION.split(text)
    kept = [
        f"{keyword}{body.rstrip()}"
        for keyword, body in zip(parts[1::2], parts[2::2], strict=True)
        if keyword.startswith("CONSTANT")
    ]
    return "\n".join(kept) + "\n"


def _event(event: Event) -> str:
    args = (
        "[" + ", ".join(f"{name} |-> {to_tla(value)}" for name, value in event.args) + "]"
        if event.args
        else "<<>>"
    )
    state = ", ".join(f"{name} |-> {to_tla(value)}" for name, value in event.state)
    return f'[name |-> "{event.action}", args |-> {args}, state |-> [{state}]]'


def _match(variables: Sequence[str], state: str, primed: bool) -> str:
    mark = "'" if primed else ""
    return "\n".join(f"    /\\ {name}{mark} = {state}.{name}" for name in variables)


def _dispatch(actions: dict[str, Action], event: str) -> str:
    cases = []
    for action in actions.values():
        call = action.name
        if action.parameters:
            call += "(" + ", ".join(f"{event}.args.{p}" for p in action.parameters) + ")"
        cases.append(f'{event}.name = "{action.name}" -> {call}')
    cases.append(f'{event}.name = "{STUTTER}" -> UNCHANGED vars')
    return "\n      [] ".join(cases)


def trace_module(
    name: str, model: str, variables: Sequence[str], actions: dict[str, Action], runs: Sequence[Recording]
) -> str:
    """The trace spec ``name`` over the bounded model ``model`` for ``runs``."""
    traces = ",\n    ".join("<<" + ",\n      ".join(_event(e) for e in run.events) + ">>" for run in runs)
    return f"""---- MODULE {name} ----
(* Generated by failure-lab validate: {len(runs)} recorded run(s) of the runtime, each a sequence   *)
(* of events; TLC checks that each one is a behaviour of {model}.                               *)
EXTENDS {model}, Sequences

VARIABLES t, l

Traces == <<
    {traces}
    >>

Match(s) ==
{_match(variables, "s", primed=False)}

MatchNext(s) ==
{_match(variables, "s", primed=True)}

Act(e) ==
    CASE {_dispatch(actions, "e")}

TraceInit == t \\in DOMAIN Traces /\\ l = 1 /\\ Init

(* The recorded initial state is the model's: checked as an invariant so a mismatch is named. *)
InitMatches == l = 1 => Match(Traces[t][1].state)

TraceNext ==
    \\/ /\\ l < Len(Traces[t])
       /\\ Act(Traces[t][l + 1])
       /\\ MatchNext(Traces[t][l + 1].state)
       /\\ l' = l + 1
       /\\ t' = t
    \\/ /\\ l = Len(Traces[t])
       /\\ UNCHANGED <<t, l, vars>>

TraceSpec == TraceInit /\\ [][TraceNext]_<<t, l, vars>>
====
"""


def trace_config(constants: str) -> str:
    """The trace spec's config: the variant's constants, the trace spec, the initial match."""
    return f"{constants}\nSPECIFICATION TraceSpec\nINVARIANT InitMatches\n"


def diagnosis_module(
    name: str, trace: str, variables: Sequence[str], action: Action | None, run: int, position: int
) -> tuple[str, tuple[str, ...]]:
    """A one-step spec from event ``position`` of run ``run`` and the names of its invariants."""
    event = f"Traces[{run}][{position + 1}]"
    invariants: list[str] = []
    lines = [f"---- MODULE {name} ----", f"EXTENDS {trace}", ""]
    lines.append(
        f"DiagInit == t = {run} /\\ l = {position} /\\ Match(Traces[{run}][{position}].state)"
        ' /\\ lastAction = [name |-> "Recorded", args |-> <<>>]'
    )
    lines.append(f"DiagNext == l = {position} /\\ l' = l + 1 /\\ t' = t /\\ Act({event})")
    lines.append("DiagSpec == DiagInit /\\ [][DiagNext]_<<t, l, vars>>")
    if action is not None:
        bindings = " ".join(f"{p} == {event}.args.{p}" for p in action.parameters)
        for index, guard in enumerate(action.guards, start=1):
            body = f"LET {bindings} IN ({guard})" if bindings else f"({guard})"
            lines.append(f"Guard{index} == l = {position} => {body}")
            invariants.append(f"Guard{index}")
    for variable in variables:
        lines.append(f"Match_{variable} == l = {position} \\/ {variable} = {event}.state.{variable}")
        invariants.append(f"Match_{variable}")
    lines.append("====")
    return "\n".join(lines) + "\n", tuple(invariants)


def diagnosis_config(constants: str, invariants: Sequence[str]) -> str:
    """The diagnosis spec's config."""
    return f"{constants}\nSPECIFICATION DiagSpec\nINVARIANTS\n" + "".join(f"    {i}\n" for i in invariants)


def value_text(value: Value) -> str:
    """A value as TLA+."""
    return to_tla(value)
