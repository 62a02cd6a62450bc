"""Coverage as data: per variant, what each source reached of the graph's actions and relevant states."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from failure_lab.trace_check.conform.engine import View
from failure_lab.trace_check.coverage.relevance import Protected

GRAPH = "graph"  # the model itself: what there is to reach
SOURCES = ("conformance", "repro", "prevent", "recorded")
TITLES = {
    GRAPH: "graph",
    "conformance": "conformance",
    "repro": "replay: repro",
    "prevent": "replay: prevent",
    "recorded": "recorded runs",
}
RELEVANCE = (
    "a state of the graph (counted without lastAction, as the safety configs' VIEW counts it) is "
    "relevant to an invariant when the invariant's guarded action is enabled there: it has an outgoing "
    "edge of the manifest's guarded_action; a source reaches it when the abstract state the source "
    "drove the runtime into is that state"
)


@dataclass(frozen=True, slots=True)
class Count:
    """X of Y. ``applies`` is False when the source has nothing here; ``reached`` None when it cannot say."""

    reached: int | None
    of: int
    applies: bool = True

    def text(self) -> str:
        """``6/7``, ``?/7`` or ``—``."""
        if not self.applies:
            return "—"
        return f"{'?' if self.reached is None else self.reached}/{self.of}"

    def as_json(self) -> list[int | None] | None:
        """``[reached, of]``, or null when the source has nothing here."""
        return [self.reached, self.of] if self.applies else None


def summed(counts: Iterable[Count]) -> Count:
    """The counts added up: a source that has nothing in some of them reaches nothing there."""
    counts = tuple(counts)
    of = sum(count.of for count in counts)
    applied = [count.reached for count in counts if count.applies]
    if not applied:
        return Count(None, of, applies=False)
    known = [reached for reached in applied if reached is not None]
    return Count(sum(known) if len(known) == len(applied) else None, of)


@dataclass(frozen=True, slots=True)
class Reach:
    """What one source did on one variant, in spec terms.

    ``steps`` counts per spec action what the source did: edges conformance checked, steps a
    replay drove that the runtime took in agreement with the trace, events of the recorded runs.
    ``states`` are the graph's states (without their label) it reached, None when it cannot say which.
    """

    source: str
    applies: bool
    steps: Mapping[str, int]
    states: frozenset[View] | None
    off_graph: int = 0  # distinct abstract states reached that are no state of the graph
    detail: str = ""


def not_applicable(source: str, detail: str) -> Reach:
    """A source with nothing to say about this variant (a replay without a counterexample)."""
    return Reach(source, False, {}, frozenset(), detail=detail)


@dataclass(frozen=True, slots=True)
class InvariantStates:
    """An invariant the variant's graph is checked for and the graph's states relevant to it."""

    protected: Protected
    relevant: frozenset[View]
    own: bool


@dataclass(frozen=True, slots=True)
class VariantCoverage:
    """One variant: its graph's actions and states, and what every source reached of them."""

    fm: str
    variant: str
    spec_actions: tuple[str, ...]
    states: int  # TLC's distinct states: the graph's nodes
    views: int  # its states without the label, as relevant and reached states are counted
    edges: int
    graph_steps: Mapping[str, int]  # per spec action: the graph's edges
    model_steps: Mapping[str, int]  # the bounded model's own steps (Done at its horizon): no spec action
    reaches: tuple[Reach, ...]  # in SOURCES order
    invariants: tuple[InvariantStates, ...]  # the failure mode's own first
    conformance_kept: bool  # taken from conformance's cache; terminal only, so the files repeat

    def reach(self, source: str) -> Reach:
        """The figures of ``source``."""
        return next(reach for reach in self.reaches if reach.source == source)

    def steps(self, source: str) -> Mapping[str, int] | None:
        """Per spec action what ``source`` (or the graph) did; None when the source has nothing here."""
        if source == GRAPH:
            return self.graph_steps
        reach = self.reach(source)
        return {action: reach.steps.get(action, 0) for action in self.spec_actions} if reach.applies else None

    def covered(self, source: str) -> frozenset[str] | None:
        """The spec actions ``source`` took at least once; None when it has nothing here."""
        steps = self.steps(source)
        return None if steps is None else frozenset(action for action, n in steps.items() if n)

    def uncovered(self, source: str) -> tuple[str, ...] | None:
        """The spec actions ``source`` never took, in the spec's order."""
        covered = self.covered(source)
        return None if covered is None else tuple(a for a in self.spec_actions if a not in covered)

    def actions(self, source: str) -> Count:
        """Spec actions covered by ``source``, of the spec's actions."""
        covered = self.covered(source)
        return Count(None if covered is None else len(covered), len(self.spec_actions), covered is not None)

    def relevant(self, source: str, invariant: InvariantStates | None = None) -> Count:
        """States relevant to ``invariant`` (the failure mode's own by default) that ``source`` reached."""
        chosen = invariant or self.invariants[0]
        of = len(chosen.relevant)
        if source == GRAPH:
            return Count(of, of)
        reach = self.reach(source)
        if not reach.applies:
            return Count(None, of, applies=False)
        return Count(None if reach.states is None else len(chosen.relevant & reach.states), of)

    def states_reached(self, source: str) -> Count:
        """The graph's states (without their label) ``source`` reached."""
        if source == GRAPH:
            return Count(self.views, self.views)
        reach = self.reach(source)
        reached = None if reach.states is None else len(reach.states)
        return Count(reached, self.views, reach.applies)

    def heading(self) -> str:
        """``bug: 841 states, 2519 edges``, with the states without their label when they are fewer."""
        folded = f" ({self.views} without lastAction)" if self.views != self.states else ""
        return f"{self.variant}: {self.states} states{folded}, {self.edges} edges"

    def as_json(self) -> dict[str, Any]:
        """The variant's figures; every count a source has nothing for is null."""
        every = (GRAPH, *SOURCES)
        steps = {source: self.steps(source) for source in every}
        return {
            "variant": self.variant,
            "states": self.states,
            "states_without_label": self.views,
            "edges": self.edges,
            "actions": {
                action: {source: None if s is None else s[action] for source, s in steps.items()}
                for action in self.spec_actions
            },
            "model_steps": dict(self.model_steps),
            "sources": {
                reach.source: {
                    "applies": reach.applies,
                    "states_reached": self.states_reached(reach.source).reached,
                    "off_graph": reach.off_graph,
                    "detail": reach.detail,
                }
                for reach in self.reaches
            },
            "uncovered": {source: _list(self.uncovered(source)) for source in every},
            "invariants": [
                {
                    "invariant": item.protected.invariant,
                    "guarded_action": item.protected.guarded_action,
                    "fm": item.protected.fm,
                    "own": item.own,
                    "relevant": len(item.relevant),
                    "reached": {source: self.relevant(source, item).as_json() for source in every},
                }
                for item in self.invariants
            ],
            "total": _totals(self.actions, self.relevant),
        }


def _list(actions: tuple[str, ...] | None) -> list[str] | None:
    return None if actions is None else list(actions)


def _totals(actions: Callable[[str], Count], relevant: Callable[[str], Count]) -> dict[str, Any]:
    every = (GRAPH, *SOURCES)
    return {
        "actions": {source: actions(source).as_json() for source in every},
        "relevant": {source: relevant(source).as_json() for source in every},
    }


@dataclass(frozen=True, slots=True)
class FailureModeCoverage:
    """A failure mode's variants, and its totals: actions covered in any variant, states summed."""

    fm: str
    title: str
    spec: str  # relative to the repository root
    invariant: str | None
    guarded_action: str | None
    spec_actions: tuple[str, ...]
    variants: tuple[VariantCoverage, ...]

    def actions(self, source: str) -> Count:
        """Spec actions ``source`` covered in some variant, of the spec's actions."""
        found = [covered for v in self.variants if (covered := v.covered(source)) is not None]
        union = frozenset().union(*found) if found else frozenset()
        return Count(len(union) if found else None, len(self.spec_actions), bool(found))

    def relevant(self, source: str) -> Count:
        """The relevant states of the failure mode's own invariant ``source`` reached, over its variants."""
        return summed(variant.relevant(source) for variant in self.variants)

    def as_json(self) -> dict[str, Any]:
        """The failure mode's figures, variant by variant, and its totals."""
        return {
            "fm": self.fm,
            "title": self.title,
            "spec": self.spec,
            "invariant": self.invariant,
            "guarded_action": self.guarded_action,
            "actions": list(self.spec_actions),
            "variants": [variant.as_json() for variant in self.variants],
            "total": _totals(self.actions, self.relevant),
        }


@dataclass(frozen=True, slots=True)
class RecordedRuns:
    """How the recorded runs were made: the same seeded runs on every variant, so reports repeat."""

    runs: int
    seed: int
    steps: int

    def text(self) -> str:
        """``10 runs per variant, seeds 1-10, up to 40 steps each``."""
        last = self.seed + self.runs - 1
        seeds = f"seed {self.seed}" if self.runs == 1 else f"seeds {self.seed}-{last}"
        return f"{self.runs} runs per variant, {seeds}, up to {self.steps} steps each"


@dataclass(frozen=True, slots=True)
class Coverage:
    """The report: every failure mode asked for, and the totals over all of them."""

    failure_modes: tuple[FailureModeCoverage, ...]
    recorded: RecordedRuns

    def actions(self, source: str) -> Count:
        """Spec actions ``source`` covered, each spec's actions counted once however many modes share it."""
        every: set[tuple[str, str]] = set()
        covered: set[tuple[str, str]] = set()
        applies = False
        for fm in self.failure_modes:
            every |= {(fm.spec, action) for action in fm.spec_actions}
            for variant in fm.variants:
                found = variant.covered(source)
                if found is not None:
                    applies = True
                    covered |= {(fm.spec, action) for action in found}
        return Count(len(covered) if applies else None, len(every), applies)

    def relevant(self, source: str) -> Count:
        """Relevant states of each failure mode's own invariant ``source`` reached, over every variant."""
        return summed(fm.relevant(source) for fm in self.failure_modes)

    def as_json(self) -> dict[str, Any]:
        """The whole report as JSON (the same every run over the same sources: no timings)."""
        return {
            "sources": [GRAPH, *SOURCES],
            "relevance": RELEVANCE,
            "recorded_runs": {
                "runs": self.recorded.runs,
                "seed": self.recorded.seed,
                "steps": self.recorded.steps,
            },
            "failure_modes": [fm.as_json() for fm in self.failure_modes],
            "total": _totals(self.actions, self.relevant),
        }
