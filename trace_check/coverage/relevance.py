"""Which states of a graph are relevant to an invariant, and which graph states a source reached.

States are counted as the safety configs' ``VIEW`` counts them: without the ``lastAction`` label
(``trace_check.conform.engine.view_of``). A graph dumped without a ``VIEW`` (the liveness configs)
holds one node per state and label; such nodes count as one state.

A state is **relevant** to an invariant when the invariant's guarded action is enabled there: the
state has an outgoing edge of the manifest's ``guarded_action``, the step the guard exists to
refuse or change. It is the generic reading of "one step away from where the guard matters", and
it needs nothing but the graph: no invariant is evaluated, so states where the guard lets the step
through count too, and two invariants guarded at the same action have the same relevant states.

A source **reaches** a state of the graph when the abstract state it drove the runtime into, its
label folded away, is that state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from failure_lab.trace_check.conform.engine import View, view_of
from failure_lab.trace_check.parse import StateGraph, Value
from failure_lab.trace_check.registry import FailureMode, Registry


@dataclass(frozen=True, slots=True)
class Protected:
    """An invariant a failure mode protects, the action its guard acts at, and whose manifest says so."""

    invariant: str
    guarded_action: str
    fm: str


def protected(fm: FailureMode, registry: Registry) -> tuple[Protected, ...]:
    """``fm``'s invariant first, then the other invariants its spec's failure modes protect (one each)."""
    found: dict[str, Protected] = {}
    for candidate in (fm, *(other for other in registry.failure_modes if other.id != fm.id)):
        if candidate.spec != fm.spec or candidate.invariant is None or candidate.guarded_action is None:
            continue
        found.setdefault(
            candidate.invariant, Protected(candidate.invariant, candidate.guarded_action, candidate.id)
        )
    return tuple(found.values())


def relevant_states(graph: StateGraph, guarded_action: str, label: str) -> frozenset[View]:
    """The states of ``graph`` (without ``label``) with an outgoing edge of ``guarded_action``."""
    sources = {edge.source for edge in graph.edges if edge.action == guarded_action}
    return frozenset(view_of(graph.states[node], label) for node in sources)


@dataclass(frozen=True, slots=True)
class GraphIndex:
    """A graph's states without their label, to match the abstract states a source reached."""

    states: frozenset[View]
    label: str

    def reached(self, states: Iterable[Mapping[str, Value]]) -> tuple[frozenset[View], int]:
        """The graph states these abstract states are, and how many distinct ones are no state of it."""
        views = {view_of(variables, self.label) for variables in states}
        return frozenset(views & self.states), len(views - self.states)


def index_graph(graph: StateGraph, label: str) -> GraphIndex:
    """``graph``'s states without ``label``."""
    return GraphIndex(frozenset(view_of(variables, label) for variables in graph.states.values()), label)
