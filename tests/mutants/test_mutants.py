"""The mutant catalogue has teeth: conformance tells every mutant from the runtime (needs Java; cached)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from failure_lab.cli import main
from failure_lab.python_impl import Queue
from failure_lab.trace_check.conform import conform_variant
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc import Workspace
from failure_modes.mutants import MUTANTS, Mutant, mutant

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = Workspace(build=ROOT / "build")
REGISTRY = load_registry(ROOT)
# One guarded graph per spec: the A09 baseline (shared by five failure modes) and FM_001's.
GUARDED = [("a09_stale_epoch", "fixed"), ("fm001_lease_expiry_duplicate", "fixed")]


def _signature(fm_id: str, variant: str) -> tuple[int, int]:
    fm = REGISTRY.get(fm_id)
    result = conform_variant(fm, fm.variant(variant), WORKSPACE).conformance
    return (result.mismatches, result.edges_checked)


@functools.cache
def _baseline(fm_id: str, variant: str) -> tuple[int, int]:
    return _signature(fm_id, variant)


def test_the_catalogue_holds_at_least_ten_distinct_mutants() -> None:
    names = [m.name for m in MUTANTS]
    assert len(names) >= 10
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("candidate", MUTANTS, ids=lambda m: m.name)
def test_conformance_tells_the_mutant_from_the_runtime(candidate: Mutant) -> None:
    caught = []
    for fm_id, variant in GUARDED:
        baseline = _baseline(fm_id, variant)
        with candidate.applied():
            if _signature(fm_id, variant) != baseline:
                caught.append(fm_id)
                break
    assert caught, f"{candidate.name} escapes conformance on every guarded graph"


def test_a_mutant_is_gone_once_its_block_ends() -> None:
    claim = Queue.claim
    with mutant("claim_without_condition").applied():
        assert Queue.claim is not claim
    assert Queue.claim is claim
    fm = REGISTRY.get("a09_duplicate_claim")
    assert conform_variant(fm, fm.variant("fixed"), WORKSPACE).conformance.mismatches == 0


def test_mutants_command_ends_with_the_tally(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["mutants", "--only", "take_keeps_schedule", "--checks", "replay"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert "caught   take_keeps_schedule" in lines[-2]
    assert lines[-1] == "mutants: caught 1 of 1"


def test_mutants_command_refuses_an_unknown_mutant_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["mutants", "--only", "no_such_mutant", "--checks", "replay"])
    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1
    assert "no_such_mutant" in error
