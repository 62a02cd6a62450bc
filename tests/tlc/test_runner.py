"""The runner end to end against real TLC, one small spec per outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from failure_lab.trace_check.tlc import Outcome, TlcRequest, TlcResult, Workspace, run_tlc

SPECS = Path(__file__).resolve().parents[1] / "specs"


def check(workspace: Workspace, spec: str, config: str | None = None, **options: object) -> TlcResult:
    request = TlcRequest(
        spec=SPECS / f"{spec}.tla",
        config=SPECS / f"{config or spec}.cfg",
        **options,  # type: ignore[arg-type]
    )
    return run_tlc(request, workspace)


def test_a_spec_without_errors_is_ok_with_tlc_figures(workspace: Workspace) -> None:
    result = check(workspace, "Counter")
    assert result.outcome is Outcome.OK
    assert result.violated is None and result.traces == ()
    # x ranges over 0..Limit with Limit = 4 (CounterBounds.tla): five distinct states, depth five.
    assert result.distinct_states == 5
    assert result.depth == 5
    assert result.states_generated is not None and result.states_generated >= result.distinct_states
    assert result.version == "2.15"
    assert result.exit_code == 0


def test_an_invariant_violation_names_the_invariant_and_keeps_the_counterexample(
    workspace: Workspace,
) -> None:
    result = check(workspace, "Counter", "CounterBelowThree")
    assert result.outcome is Outcome.INVARIANT_VIOLATED
    assert result.violated == "BelowThree"
    assert result.trace is not None
    assert [state.variables["x"] for state in result.trace.states] == [0, 1, 2, 3]
    assert [state.action for state in result.trace.states] == [None, "Up", "Up", "Up"]


def test_a_deadlock_is_its_own_outcome_with_the_path_into_it(workspace: Workspace) -> None:
    result = check(workspace, "Stuck")
    assert result.outcome is Outcome.DEADLOCK
    assert result.trace is not None
    assert result.trace.states[-1].variables["x"] == 2


def test_a_liveness_violation_comes_back_as_a_lasso(workspace: Workspace) -> None:
    result = check(workspace, "Lasso")
    assert result.outcome is Outcome.PROPERTY_VIOLATED
    trace = result.trace
    assert trace is not None and trace.loop is not None
    assert "yellow" not in {state.variables["light"] for state in trace.states}


def test_a_false_assumption_is_reported_as_such(workspace: Workspace) -> None:
    assert check(workspace, "BadAssume").outcome is Outcome.ASSUMPTION_FAILED


def test_an_evaluation_error_is_not_mistaken_for_a_crash(workspace: Workspace) -> None:
    result = check(workspace, "EvalError")
    assert result.outcome is Outcome.EVALUATION_ERROR
    assert result.message is not None and "out of domain" in result.message


def test_a_syntax_error_points_at_the_file_line_and_column(workspace: Workspace) -> None:
    result = check(workspace, "Broken")
    assert result.outcome is Outcome.SPEC_ERROR
    assert result.error_location is not None
    file, line, _column = result.error_location
    broken = (SPECS / "Broken.tla").read_text().splitlines()
    assert Path(file).name == "Broken.tla"
    assert broken[line - 1].startswith("Init ==")
    assert f"Broken.tla:{line}:" in result.problem()


def test_a_timeout_kills_tlc_and_leaves_no_cache_entry(workspace: Workspace) -> None:
    result = check(workspace, "Slow", timeout=1.5)
    assert result.outcome is Outcome.TIMEOUT
    assert result.exit_code is None
    assert "timed out" in result.problem()
    assert list(workspace.cache.glob("*.json")) == []
    assert check(workspace, "Slow", timeout=1.5).cached is False


def test_a_jvm_that_cannot_start_is_a_crash_with_its_reason_and_no_cache_entry(workspace: Workspace) -> None:
    result = check(workspace, "Counter", java_options=("-Xmx1m",))
    assert result.outcome is Outcome.CRASHED
    assert result.message is not None and "heap" in result.message
    assert list(workspace.cache.glob("*.json")) == []


def test_running_out_of_memory_is_a_crash_not_an_error_in_the_spec(workspace: Workspace) -> None:
    result = check(workspace, "Hungry", java_options=("-Xmx24m",))
    assert result.outcome is Outcome.CRASHED
    assert result.message is not None and result.message.startswith("out of memory (")
    assert "TLC crashed: out of memory" in result.problem()
    assert list(workspace.cache.glob("*.json")) == []


def test_an_unchanged_rerun_comes_from_the_cache(workspace: Workspace) -> None:
    first = check(workspace, "Counter", "CounterBelowThree")
    again = check(workspace, "Counter", "CounterBelowThree")
    forced = check(workspace, "Counter", "CounterBelowThree", use_cache=False)
    assert (first.cached, again.cached, forced.cached) == (False, True, False)
    assert again.outcome is first.outcome and again.violated == first.violated
    assert again.trace == first.trace


def test_the_cache_key_covers_modules_the_spec_extends(workspace: Workspace, specs: Path) -> None:
    request = TlcRequest(spec=specs / "Counter.tla", config=specs / "Counter.cfg")
    before = run_tlc(request, workspace)
    bounds = specs / "CounterBounds.tla"
    bounds.write_text(bounds.read_text().replace("Limit == 4", "Limit == 5"))
    after = run_tlc(request, workspace)
    assert after.cached is False
    assert (before.distinct_states, after.distinct_states) == (5, 6)


def test_the_cache_key_covers_the_flags(workspace: Workspace) -> None:
    check(workspace, "Stuck")
    relaxed = check(workspace, "Stuck", tlc_args=("-deadlock",))
    assert relaxed.cached is False
    assert relaxed.outcome is Outcome.OK


def test_runs_leave_nothing_beside_the_spec(workspace: Workspace, specs: Path) -> None:
    before = sorted(path.name for path in specs.iterdir())
    run_tlc(TlcRequest(spec=specs / "Counter.tla"), workspace)
    assert sorted(path.name for path in specs.iterdir()) == before
    assert list((workspace.build / "tlc" / "meta").iterdir()) == []


def test_the_raw_output_is_saved_under_build(workspace: Workspace) -> None:
    result = check(workspace, "Counter", "CounterBelowThree")
    assert result.output.is_relative_to(workspace.build)
    assert "Invariant BelowThree is violated" in result.output.read_text()


def test_a_corrupt_class_data_archive_does_not_break_a_run(tmp_path: Path) -> None:
    workspace = Workspace(build=tmp_path / "build")
    check(workspace, "Counter")
    (archive,) = workspace.cds.glob("*.jsa")
    archive.write_bytes(b"not an archive")
    result = check(workspace, "Counter", "CounterBelowThree", use_cache=False)
    assert result.outcome is Outcome.INVARIANT_VIOLATED


@pytest.mark.parametrize("workers", [2, None])
def test_more_workers_reach_the_same_verdict(workspace: Workspace, workers: int | None) -> None:
    result = check(workspace, "Counter", "CounterBelowThree", workers=workers)
    assert (result.outcome, result.violated) == (Outcome.INVARIANT_VIOLATED, "BelowThree")
