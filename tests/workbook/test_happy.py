"""The happy path is TLC's shortest witness of each guarded model's goal, with every guard on."""

from __future__ import annotations

from failure_lab.trace_check.parse import Fcn
from failure_lab.workbook.evidence import Evidence, read_goals


def test_every_model_with_a_goal_gets_a_witness_that_reaches_it_only_at_the_end(evidence: Evidence) -> None:
    models = {ve.failure_mode.spec.stem for ve in evidence.failure_modes}
    assert {h.model for h in evidence.happy_paths} == models & set(read_goals())
    for h in evidence.happy_paths:
        assert h.trace is not None, h.model
        # The goal's variable is the one the `never` predicate reads; it changes only in the last step.
        goal_variable = "unit" if h.model == "MCA09" else "effects"
        values = [state.variables[goal_variable] for state in h.trace.states]
        assert all(isinstance(value, Fcn) for value in values)
        reached = ["completed" in value.graph().values() or 1 in value.graph().values() for value in values]  # type: ignore[union-attr]
        assert reached == [False] * (len(values) - 1) + [True]


def test_the_witness_config_is_the_guarded_config_plus_one_invariant(evidence: Evidence) -> None:
    for h in evidence.happy_paths:
        generated = h.result.config.read_text(encoding="utf-8")
        assert generated.startswith(h.config.read_text(encoding="utf-8").rstrip())
        assert generated.rstrip().endswith("INVARIANT HappyPathNotYet")
