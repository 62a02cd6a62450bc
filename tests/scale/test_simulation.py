"""TLC's simulation mode: seeded random walks whose counterexamples parse and replay like any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay import judge_repro, load_mapping, replay
from failure_lab.trace_check.tlc import Outcome, TlcError, TlcRequest, TlcResult, Workspace, run_tlc
from failure_lab.trace_check.tlc.simulation import Simulation, simulated

ROOT = Path(__file__).resolve().parents[2]
STALE = load_registry(ROOT).get("a09_stale_epoch")


def stale_epoch(variant: str, simulation: Simulation, workspace: Workspace) -> TlcResult:
    chosen = STALE.variant(variant)
    request = TlcRequest(spec=STALE.spec, config=chosen.config, tlc_args=chosen.tlc_args, use_cache=False)
    return run_tlc(simulated(request, simulation), workspace)


def test_simulation_finds_the_stale_epoch_and_its_trace_replays_against_the_runtime(
    workspace: Workspace,
) -> None:
    result = stale_epoch("bug", Simulation(depth=30, seed=3, behaviours=2000), workspace)
    assert result.outcome is Outcome.INVARIANT_VIOLATED
    trace = result.trace
    assert trace is not None and trace.states[0].action is None
    verdict = judge_repro(trace, replay(trace, load_mapping(STALE), frozenset({"epoch_fence"})),
                          "CompletedUsesCurrentEpoch")  # fmt: skip
    assert verdict.ok, verdict.reason


def test_the_same_seed_gives_the_same_counterexample(workspace: Workspace) -> None:
    simulation = Simulation(depth=30, seed=11, behaviours=2000)
    first = stale_epoch("bug", simulation, workspace)
    again = stale_epoch("bug", simulation, workspace)
    assert first.trace is not None
    assert first.trace == again.trace


def test_simulating_the_guarded_model_finds_nothing(workspace: Workspace) -> None:
    result = stale_epoch("fixed", Simulation(depth=20, seed=1, behaviours=300), workspace)
    assert result.outcome is Outcome.OK


def test_a_simulation_without_behaviours_is_refused() -> None:
    with pytest.raises(TlcError, match="behaviours 0: expected a positive number"):
        Simulation(behaviours=0).tlc_args()
