"""``failure-lab new`` on a scratch copy of the repository: a pending bundle, never a green one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from failure_lab.cli import main
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay import load_mapping
from failure_lab.workbook.evidence import collect

REPO = Path(__file__).resolve().parents[2]
NEW_ID = "retry_budget"


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A clean clone of the repository's last commit: ``new`` writes there, never in this tree."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    return clone


def new(scratch: Path, fm_id: str = NEW_ID, title: str = "Retries without a budget") -> int:
    return main(["new", fm_id, "--title", title, "--root", str(scratch)])


def test_new_scaffolds_a_bundle_and_a_spec_skeleton_marked_pending(scratch: Path) -> None:
    assert new(scratch) == 0
    fm = load_registry(scratch).get(NEW_ID)
    assert fm.pending
    assert fm.spec == scratch / "specs" / NEW_ID / "MCRetryBudget.tla"
    # The manifest names its mapping, scaffolded beside the others, as every bundle's is.
    assert (
        fm.mapping is not None and fm.mapping.file == scratch / "failure_modes" / "mappings" / f"{NEW_ID}.py"
    )
    mapping = load_mapping(fm)
    assert (mapping.spec_module, list(mapping.actions)) == ("RetryBudget", ["Act"])
    tests = sorted(path.name for path in (scratch / "failure_modes" / NEW_ID / "tests").glob("test_*.py"))
    assert tests == [f"test_{kind}_{NEW_ID}.py" for kind in ("prevent", "recover", "repro")]
    assert (scratch / "failure_modes" / NEW_ID / "spec.md").read_text(encoding="utf-8").count("TODO") >= 5


def test_list_shows_the_new_failure_mode_as_pending(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new(scratch)
    capsys.readouterr()
    assert main(["list", "--root", str(scratch)]) == 0
    assert (
        "retry_budget: Retries without a budget [pending: expectations not yet met]"
        in capsys.readouterr().out
    )


def test_check_runs_the_skeleton_with_tlc_and_reports_pending_never_green(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new(scratch)
    capsys.readouterr()
    assert main(["check", NEW_ID, "--root", str(scratch)]) == 1
    out = capsys.readouterr().out
    assert "PENDING (NOT AS EXPECTED: invariant_violated)" in out
    assert "PENDING (as expected)" in out
    assert out.splitlines()[-1] == "0 of 2 variants as expected, 2 pending"


def test_the_suite_reports_the_scaffolded_tests_as_pending(scratch: Path) -> None:
    new(scratch)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", f"failure_modes/{NEW_ID}", "-p", "no:cacheprovider", "-rx", "-q"],
        cwd=scratch,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 xfailed" in run.stdout
    assert run.stdout.count(f"{NEW_ID} is pending") == 3


def test_the_suite_around_the_bundles_stays_green_with_a_pending_one(scratch: Path) -> None:
    new(scratch)
    shared = [
        "tests/models/test_model_configs.py",
        "tests/runtime/test_guards.py",
        "tests/replay/test_drift_gate.py",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *shared, "failure_modes", "-p", "no:cacheprovider", "-q"],
        cwd=scratch,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "3 xfailed" in run.stdout.splitlines()[-1]


def test_the_workbook_lists_the_pending_failure_mode_apart_from_the_checked_ones(scratch: Path) -> None:
    new(scratch)
    evidence = collect(scratch, only=("a09_stale_epoch", NEW_ID))
    assert [fm.id for fm in evidence.pending] == [NEW_ID]
    assert [ve.failure_mode.id for ve in evidence.failure_modes] == ["a09_stale_epoch"]


@pytest.mark.parametrize(
    ("fm_id", "message"),
    [
        (
            "a09_stale_epoch",
            "'a09_stale_epoch': a failure mode of that id already exists (failure_modes/a09_stale_epoch)",
        ),
        (
            "Retry-Budget",
            "'Retry-Budget': expected an id of 3 to 48 lower case letters, digits and _, starting with a"
            " letter",
        ),
        (
            "9lives",
            "'9lives': expected an id of 3 to 48 lower case letters, digits and _, starting with a letter",
        ),
        ("a09", "'a09': a failure mode of that id already exists (specs/a09)"),
        ("common", "'common': a failure mode of that id already exists (failure_modes/mappings/common.py)"),
    ],
)
def test_new_refuses_an_existing_or_malformed_id_in_one_line_and_writes_nothing(
    scratch: Path, capsys: pytest.CaptureFixture[str], fm_id: str, message: str
) -> None:
    before = sorted(scratch.rglob("*"))
    assert new(scratch, fm_id) == 2
    assert capsys.readouterr().err == f"failure-lab: error: {message}\n"
    assert sorted(scratch.rglob("*")) == before
