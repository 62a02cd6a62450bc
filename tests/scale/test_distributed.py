"""TLC's distributed mode on loopback: a server and two worker processes, the same verdict as one JVM."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc
from failure_lab.trace_check.tlc.distributed import Cluster, free_port, run_distributed

ROOT = Path(__file__).resolve().parents[2]
STALE = load_registry(ROOT).get("a09_stale_epoch")


def request(variant: str) -> TlcRequest:
    chosen = STALE.variant(variant)
    return TlcRequest(spec=STALE.spec, config=chosen.config, tlc_args=chosen.tlc_args, timeout=120)


def tlc_processes_under(folder: Path) -> list[str]:
    """Command lines of live java processes whose tmp dir lies in ``folder`` (ours, nobody else's)."""
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if "tlc2" in line and str(folder) in line]


def test_distributed_run_with_two_workers_finds_what_a_local_run_finds(workspace: Workspace) -> None:
    local = run_tlc(request("fixed"), workspace)
    cluster = Cluster(port=free_port(), local_workers=2)
    distributed = run_distributed(request("fixed"), workspace, cluster)
    assert (distributed.outcome, distributed.distinct_states) == (local.outcome, local.distinct_states)
    assert distributed.outcome is Outcome.OK
    assert "Registration for worker" in distributed.output.read_text()
    assert tlc_processes_under(workspace.build) == []


def test_distributed_run_reports_a_violation_without_an_unreplayable_trace(workspace: Workspace) -> None:
    cluster = Cluster(port=free_port(), local_workers=2)
    result = run_distributed(request("bug"), workspace, cluster)
    assert result.outcome is Outcome.INVARIANT_VIOLATED
    assert result.traces == ()
    assert result.message is not None and "run without --distributed" in result.message
    assert tlc_processes_under(workspace.build) == []


def test_a_server_no_worker_joins_times_out_and_leaves_no_process(workspace: Workspace) -> None:
    cluster = Cluster(port=free_port(), local_workers=0)
    timed = TlcRequest(spec=STALE.spec, config=STALE.variant("fixed").config, timeout=8)
    result = run_distributed(timed, workspace, cluster)
    assert result.outcome is Outcome.TIMEOUT
    leftovers = tlc_processes_under(workspace.build)
    for line in leftovers:  # never leave a JVM behind, even when the assertion below fails
        os.kill(int(line.split()[0]), signal.SIGKILL)
    assert leftovers == []
