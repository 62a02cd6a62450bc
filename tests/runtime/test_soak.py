"""The soak with real processes and real SIGKILLs, small: guarded runs lose and duplicate nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from failure_lab.cli import main
from failure_lab.python_impl import FaultPoint, Guards, JsonLinesEffects
from failure_lab.python_impl.soak import SoakConfig, plan, soak


def config(tmp_path: Path, **overrides: object) -> SoakConfig:
    base: dict[str, object] = {"db": tmp_path / "soak.db", "effects": tmp_path / "effects.jsonl", "jobs": 20}
    return SoakConfig(**{**base, **overrides})  # type: ignore[arg-type]


def seed_where(tmp_path: Path, wanted: set[FaultPoint], **overrides: object) -> int:
    """The first seed whose single planned kill lands at one of the wanted points."""
    for seed in range(100):
        incidents = plan(config(tmp_path, seed=seed, **overrides), start=0).incidents
        if any(incident.point in wanted for incident in incidents):
            return seed
    raise AssertionError("no seed puts a kill there")


def test_guarded_soak_with_kills_and_zombies_completes_every_job_with_exactly_one_effect(
    tmp_path: Path,
) -> None:
    summary = soak(config(tmp_path, kills=4, stalls=1, seed=3))
    assert (summary["lost"], summary["stuck"], summary["duplicated_effects"]) == (0, 0, 0)
    assert summary["completed"] == 20 and summary["clean"]
    assert summary["kills"] >= 1 and summary["restarts"] >= summary["kills"]
    counted = JsonLinesEffects(tmp_path / "effects.jsonl").per_key()
    assert summary["effects"] == dict(sorted(counted.items())) and set(counted.values()) == {1}


def test_without_idempotent_commit_a_kill_between_effect_and_commit_applies_it_twice(tmp_path: Path) -> None:
    points = {FaultPoint.AFTER_EFFECT}
    seed = seed_where(tmp_path, points, kills=1, stalls=0)
    guarded = soak(config(tmp_path, kills=1, stalls=0, seed=seed))
    assert guarded["clean"] and guarded["kills"] == 1
    buggy = soak(config(tmp_path, kills=1, stalls=0, seed=seed, guards=Guards().without("idempotent_commit")))
    assert buggy["kills"] == 1
    assert buggy["duplicated_effects"] >= 1


def test_without_checkpoint_after_durable_a_scanner_killed_mid_pass_loses_runs(tmp_path: Path) -> None:
    guarded = soak(config(tmp_path, kills=3, stalls=0, seed=5))
    assert guarded["clean"] and guarded["vanished"] == 0
    buggy = soak(
        config(tmp_path, kills=3, stalls=0, seed=5, guards=Guards().without("checkpoint_after_durable"))
    )
    assert buggy["vanished"] >= 1 and buggy["lost"] == buggy["vanished"]


def test_soak_command_prints_the_summary_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            *("soak", "--jobs", "5", "--kills", "0", "--stalls", "0", "--seed", "1"),
            *("--db", str(tmp_path / "q.db"), "--effects", str(tmp_path / "e.jsonl")),
        ]
    )
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (summary["jobs"], summary["completed"], summary["effects"]) == (
        5,
        5,
        {f"job-0000{n}": 1 for n in range(5)},
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--without", "fencing"], "unknown guard fencing; expected one of due_boundary,"),
        (["--workers", "0"], "--workers must be at least 1"),
    ],
)
def test_soak_command_refuses_bad_arguments_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code = main(["soak", "--db", str(tmp_path / "q.db"), "--effects", str(tmp_path / "e.jsonl"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_soak_command_refuses_a_database_that_is_not_a_queue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "q.db"
    db.write_text("not sqlite" * 100)
    before = db.read_bytes()
    code = main(["soak", "--db", str(db), "--effects", str(tmp_path / "e.jsonl"), "--jobs", "1"])
    assert code == 2
    assert "not an SQLite database" in capsys.readouterr().err
    assert db.read_bytes() == before
