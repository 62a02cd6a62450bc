"""TLC's verdict on every variant, and the shape of every counterexample (real TLC, cached runner)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from failure_lab.trace_check.labels import call_of
from failure_lab.trace_check.parse import to_tla
from failure_lab.trace_check.registry import FailureMode, Variant, load_registry
from failure_lab.trace_check.replay import load_mapping
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc
from failure_lab.trace_check.tlc.result import TlcResult

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT)
WORKSPACE = Workspace(build=ROOT / "build")
ROWS = [(fm, variant) for fm in REGISTRY.failure_modes for variant in fm.variants]

# The interleaving each bug's shortest counterexample must show (issue: "tests assert the shape"),
# each step shown as every command and the book show it.
SHAPES = {
    "a09_early_release": ["Scan(r=r1)", "Materialize(r=r1)"],
    "a09_duplicate_materialization": ["Tick()", "Scan(r=r1)", "Materialize(r=r1)"],
    "a09_stale_epoch": [
        "Tick()",
        "Scan(r=r1)",
        "Materialize(r=r1)",
        "Claim(r=r1, w=w1)",
        "Tick()",
        "Claim(r=r1, w=w2)",
        "Complete(w=w1)",
    ],
    "a09_duplicate_claim": [
        "Tick()",
        "Scan(r=r1)",
        "Materialize(r=r1)",
        "Claim(r=r1, w=w1)",
        "Claim(r=r1, w=w2)",
    ],
    "a09_checkpoint_advance": ["Tick()", "Scan(r=r1)", "AdvanceCheckpoint()"],
    "a09_missing_materialization": ["Tick()", "Tick()", "Tick()", "AdvanceCheckpoint()"],
    "fm001_lease_expiry_duplicate": [
        "Lease(w=w1, j=j1)",
        "Tick()",
        "Lease(w=w2, j=j1)",
        "Commit(w=w1)",
        "Commit(w=w2)",
    ],
    "fm002_idempotency_boundary": [
        "Claim(j=j1, w=w1)",
        "Apply(w=w1)",
        "ExpireLease(j=j1)",
        "Claim(j=j1, w=w2)",
        "Apply(w=w2)",
    ],
    "fm003_stuck_queue": [
        "Claim(j=j2, w=w1)",
        "Apply(w=w1)",
        "Claim(j=j1, w=w2)",
        "Fail(w=w2)",
        "Claim(j=j1, w=w2)",
        "Complete(w=w1)",
        "Apply(w=w2)",
        "Crash(w=w2)",
        "ExpireLease(j=j1)",
    ],
    "fm005_zombie_after_partition": [
        "Claim(j=j1, w=w1)",
        "ExpireLease(j=j1)",
        "Claim(j=j1, w=w2)",
        "Fail(w=w1)",
    ],
    "fm004_retry_amplification": [
        "Claim(j=j1, w=w1)",
        "Fail(w=w1)",
        "Claim(j=j1, w=w1)",
        "Fail(w=w1)",
        "Claim(j=j1, w=w1)",
    ],
    "fm006_poison_message": [
        "Claim(j=j1, w=w1)",
        "Fail(w=w1)",
        "Claim(j=j1, w=w1)",
        "Crash(w=w1)",
        "ExpireLease(j=j1)",
    ],
    "fm007_partial_write": [
        "Claim(j=j1, w=w1)",
        "CrashAfterEffect(w=w1)",
        "ExpireLease(j=j1)",
        "Claim(j=j1, w=w1)",
        "Commit(w=w1)",
    ],
}


def check(fm: FailureMode, variant: Variant, *args: str) -> TlcResult:
    request = TlcRequest(spec=fm.spec, config=variant.config, tlc_args=(*variant.tlc_args, *args))
    return run_tlc(request, WORKSPACE)


def steps(result: TlcResult) -> list[str]:
    """The counterexample's steps after the initial state, each as its label's ``Call.text()``."""
    assert result.trace is not None
    shown = []
    for state in result.trace.states[1:]:
        call = call_of(state)
        assert call is not None, f"state {state.index} has no lastAction label"
        shown.append(call.text())
        assert state.action == call.action, "TLC's action label and lastAction disagree"
    return shown


@pytest.mark.parametrize(("fm", "variant"), ROWS, ids=[f"{fm.id}-{v.name}" for fm, v in ROWS])
def test_variant_ends_as_its_manifest_expects(fm: FailureMode, variant: Variant) -> None:
    result = check(fm, variant)
    assert (result.outcome, result.violated) == (variant.expect, variant.violated)
    if variant.expect is Outcome.OK:
        assert result.trace is None
        assert result.distinct_states is not None and result.distinct_states > 500, (
            "bounds too small to matter"
        )


@pytest.mark.parametrize("fm", REGISTRY.failure_modes, ids=lambda fm: fm.id)
def test_bug_counterexample_shows_the_real_interleaving(fm: FailureMode) -> None:
    result = check(fm, fm.variant("bug"))
    assert steps(result) == SHAPES[fm.id]
    assert result.trace is not None and result.trace.violation is not None
    # TLC names the invariant a trace violates, but not the temporal property a lasso violates.
    named = None if fm.variant("bug").expect is Outcome.PROPERTY_VIOLATED else fm.invariant
    assert result.trace.violation.name == named


def test_liveness_counterexample_is_a_lasso_that_never_materialises_r1() -> None:
    fm = REGISTRY.get("a09_missing_materialization")
    result = check(fm, fm.variant("liveness"))
    trace = result.trace
    assert trace is not None and (trace.loop is not None or trace.stuttering)
    looped = trace.states[trace.loop :] if trace.loop is not None else trace.states[-1:]
    assert all(to_tla(state.variables["unit"]).startswith('(r1 :> "none"') for state in looped)


@pytest.mark.parametrize("config", ["specs/a09/MCA09.cfg", "specs/fm001/MCLeaseExpiry.cfg"])
def test_every_action_of_the_baseline_is_taken(config: str) -> None:
    fm = next(fm for fm in REGISTRY.failure_modes if fm.variant("fixed").config == ROOT / config)
    result = check(fm, fm.variant("fixed"), "-coverage", "1")
    text = result.output.read_text()
    coverage = dict(
        re.findall(r"<(\w+) line \d+, col \d+ to line \d+, col \d+ of module \w+>: (\d+):\d+", text)
    )
    actions = load_mapping(fm).actions
    assert set(actions) <= set(coverage)
    assert {action: int(coverage[action]) for action in actions if int(coverage[action]) == 0} == {}
