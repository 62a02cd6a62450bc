"""Trace validation: the runtime's recorded runs checked by TLC through a trace spec (needs Java)."""

from __future__ import annotations

from pathlib import Path

import pytest

from failure_lab.cli import main
from failure_lab.trace_check.conform.engine import calls_of, horizon_of
from failure_lab.trace_check.conform.graph import dump_graph
from failure_lab.trace_check.parse import ModelValue
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay import load_mapping
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate import execute, random_run, validate_variant
from failure_modes.mutants import mutant

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = Workspace(build=ROOT / "build")
REGISTRY = load_registry(ROOT)


def test_recorded_runs_of_the_runtime_are_behaviours_of_the_spec() -> None:
    fm = REGISTRY.get("a09_stale_epoch")
    for variant in fm.variants:
        result = validate_variant(fm, variant, WORKSPACE, runs=8, seed=100)
        assert result.validation.unmatched is None
        assert result.validation.events > 8
        assert any(event.fault for run in result.runs for event in run.events)  # faults were injected


def test_the_trace_spec_sits_beside_a_copy_of_the_bounded_model_under_build() -> None:
    fm = REGISTRY.get("a09_early_release")
    spec = validate_variant(fm, fm.variant("fixed"), WORKSPACE, runs=2).validation.spec
    assert spec.is_relative_to(ROOT / "build")
    assert (spec.parent / fm.spec.name).read_text() == fm.spec.read_text()
    assert "EXTENDS MCA09" in spec.read_text()


def test_a_mutant_run_is_named_at_its_first_unmatched_event_and_shrunk() -> None:
    fm = REGISTRY.get("a09_duplicate_claim")
    with mutant("claim_without_condition").applied():
        result = validate_variant(fm, fm.variant("fixed"), WORKSPACE, runs=20, seed=1)
    unmatched = result.validation.unmatched
    assert unmatched is not None
    assert unmatched.event.action == "Claim"
    assert any("ClaimGuard(r)" in failed for failed in unmatched.failed)
    assert result.shrunk is not None
    shrunk, verdict = result.shrunk
    assert len(shrunk.schedule) < len(result.runs[unmatched.run].schedule)
    assert verdict.unmatched is not None and verdict.unmatched.event.action == "Claim"
    # The shrunk run prints as Python that reproduces it: two claims of one unit, the second accepted.
    namespace: dict[str, object] = {}
    with mutant("claim_without_condition").applied():
        exec(shrunk.python(fm.id, result.guards_off), namespace)
    run = dict(verdict.unmatched.event.args)["r"]
    assert isinstance(run, ModelValue)
    assert namespace["rt"].queue.inspect().claimers(run.name) == frozenset({"w1", "w2"})  # type: ignore[attr-defined]


def test_a_schedule_executes_to_the_same_events_every_time() -> None:
    fm = REGISTRY.get("a09_stale_epoch")
    mapping = load_mapping(fm)
    graph = dump_graph(fm.spec, fm.variant("fixed"), WORKSPACE).graph
    run = random_run(
        mapping, frozenset(), calls_of(graph, mapping), seed=5, steps=30, horizon=horizon_of(graph)
    )
    assert execute(mapping, frozenset(), run.schedule, run.seed) == run


def test_validate_refuses_a_run_count_below_one_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "a09_stale_epoch", "--runs", "0"])
    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1
    assert "--runs 0" in error
