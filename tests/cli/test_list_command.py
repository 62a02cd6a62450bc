"""``failure-lab list`` and the top-level help."""

from __future__ import annotations

from pathlib import Path

import pytest

from failure_lab.cli import main


def test_list_shows_each_failure_mode_with_its_variants_and_expectations(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "--root", str(lab)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    counter = next(index for index, line in enumerate(lines) if "counter_bound" in line)
    assert "A counter passes three" in lines[counter]
    assert lines[counter + 1].split()[:3] == ["bug", "invariant_violated", "BelowThree"]
    assert lines[counter + 2].split()[:2] == ["fixed", "ok"]
    assert "specs/CounterBelowThree.cfg" in out or "CounterBelowThree.cfg" in out


def test_help_names_every_subcommand_and_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("list", "tlc", "check"):
        assert f"    {command} " in out
    assert "Exit codes: 0" in " ".join(out.split())


def test_tlc_help_documents_its_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["tlc", "--help"])
    assert "exit codes: 0 the outcome is the expected one, 1 it is not, 2 usage or tool error" in " ".join(
        capsys.readouterr().out.split()
    )
