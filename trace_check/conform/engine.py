"""Drive the model's whole state graph into the runtime, both ways.

From every state the runtime reaches, every step the mapping knows is tried on a restored copy of
the runtime: an accepted step must be an edge of the graph with the same action into the state
the runtime reached (code → model), and every edge must be matched by some accepted step
(model → code). States are reached breadth-first through matched edges, so every state has a
shortest path of calls from the initial state, which is what a mismatch shows.

The safety configs fold ``lastAction`` away with a ``VIEW``: a dumped node prints one
representative state, so the label of an edge names its action but not its arguments. The
arguments are recovered by trying every argument the graph's labels use for that action and
keeping the one whose target matches.

The bounded models stop time at a horizon (``Tick`` needs ``now < MaxTime``); the runtime's clock
has none. A step that takes the runtime past the largest ``now`` of the graph is beyond the model,
counted apart and never a mismatch, and so is one past a bound the mapping names (``beyond``: the
Jobs model's ``epoch[j] < MaxEpoch``), which a guard may keep the graph well inside.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from failure_lab.trace_check.conform.restore import Rewinder, Saved, save
from failure_lab.trace_check.diff import diff_states
from failure_lab.trace_check.labels import Call
from failure_lab.trace_check.parse import Edge, Fcn, Record, Seq, StateGraph, Value, to_tla
from failure_lab.trace_check.replay.mapping import MappingError, SpecMapping, System

View = frozenset[tuple[str, Value]]
SHOWN = 10  # mismatches kept in full; the rest are only counted


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Where the runtime and the graph disagree: the path to the state, the step, and what differs."""

    kind: str  # "initial state", "edge not taken", "step not in graph", "runtime error"
    path: tuple[Call, ...]
    step: str
    detail: str

    def describe(self) -> str:
        """Several lines: the kind and step, the path that reaches the state, the details."""
        path = "; ".join(call.text() for call in self.path) or "(the initial state)"
        return f"{self.kind}: {self.step}\n  after: {path}\n  {self.detail}"


@dataclass(frozen=True, slots=True)
class Conformance:
    """What driving the whole graph into the runtime found."""

    states: int
    edges: int
    edges_checked: int
    states_reached: int
    steps_tried: int
    stuttering: int
    beyond_horizon: int
    mismatches: int
    shown: tuple[Mismatch, ...]
    coverage: Mapping[str, tuple[int, int]]  # action -> (edges, edges checked)
    seconds: float

    @property
    def ok(self) -> bool:
        """No mismatch, and every edge checked."""
        return self.mismatches == 0 and self.edges_checked == self.edges


def view_of(variables: Mapping[str, Value], label: str) -> View:
    """A state without its step label: what the safety configs' VIEW keeps."""
    return frozenset((name, value) for name, value in variables.items() if name != label)


def _label(value: Value | None) -> tuple[str, tuple[tuple[str, Value], ...]] | None:
    if not isinstance(value, Record):
        return None
    graph = value.graph()
    name, args = graph.get("name"), graph.get("args")
    if not isinstance(name, str):
        return None
    if isinstance(args, Record):
        return name, args.fields
    if isinstance(args, Seq | Fcn) and len(args) == 0:
        return name, ()
    return None


def calls_of(graph: StateGraph, mapping: SpecMapping) -> tuple[Call, ...]:
    """Every call of every mapped action over the arguments the graph's labels use.

    The parameters are the mapping's (as the spec declares them): a VIEW-folded graph may never show
    the label of an action whose every target state was first reached by another one.
    """
    domains: dict[str, set[Value]] = {}
    for variables in graph.states.values():
        found = _label(variables.get(mapping.label))
        if found is None:
            continue
        for parameter, value in found[1]:
            domains.setdefault(parameter, set()).add(value)
    calls: list[Call] = []
    for action, declared in mapping.actions.items():
        names = declared.params
        values = [sorted(domains.get(name, ()), key=to_tla) for name in names]
        calls.extend(
            Call(action, tuple(zip(names, combo, strict=True))) for combo in itertools.product(*values)
        )
    return tuple(calls)


@dataclass
class _Tally:
    mismatches: int = 0
    shown: list[Mismatch] | None = None

    def add(self, mismatch: Mismatch | Callable[[], Mismatch]) -> None:
        """Count a mismatch; describe it (which costs diffs) only while fewer than SHOWN are kept."""
        self.mismatches += 1
        if self.shown is None:
            self.shown = []
        if len(self.shown) < SHOWN:
            self.shown.append(mismatch if isinstance(mismatch, Mismatch) else mismatch())


def _differences(expected: Mapping[str, Value], actual: Mapping[str, Value]) -> str:
    return "; ".join(difference.describe() for difference in diff_states(dict(expected), dict(actual)))


def conform(graph: StateGraph, mapping: SpecMapping, guards_off: frozenset[str]) -> Conformance:
    """Check every edge of ``graph`` against the runtime and every runtime step against the graph."""
    started = time.perf_counter()
    label = mapping.label
    views = {fingerprint: view_of(variables, label) for fingerprint, variables in graph.states.items()}
    calls = calls_of(graph, mapping)
    tally = _Tally()
    per_action = Counter(edge.action or "?" for edge in graph.edges)
    for action in mapping.actions:
        per_action[action] += 0  # an action the graph never takes is still part of the coverage report
    checked: Counter[str] = Counter()
    stuttering = tried = beyond = 0
    horizon = horizon_of(graph)

    system: System = mapping.start(guards_off)
    start_view = view_of(mapping.abstract(system), label)
    root = next((node for node in sorted(graph.initial) if views[node] == start_view), None)
    if root is None:
        expected = next(iter(graph.initial), None)
        detail = (
            _differences({k: v for k, v in start_view}, {k: v for k, v in views[expected]})
            if expected is not None
            else "the graph has no initial state"
        )
        tally.add(Mismatch("initial state", (), "Init", f"the runtime starts elsewhere: {detail}"))
        return _result(graph, 0, 0, 0, 0, tally, per_action, checked, started)

    saved: dict[int, Saved] = {root: save(system)}
    paths: dict[int, tuple[Call, ...]] = {root: ()}
    frontier = deque([root])
    rewinder = Rewinder(system)
    # Each call's action and arguments, looked up once: every state tries every call.
    steps = [(call, mapping.actions[call.action].run, MappingProxyType(dict(call.args))) for call in calls]
    while frontier:
        source = frontier.popleft()
        path = paths[source]
        expected_steps: dict[tuple[str, View], Edge] = {}
        for edge in graph.successors(source):
            action = edge.action or "?"
            if action in mapping.actions:
                expected_steps[(action, views[edge.target])] = edge
            elif edge.target == edge.source:
                # The model idling at its horizon (Done): the runtime stays where it is, nothing to drive.
                stuttering += 1
                checked[action] += 1
            else:
                tally.add(Mismatch("edge not taken", path, action, "the mapping has no action of this name"))
        matched: set[Edge] = set()
        # What the runtime said to each call, put in words only for an edge a mismatch shows.
        outcomes: dict[str, list[_Said]] = {}
        here = saved[source]
        for call, run, args in steps:
            rewinder.restore(here)
            tried += 1
            try:
                run(system, args)
            except MappingError as error:
                outcomes.setdefault(call.action, []).append((call, error, None))
                continue
            except Exception as error:  # a refusal is an answer; anything else is the runtime failing
                guard = mapping.refusal(error)
                if guard is None:
                    detail = f"raised {type(error).__name__}: {error}"
                    tally.add(Mismatch("runtime error", path, call.text(), detail))
                else:
                    outcomes.setdefault(call.action, []).append((call, None, guard))
                continue
            reached = mapping.abstract(system)
            found = expected_steps.get((call.action, view_of(reached, label)))
            if found is None and beyond_horizon(mapping, reached, horizon):
                beyond += 1
                continue
            if found is None:
                tally.add(lambda: _not_in_graph(graph, source, call, reached, path, label))  # noqa: B023
                outcomes.setdefault(call.action, []).append((call, None, None))
                continue
            matched.add(found)
            if found.target not in saved:
                saved[found.target] = save(system)
                paths[found.target] = (*path, call)
                frontier.append(found.target)
        for (action, _), edge in expected_steps.items():
            if edge in matched:
                checked[action] += 1
                continue
            tally.add(lambda: _not_taken(graph, source, edge, path, label, outcomes))  # noqa: B023
    return _result(graph, len(saved), tried, stuttering, beyond, tally, per_action, checked, started)


def horizon_of(graph: StateGraph) -> int | None:
    """The largest ``now`` of the graph, if every state has an integer ``now``."""
    times = [variables.get("now") for variables in graph.states.values()]
    if not times or not all(isinstance(now, int) and not isinstance(now, bool) for now in times):
        return None
    return max(now for now in times if isinstance(now, int))


def beyond_horizon(mapping: SpecMapping, reached: Mapping[str, Value], horizon: int | None) -> bool:
    """Whether the runtime's state lies past the bounded model: later than its time, or past its bounds."""
    now = reached.get("now")
    later = horizon is not None and isinstance(now, int) and not isinstance(now, bool) and now > horizon
    return later or (mapping.beyond is not None and mapping.beyond(reached))


# A call's answer: the mapping's error (it could not take the step), the guard that refused it, or
# neither (the runtime took it into another state).
_Said = tuple[Call, MappingError | None, str | None]


def _words(said: _Said) -> str:
    call, error, guard = said
    if error is not None:
        return f"{call.text()}: {error}"
    if guard is not None:
        return f"{call.text()} refused by {guard}"
    return f"{call.text()} reached another state"


def _not_taken(
    graph: StateGraph,
    source: int,
    edge: Edge,
    path: tuple[Call, ...],
    label: str,
    outcomes: Mapping[str, list[_Said]],
) -> Mismatch:
    action = edge.action or "?"
    change = _differences(
        {k: v for k, v in graph.states[source].items() if k != label},
        {k: v for k, v in graph.states[edge.target].items() if k != label},
    )
    answers = outcomes.get(action)
    said = "; ".join(_words(answer) for answer in answers) if answers else "no call of it was accepted"
    detail = f"the model changes {change or 'nothing'}; runtime: {said}"
    return Mismatch("edge not taken", path, action, detail)


def _not_in_graph(
    graph: StateGraph,
    source: int,
    call: Call,
    reached: Mapping[str, Value],
    path: tuple[Call, ...],
    label: str,
) -> Mismatch:
    same_action = [edge for edge in graph.successors(source) if edge.action == call.action]
    if not same_action:
        return Mismatch(
            "step not in graph", path, call.text(), "the runtime takes it; the model does not allow it"
        )
    nearest = min(
        (dict((k, v) for k, v in graph.states[edge.target].items() if k != label) for edge in same_action),
        key=lambda target: len(diff_states(target, dict(reached))),
    )
    return Mismatch(
        "step not in graph",
        path,
        call.text(),
        f"the runtime reaches a state no {call.action} edge leads to: {_differences(nearest, reached)}",
    )


def _result(
    graph: StateGraph,
    reached: int,
    tried: int,
    stuttering: int,
    beyond: int,
    tally: _Tally,
    per_action: Counter[str],
    checked: Counter[str],
    started: float,
) -> Conformance:
    return Conformance(
        states=len(graph.states),
        edges=len(graph.edges),
        edges_checked=sum(checked.values()),
        states_reached=reached,
        steps_tried=tried,
        stuttering=stuttering,
        beyond_horizon=beyond,
        mismatches=tally.mismatches,
        shown=tuple(tally.shown or ()),
        coverage={action: (per_action[action], checked[action]) for action in sorted(per_action)},
        seconds=time.perf_counter() - started,
    )
