"""Drive a trace into the runtime step by step and compare states after every step."""

from __future__ import annotations

from dataclasses import dataclass

from failure_lab.trace_check.diff import Difference, diff_states
from failure_lab.trace_check.labels import Call, LabelError, read_call
from failure_lab.trace_check.parse import State, Trace, Value
from failure_lab.trace_check.replay.mapping import Args, MappingError, SpecMapping, System


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a replay: which trace state it reaches, by which action and arguments."""

    position: int  # 0 for the initial state; counts loop repetitions too
    state_index: int  # TLC's 1-based state number
    action: str
    args: tuple[tuple[str, Value], ...]

    def call(self) -> str:
        """``Claim(r=r1, w=w1)``, as every call is shown."""
        return Call(self.action, self.args).text()


@dataclass(frozen=True, slots=True)
class Refusal:
    """The runtime refused a step: the guard that refused it and the runtime's message."""

    step: Step
    guard: str
    message: str


@dataclass(frozen=True, slots=True)
class Divergence:
    """The first step after which the runtime's state is not the trace's."""

    step: Step
    differences: tuple[Difference, ...]


@dataclass(frozen=True, slots=True)
class Replay:
    """What happened when a trace was driven into the runtime."""

    guards_off: frozenset[str]
    steps: tuple[Step, ...]  # every step attempted, the refused or diverging one last
    agreed: int  # how many states (from the initial one) matched the trace
    refusal: Refusal | None
    divergence: Divergence | None
    invariants: dict[str, tuple[str, ...]]  # after the last step: invariant name -> breaches
    goals: dict[str, bool]  # for a lasso: liveness goals after the fair steps that follow it

    @property
    def completed(self) -> bool:
        """Every step ran and every state agreed."""
        return self.refusal is None and self.divergence is None

    @property
    def broken(self) -> tuple[str, ...]:
        """The invariants the runtime breaks after the last step."""
        return tuple(name for name, breaches in self.invariants.items() if breaches)


def _schedule(trace: Trace, repeat_loop: int) -> list[State]:
    """The states to reach in order: the trace, then its loop ``repeat_loop`` more times."""
    states = list(trace.states)
    if trace.loop is not None:
        states += list(trace.states[trace.loop :]) * repeat_loop
    return states


def replay(trace: Trace, mapping: SpecMapping, guards_off: frozenset[str], *, repeat_loop: int = 2) -> Replay:
    """Replay ``trace`` on a fresh runtime with ``guards_off`` switched off; stop at the first parting."""
    if not trace.states:
        raise MappingError("the trace has no states to replay")
    system: System = mapping.start(guards_off)
    steps: list[Step] = []
    refusal: Refusal | None = None
    divergence: Divergence | None = None
    agreed = 0
    for position, state in enumerate(_schedule(trace, repeat_loop)):
        where = f"state {state.index}"
        if mapping.label not in state.variables:
            raise MappingError(f"{where}: the trace has no {mapping.label} variable to say which action ran")
        try:
            call = read_call(state.variables[mapping.label], where)
        except LabelError as error:
            raise MappingError(str(error)) from None
        name, args = call.action, call.args
        step = Step(position, state.index, name if position else "Init", args)
        steps.append(step)
        if position:
            action = mapping.actions.get(name)
            if action is None:
                raise MappingError(f"{where}: the mapping has no action {name}")
            try:
                action(system, dict(args))
            except Exception as error:  # the runtime's refusals are the point; anything else is re-raised
                guard = mapping.refusal(error)
                if guard is None:
                    raise
                refusal = Refusal(step, guard, str(error))
                break
        expected = {k: v for k, v in state.variables.items() if k != mapping.label}
        differences = diff_states(expected, mapping.abstract(system))
        if differences:
            divergence = Divergence(step, differences)
            break
        agreed += 1
    invariants = mapping.invariants(system)
    goals: dict[str, bool] = {}
    if trace.loop is not None or trace.stuttering:
        # A lasso says the system can stay in its loop forever; fairness says the system must move
        # on. Give the runtime the fair steps and see whether it reaches the property's goal.
        if mapping.progress is not None:
            for _ in range(repeat_loop):
                mapping.progress(system)
        goals = {name: goal(system) for name, goal in mapping.goals.items()}
    return Replay(
        guards_off=guards_off,
        steps=tuple(steps),
        agreed=agreed,
        refusal=refusal,
        divergence=divergence,
        invariants=invariants,
        goals=goals,
    )


def stays_in_loop(trace: Trace, result: Replay) -> bool:
    """A lasso replayed to the end, loop repetitions included, with every state agreeing."""
    return result.completed and (trace.loop is not None or trace.stuttering)


__all__ = ["Args", "Divergence", "Refusal", "Replay", "Step", "replay", "stays_in_loop"]
