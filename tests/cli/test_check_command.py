"""``failure-lab check``: every variant against its expectation, as a table or as JSON records."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from failure_lab.cli import main

FIELDS = [
    "fm",
    "variant",
    "expected",
    "outcome",
    "violated",
    "states",
    "distinct",
    "depth",
    "seconds",
    "cached",
]


def check(lab: Path, *args: str) -> int:
    return main(["check", *args, "--root", str(lab), "--quiet"])


def test_json_has_one_record_per_failure_mode_and_variant(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(lab, "--json") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["fm"], r["variant"]) for r in records] == [
        ("counter_bound", "bug"),
        ("counter_bound", "fixed"),
        ("light_cycle", "bug"),
        ("stuck_counter", "bug"),
        ("stuck_counter", "relaxed"),
    ]
    assert all(list(record) == FIELDS for record in records)
    assert all(record["outcome"] == record["expected"] for record in records)
    assert records[0]["violated"] == "BelowThree"
    assert records[1]["distinct"] == 5


def test_a_second_check_comes_from_the_cache(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(lab, "--json")
    capsys.readouterr()
    check(lab, "--json")
    assert all(json.loads(line)["cached"] for line in capsys.readouterr().out.splitlines())


def test_the_table_says_how_many_matched(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(lab, "counter_bound") == 0
    out = capsys.readouterr().out
    assert "2 of 2 variants as expected" in out
    assert "BelowThree" in out


def test_one_unexpected_outcome_makes_the_exit_code_1(
    lab: Path, add_manifest: Callable[[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    add_manifest(
        "guard_missing",
        """
        id = "guard_missing"
        title = "A bug variant that finds nothing"
        spec = "specs/Counter.tla"

        [variants.bug]
        config = "specs/Counter.cfg"
        expect = "invariant_violated"
        violated = "BelowThree"
        """,
    )
    assert check(lab) == 1
    out = capsys.readouterr().out
    (row,) = [line for line in out.splitlines() if line.startswith("guard_missing")]
    assert row.split()[2] == "ok"
    assert row.endswith("NOT AS EXPECTED: invariant_violated")
    assert "5 of 6 variants as expected" in out


def test_a_spec_error_in_one_variant_is_a_tool_error_exit_2(
    lab: Path, add_manifest: Callable[[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    add_manifest(
        "unparsable",
        """
        id = "unparsable"
        title = "A spec SANY rejects"
        spec = "specs/Broken.tla"

        [variants.bug]
        config = "specs/Broken.cfg"
        expect = "invariant_violated"
        """,
    )
    assert check(lab, "--json") == 2
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["outcome"] for r in records if r["fm"] == "unparsable"] == ["spec_error"]
    (error,) = captured.err.splitlines()
    assert "Broken.tla:5:" in error


def test_naming_an_unknown_failure_mode_is_exit_2(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(lab, "counter") == 2
    assert "did you mean 'counter_bound'?" in capsys.readouterr().err
