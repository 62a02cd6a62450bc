"""The replay engine: agreement, refusals, and a first-divergence report a newcomer can act on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from failure_lab.trace_check.parse import Fcn, ModelValue, Record, Seq, State, Trace, loads_itf
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay import MappingError, judge_prevent, judge_repro, load_mapping, replay
from failure_lab.trace_check.replay.report import divergence_report
from failure_modes.mappings import a09

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT)


def saved(fm: str, variant: str = "bug") -> Trace:
    path = ROOT / "failure_modes" / fm / "traces" / f"{variant}.itf.json"
    (trace,) = loads_itf(path.read_text(), source=str(path))
    return trace


STALE = saved("a09_stale_epoch")
MAPPING = load_mapping(REGISTRY.get("a09_stale_epoch"))


def test_replay_refuses_stale_completion_with_the_epoch_fence() -> None:
    result = replay(STALE, MAPPING, frozenset())
    assert result.refusal is not None
    assert (result.refusal.step.call(), result.refusal.guard) == ("Complete(w=w1)", "epoch_fence")
    assert result.agreed == 7 and not result.broken


def test_repro_verdict_fails_on_the_guarded_runtime() -> None:
    verdict = judge_repro(STALE, replay(STALE, MAPPING, frozenset()), "CompletedUsesCurrentEpoch")
    assert not verdict.ok
    assert verdict.reason == (
        "the runtime refused step 7 Complete(w=w1) (epoch_fence): "
        "Complete(w1): r1 is at epoch 2, the attempt holds 1"
    )


def test_prevent_verdict_fails_on_the_buggy_runtime() -> None:
    verdict = judge_prevent(replay(STALE, MAPPING, frozenset({"epoch_fence"})), "epoch_fence", "Complete")
    assert verdict == type(verdict)(
        False, "the runtime followed the bug trace to the end: guard epoch_fence refused nothing"
    )


def test_prevent_verdict_fails_when_another_guard_refuses() -> None:
    result = replay(STALE, MAPPING, frozenset())
    verdict = judge_prevent(result, "exclusive_claim", "Claim")
    assert not verdict.ok
    assert verdict.reason == "step 7 Complete(w=w1) was refused by epoch_fence, not exclusive_claim"


def _lease_off_by_one(system: a09.System) -> dict:
    state = a09.abstract(system)
    lease = state["leaseUntil"]
    assert isinstance(lease, Fcn)
    state["leaseUntil"] = Fcn(tuple((run, value + 1 if value else 0) for run, value in lease.pairs))  # type: ignore[operator]
    return state


def test_wrong_abstraction_reports_the_first_divergence_as_a_nested_diff() -> None:
    wrong = replace(MAPPING, abstract=_lease_off_by_one)
    result = replay(STALE, wrong, frozenset({"epoch_fence"}))
    assert divergence_report(result) == (
        "first divergence at step 4 (TLC state 5): Claim(r=r1, w=w1)\n"
        "  the runtime's state differs from the model's in:\n"
        "    leaseUntil[r1]: expected 2, actual 3\n"
        "  either the runtime did something the spec's action does not, or the mapping's abstraction"
        " reads the store wrongly; replay stops here."
    )
    assert not judge_repro(STALE, result, "CompletedUsesCurrentEpoch").ok


def test_lasso_stays_in_its_loop_under_the_bug_and_progresses_under_the_guard() -> None:
    lasso = saved("a09_missing_materialization", "liveness")
    assert lasso.stuttering
    mapping = load_mapping(REGISTRY.get("a09_missing_materialization"))
    bug = replay(lasso, mapping, frozenset({"catch_up_overdue"}))
    assert bug.completed and bug.goals == {"EveryDueRunMaterialized": False}
    fixed = replay(lasso, mapping, frozenset())
    assert fixed.refusal is not None and fixed.refusal.guard == "catch_up_overdue"
    assert fixed.goals == {"EveryDueRunMaterialized": True}


def test_trace_without_action_labels_is_a_clear_error() -> None:
    states = tuple(
        State(s.index, s.action, s.location, {k: v for k, v in s.variables.items() if k != "lastAction"})
        for s in STALE.states
    )
    with pytest.raises(MappingError, match=r"^state 1: the trace has no lastAction variable"):
        replay(Trace(states), MAPPING, frozenset())


def test_unknown_action_is_a_clear_error() -> None:
    first = STALE.states[0]
    label = Record((("name", "Reclaim"), ("args", Record((("w", ModelValue("w1")),)))))
    second = State(2, "Reclaim", None, {**first.variables, "lastAction": label})
    with pytest.raises(MappingError, match=r"^state 2: the mapping has no action Reclaim$"):
        replay(Trace((first, second)), MAPPING, frozenset())
    assert Seq(()) == Fcn(())
