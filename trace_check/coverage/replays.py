"""The replays' reach on one variant: its saved counterexample, guard off (repro) and on (prevent).

A replay's steps are those the runtime took in agreement with the trace: the refused step, or
the one after which the runtime parts from the trace, is driven but not counted, and neither is
the state it would reach. A lasso's loop is driven twice more than the trace shows, as the
replay does, and those steps count too.
"""

from __future__ import annotations

from collections import Counter

from failure_lab.trace_check.coverage.figures import Reach, not_applicable
from failure_lab.trace_check.coverage.relevance import GraphIndex
from failure_lab.trace_check.parse import Trace
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.replay import Replay, replay
from failure_lab.trace_check.replay.fixtures import fixtures
from failure_lab.trace_check.replay.mapping import SpecMapping


def replay_reaches(
    fm: FailureMode, variant: Variant, mapping: SpecMapping, index: GraphIndex
) -> tuple[Reach, Reach]:
    """Repro and prevent of ``variant``'s saved trace; both not applicable when it has none."""
    fixture = next((f for f in fixtures(fm) if f.variant.name == variant.name), None)
    if fixture is None:
        reason = "no counterexample: TLC finds none on this variant"
    elif fm.python_guard is None:
        reason = "the manifest names no python_guard to switch off"
    elif not fixture.path.is_file():
        reason = "no saved trace (failure-lab fixtures records it)"
    else:
        trace = fixture.load()
        repro = replay(trace, mapping, frozenset({fm.python_guard}))
        prevent = replay(trace, mapping, frozenset())
        return _reach("repro", trace, repro, index), _reach("prevent", trace, prevent, index)
    return not_applicable("repro", reason), not_applicable("prevent", reason)


def _reach(source: str, trace: Trace, result: Replay, index: GraphIndex) -> Reach:
    by_index = {state.index: state for state in trace.states}
    agreed = result.steps[: result.agreed]
    steps = Counter(step.action for step in agreed[1:])
    states, off_graph = index.reached(by_index[step.state_index].variables for step in agreed)
    if result.refusal is not None:
        step = result.refusal.step
        detail = f"refused at step {step.position} {step.call()} by {result.refusal.guard}"
    elif result.divergence is not None:
        step = result.divergence.step
        detail = f"parts from the trace at step {step.position} {step.call()}"
    else:
        detail = f"every step agrees ({len(result.steps) - 1} steps)"
    return Reach(source, True, dict(steps), states, off_graph, detail)
