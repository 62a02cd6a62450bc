"""Soak runs validated by TLC: real processes, real SIGKILLs, the store's journal as a behaviour of Jobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from failure_lab.cli import main
from failure_lab.python_impl import journal
from failure_lab.python_impl.journal import JournalRow
from failure_lab.python_impl.soak import BUDGET, SoakConfig, soak
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate.errors import ValidateError
from failure_modes.mappings.jobs_journal import steps_of, validate_journal

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = Workspace(build=ROOT / "build")


def _soak(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, object]]:
    code = main(
        [
            *("soak", "--workers", "3", "--jobs", "30", "--kills", "2", "--stalls", "2", "--seed", "1"),
            *("--db", str(tmp_path / "q.db"), "--effects", str(tmp_path / "e.jsonl"), "--validate"),
            *("--root", str(ROOT), *extra),
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def test_a_guarded_soak_with_kills_and_zombies_is_a_behaviour_of_the_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary = _soak(tmp_path, capsys)
    validation, effects = summary["validation"], summary["effects"]
    assert isinstance(validation, dict) and isinstance(effects, dict)
    assert code == 0 and summary["clean"] and validation["ok"]
    rows = journal.read(tmp_path / "q.db")
    # Every journaled change of a job with an effect became a step, under every worker name that took one.
    changes = [row for row in rows if row.kind != "reclaim" and row.job_key in effects]
    assert validation["steps"] >= len(changes) > 0
    assert validation["workers"] == len({row.worker for row in changes if row.worker is not None})


def test_without_exclusive_claim_the_first_double_claim_is_named_with_the_conjunct_it_breaks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, summary = _soak(tmp_path, capsys, "--without", "exclusive_claim")
    validation = summary["validation"]
    assert isinstance(validation, dict) and not validation["ok"]
    unmatched = validation["unmatched"]
    assert unmatched["step"].startswith("Claim(")
    assert any(failed.endswith('Claim: status[j] = "runnable"') for failed in unmatched["failed"])


def test_a_reclaim_after_the_lease_ran_out_is_an_expiry_then_a_claim_and_before_it_only_a_claim() -> None:
    rows = [
        JournalRow(1, "claim", "j1", "w1", 1, 0),
        JournalRow(2, "reclaim", "j1", None, 1, 10),
        JournalRow(3, "claim", "j1", "w2", 2, 10),
        JournalRow(4, "reclaim", "j1", None, 2, 20),
        JournalRow(5, "claim", "j1", "w3", 3, 15),
        JournalRow(6, "effect", "j1", "w3", 3, 16),
        JournalRow(7, "completed", "j1", "w3", 3, None),
        JournalRow(8, "claim", "j2", "w1", 1, 17),
    ]
    assert [step.text() for step in steps_of(rows, leave_out=frozenset({"j2"}))] == [
        "Claim(w=w1, j=j1) (journal row 1)",
        "ExpireLease(j=j1) (journal row 3)",
        "Claim(w=w2, j=j1) (journal row 3)",
        "Claim(w=w3, j=j1) (journal row 5)",
        "Apply(w=w3) (journal row 6)",
        "Complete(w=w3) (journal row 7)",
    ]
    # The second reclaim took a live lease: TLC refuses it and says why.
    verdict = validate_journal(rows[:5], budget=BUDGET, workspace=WORKSPACE)
    assert verdict.position == 4 and verdict.unmatched is not None
    assert verdict.unmatched.action == "Claim"
    assert any('status[j] = "runnable"' in failed for failed in verdict.failed)


def test_a_soak_without_a_journal_is_refused_in_one_line(tmp_path: Path) -> None:
    summary = soak(SoakConfig(db=tmp_path / "q.db", effects=tmp_path / "e.jsonl", jobs=2, kills=0, stalls=0))
    assert summary["clean"]
    with pytest.raises(ValidateError, match="no step of the Jobs model: was the soak run with a journal"):
        validate_journal(journal.read(tmp_path / "q.db"), budget=BUDGET, workspace=WORKSPACE)
