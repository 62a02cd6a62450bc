"""``failure-lab tlc --simulate`` and ``--distributed``, and one worker per core for big models."""

from __future__ import annotations

from pathlib import Path

import pytest

from failure_lab.cli import main
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.tlc.distributed import free_port
from failure_lab.trace_check.tlc.sizing import BIG_DISTINCT_STATES, default_workers, last_distinct_states

ROOT = Path(__file__).resolve().parents[2]
SPEC, CONFIG = ROOT / "specs" / "a09" / "MCA09.tla", ROOT / "specs" / "a09" / "MCA09.cfg"


def test_simulate_reports_the_seed_and_the_counterexample(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["tlc", "a09_stale_epoch", "--simulate", "--depth", "30", "--seed", "5", "--behaviours", "2000"]
    assert main([*args, "--quiet", "--no-cache"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the console may fold long lines
    assert "simulation: 2000 behaviours of depth 30, seed 5" in out
    assert "invariant_violated, as expected" in out
    assert "Complete(w=" in out


def test_distributed_checks_the_guarded_model_with_two_local_workers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = str(free_port())
    assert main(["tlc", "a09_stale_epoch", "--variant", "fixed", "--distributed", "--port", port,
                 "--timeout", "120", "--quiet"]) == 0  # fmt: skip
    out = " ".join(capsys.readouterr().out.split())  # the console may fold long lines
    assert f"distributed: 2 local workers on port {port}" in out
    assert "ok, as expected" in out
    assert "967 distinct" in out


def test_simulate_and_distributed_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tlc", "a09_stale_epoch", "--simulate", "--distributed", "--quiet"]) == 2
    assert "pick one" in capsys.readouterr().err


def test_a_model_whose_last_run_was_big_gets_a_worker_per_core(tmp_path: Path) -> None:
    workspace = Workspace(build=tmp_path / "build")
    assert default_workers(workspace, SPEC, CONFIG) == 1  # never run: one worker
    workspace.runs.mkdir(parents=True)
    # The real final message of a run, with the count scaled past the threshold.
    line = f"{BIG_DISTINCT_STATES:,} distinct states found, 0 states left on queue."
    (workspace.runs / "MCA09-MCA09-0123456789ab.out").write_text(f"4064 states generated, {line}\n")
    assert last_distinct_states(workspace, SPEC, CONFIG) == BIG_DISTINCT_STATES
    assert default_workers(workspace, SPEC, CONFIG) is None
