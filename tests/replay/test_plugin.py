"""The pytest plugin replays a user's own ITF trace through their own mapping."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def importable_mappings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's own mapping is found on their path; here the lab's own stands in for it."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def test_plugin_replays_a_users_own_trace(pytester: pytest.Pytester) -> None:
    trace = pytester.path / "mine.itf.json"
    shutil.copy(ROOT / "failure_modes/a09_stale_epoch/traces/bug.itf.json", trace)
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        f"--replay-itf={trace}",
        "--replay-mapping=failure_modes.mappings.a09:MAPPING",
        "--replay-guard=epoch_fence",
        "--replay-action=Complete",
        "--replay-invariant=CompletedUsesCurrentEpoch",
    )
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*2 passed*"])


def test_plugin_fails_a_replay_whose_guard_is_wrong(pytester: pytest.Pytester) -> None:
    trace = pytester.path / "mine.itf.json"
    shutil.copy(ROOT / "failure_modes/a09_stale_epoch/traces/bug.itf.json", trace)
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        f"--replay-itf={trace}",
        "--replay-mapping=failure_modes.mappings.a09:MAPPING",
        "--replay-guard=exclusive_claim",
        "--replay-action=Claim",
        "--replay-invariant=CompletedUsesCurrentEpoch",
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        ["*mine-prevent: step 7 Complete(w=w1) was refused by epoch_fence, not exclusive_claim*"]
    )
