"""``failure-lab itf`` and ``failure-lab show`` on saved TLC outputs and ITF files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from failure_lab.cli import main
from failure_lab.trace_check.parse import loads_itf, parse_tlc_output

from .test_itf import same_trace
from .tlc import DATA


def test_itf_writes_one_json_line_per_trace(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["itf", str(DATA / "shapes_continue.tool.out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = parse_tlc_output((DATA / "shapes_continue.tool.out").read_text()).traces
    assert len(lines) == len(expected) == 3
    for line, trace in zip(lines, expected, strict=True):
        [back] = loads_itf(line)
        assert same_trace(back, trace)


def test_itf_file_per_trace_numbers_the_later_ones(tmp_path: Path) -> None:
    target = tmp_path / "run.itf.json"
    assert main(["itf", str(DATA / "shapes_continue.out"), "-o", str(target)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "run.2.itf.json",
        "run.3.itf.json",
        "run.itf.json",
    ]
    third = json.loads((tmp_path / "run.3.itf.json").read_text())
    assert third["#meta"]["violation"]["kind"] == "deadlock"


def test_itf_of_an_output_without_trace_says_so_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["itf", str(DATA / "assume.out")]) == 2
    assert capsys.readouterr().err == (
        f"failure-lab: error: {DATA / 'assume.out'}: no trace to convert (TLC's outcome: assumption_failed)\n"
    )


def test_itf_of_text_that_is_not_tlc_output_is_one_located_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "cut.out"
    broken.write_text((DATA / "shapes.out").read_text().replace("/\\ s = {0}", "/\\ s = {0"))
    assert main(["itf", str(broken)]) == 2
    assert capsys.readouterr().err == (
        f'failure-lab: error: {broken}:38:10: expected one of ",", "}}", found end of input\n'
    )


def test_show_reads_itf_and_tlc_output_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(DATA / "cycle_back.out")]) == 0
    from_tlc = capsys.readouterr().out
    itf = tmp_path / "cycle.itf.json"
    assert main(["itf", str(DATA / "cycle_back.out"), "-o", str(itf)]) == 0
    assert main(["show", str(itf)]) == 0
    assert capsys.readouterr().out == from_tlc
    assert "back to state 4" in from_tlc


def test_show_lists_only_the_variables_that_changed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(DATA / "cycle_back.tool.out")]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("│")]
    # From state 5 on only x changes: seen stays {0, 1, 2}.
    fifth = rows.index(next(row for row in rows if row.startswith("│ 5 ")))
    assert "x: 0 → 1" in rows[fifth] and "seen" not in "".join(rows[fifth:])


def test_the_console_script_exits_2_on_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.out"
    completed = subprocess.run(
        [sys.executable, "-m", "failure_lab", "show", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (2, "")
    assert completed.stderr == f"failure-lab: error: {missing}: cannot read: No such file or directory\n"
