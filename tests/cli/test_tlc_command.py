"""``failure-lab tlc``: what a person sees, and the exit code a script sees."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from failure_lab.cli import main

REPO = Path(__file__).resolve().parents[2]


def tlc(lab: Path, *args: str) -> int:
    return main(["tlc", *args, "--root", str(lab), "--quiet"])


def test_the_bug_variant_is_the_default_and_shows_its_counterexample(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tlc(lab, "counter_bound") == 0
    out = capsys.readouterr().out
    assert "counter_bound (bug): invariant_violated, as expected" in out
    assert "violated  BelowThree" in out
    assert "4 states generated, 4 distinct, depth 4" in out
    # The step table: one row per step with its action and the one variable that changed.
    assert "Initial predicate" in out
    assert out.count("│ Up ") == 3
    assert "x: 2 → 3" in out
    saved = out.split("full output: ")[1].strip()
    assert (Path(saved) if Path(saved).is_absolute() else Path.cwd() / saved).is_file()


def test_a_chosen_variant_runs_instead(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert tlc(lab, "counter_bound", "--variant", "fixed") == 0
    out = capsys.readouterr().out
    assert "counter_bound (fixed): ok, as expected" in out
    assert "5 distinct" in out


def test_a_rerun_says_it_was_cached_and_no_cache_runs_again(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tlc(lab, "counter_bound")
    capsys.readouterr()
    tlc(lab, "counter_bound")
    assert "(cached: nothing changed since that run)" in capsys.readouterr().out
    tlc(lab, "counter_bound", "--no-cache")
    assert "cached" not in capsys.readouterr().out


def test_an_outcome_other_than_the_expected_one_exits_1(
    lab: Path, add_manifest: Callable[[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    add_manifest(
        "wrong_hope",
        """
        id = "wrong_hope"
        title = "Expects a clean run from a model that fails"
        spec = "specs/Counter.tla"

        [variants.bug]
        config = "specs/CounterBelowThree.cfg"
        expect = "ok"
        """,
    )
    assert tlc(lab, "wrong_hope") == 1
    assert "wrong_hope (bug): invariant_violated, expected ok" in capsys.readouterr().out


def test_a_violation_of_another_invariant_than_expected_exits_1(
    lab: Path, add_manifest: Callable[[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    add_manifest(
        "other_invariant",
        """
        id = "other_invariant"
        title = "Expects TypeOK to be the one that breaks"
        spec = "specs/Counter.tla"

        [variants.bug]
        config = "specs/CounterBelowThree.cfg"
        expect = "invariant_violated"
        violated = "TypeOK"
        """,
    )
    assert tlc(lab, "other_invariant") == 1
    assert "expected invariant_violated of TypeOK" in capsys.readouterr().out


def test_a_liveness_variant_matches_on_the_outcome_tlc_gives(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TLC 2.15 does not name the temporal property it found violated; the outcome decides.
    assert tlc(lab, "light_cycle") == 0
    out = capsys.readouterr().out
    assert "light_cycle (bug): property_violated, as expected" in out
    assert "back to state" in out


def test_tlc_arguments_from_the_manifest_reach_tlc(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert tlc(lab, "stuck_counter") == 0
    assert tlc(lab, "stuck_counter", "--variant", "relaxed") == 0
    out = capsys.readouterr().out
    assert "stuck_counter (bug): deadlock, as expected" in out
    assert "stuck_counter (relaxed): ok, as expected" in out


def test_an_unknown_failure_mode_is_one_line_and_exit_2(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tlc(lab, "stuck_countr") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "failure-lab: error: unknown failure mode 'stuck_countr' "
        "(known: counter_bound, light_cycle, stuck_counter); did you mean 'stuck_counter'?\n"
    )


def test_any_spec_can_be_checked_by_path(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = lab / "specs" / "Counter.tla"
    assert tlc(lab, str(spec)) == 0
    assert tlc(lab, str(spec), "--config", str(lab / "specs" / "CounterBelowThree.cfg")) == 1
    assert (
        tlc(
            lab,
            str(spec),
            "--config",
            str(lab / "specs" / "CounterBelowThree.cfg"),
            "--expect",
            "invariant_violated",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "invariant_violated, expected ok" in out


def test_a_spec_sany_rejects_is_one_line_with_file_line_and_column(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tlc(lab, str(lab / "specs" / "Broken.tla")) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("failure-lab: error: ")
    assert "Broken.tla:5:" in line
    assert 'Was expecting "Expression or Instance"' in line


def test_a_timeout_is_one_line_and_exit_2(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert tlc(lab, str(lab / "specs" / "Slow.tla"), "--timeout", "1.5") == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "Slow.tla: TLC timed out after" in line
    assert list((lab / "build" / "tlc" / "cache").glob("*.json")) == []


def test_a_missing_spec_is_one_line_and_exit_2(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert tlc(lab, str(lab / "specs" / "Absent.tla")) == 2
    assert capsys.readouterr().err.endswith("Absent.tla: no such spec file\n")


def test_a_corrupt_jar_is_one_line_and_exit_2(
    lab: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "tla2tools.jar"
    corrupt.write_bytes(b"PK\x03\x04 truncated")
    monkeypatch.setenv("TLA2TOOLS_JAR", str(corrupt))
    assert tlc(lab, "counter_bound") == 2
    assert capsys.readouterr().err == (
        f"failure-lab: error: {corrupt} is corrupt (not a jar): "
        "reinstall with `make sync` or set TLA2TOOLS_JAR\n"
    )


def test_the_console_script_prints_no_traceback_and_no_progress_off_a_terminal(lab: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-m", "failure_lab", "tlc", "nope", "--root", str(lab)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith("failure-lab: error: unknown failure mode 'nope'")
    assert "Traceback" not in run.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "failure_lab", "tlc", "counter_bound", "--root", str(lab)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (ok.returncode, ok.stderr) == (0, "")
