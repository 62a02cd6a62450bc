"""Saved counterexamples still match what TLC finds today (needs Java; runs through the runner's cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay.fixtures import Fixture, fixtures, fresh_trace, itf_text
from failure_lab.trace_check.tlc import Workspace

ROOT = Path(__file__).resolve().parents[2]
ALL = [fixture for fm in load_registry(ROOT).failure_modes for fixture in fixtures(fm)]


@pytest.mark.parametrize("fixture", ALL, ids=lambda f: f.test_id)
def test_saved_trace_is_tlcs_counterexample_today(fixture: Fixture) -> None:
    fresh = itf_text(fixture, fresh_trace(fixture, Workspace(build=ROOT / "build")), ROOT)
    assert fixture.path.read_text(encoding="utf-8") == fresh, (
        f"{fixture.path.relative_to(ROOT)} is stale: run `failure-lab fixtures`, read the diff, commit it"
    )


def test_every_refuted_variant_has_a_saved_trace() -> None:
    assert len(ALL) >= 8, "every failure mode's refuted variants keep a saved trace"
    missing = [fixture.test_id for fixture in ALL if not fixture.path.is_file()]
    assert missing == [], "run `failure-lab fixtures` to record them"
