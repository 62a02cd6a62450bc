"""Live progress: fed from TLC's own progress messages, shown only to a person at a terminal."""

from __future__ import annotations

import io
import os
from pathlib import Path

from rich.console import Console

from failure_lab.trace_check.parse import Progress
from failure_lab.trace_check.tlc import TlcRequest, Workspace, run_tlc
from failure_lab.trace_check.tlc.progress import LiveProgress, describe, wants_live_progress

SPECS = Path(__file__).resolve().parents[1] / "specs"


def test_progress_messages_reach_the_callback_while_tlc_runs(workspace: Workspace) -> None:
    seen: list[Progress] = []
    request = TlcRequest(spec=SPECS / "Counter.tla", use_cache=False)
    result = run_tlc(request, workspace, on_progress=seen.append)
    assert seen, "TLC reports progress at least when it finishes"
    assert seen[-1].distinct_states == result.distinct_states


def test_the_live_line_shows_tlcs_figures(workspace: Workspace) -> None:
    seen: list[Progress] = []
    run_tlc(TlcRequest(spec=SPECS / "Counter.tla", use_cache=False), workspace, on_progress=seen.append)
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    with LiveProgress("Counter", console) as update:
        update(seen[-1])
        console.print("")  # forces a refresh with the new figures
    assert describe(seen[-1]) in screen.getvalue()
    assert f"{seen[-1].distinct_states:,} distinct" in describe(seen[-1])


def test_progress_is_shown_on_a_terminal_only() -> None:
    controller, terminal = os.openpty()
    try:
        with open(terminal, "w", closefd=False) as tty:
            assert wants_live_progress(tty, quiet=False, env={})
            assert not wants_live_progress(tty, quiet=True, env={})
            assert not wants_live_progress(tty, quiet=False, env={"CI": "true"})
        assert not wants_live_progress(io.StringIO(), quiet=False, env={})
    finally:
        os.close(controller)
        os.close(terminal)
