"""``failure-lab workbook``: builds the site and the Markdown, and reports bad input in one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from workbook_support import MEASURED

from failure_lab.cli import main


def test_workbook_command_writes_the_site_and_the_markdown(
    lab: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["workbook", "--root", str(lab), "--out", str(out), "--no-conform"]) == 0
    printed = capsys.readouterr().out
    assert "TLC: 2 variants" in printed
    assert "conformance: 2 variants, 0 measured, 0 unchanged (kept), 2 not measured" in printed
    assert (out / "index.html").is_file() and (out / "md" / "index.md").is_file()
    assert (out / "a09_early_release.html").is_file() and (out / "style.css").is_file()


def test_a_manifest_naming_an_invariant_the_spec_lacks_is_one_line_and_exit_2(
    lab: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = lab / "failure_modes" / "a09_early_release" / "failure_mode.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace('invariant = "NoEarlyRunnable"', 'invariant = "NoEarlyRunable"'), encoding="utf-8"
    )
    assert main(["workbook", "--root", str(lab), "--out", str(tmp_path / "out"), "--no-conform"]) == 2
    error = capsys.readouterr().err
    assert error == "failure-lab: error: A09.tla: expected a definition of NoEarlyRunable, found none\n"


def test_workbook_refuses_to_write_into_a_folder_holding_other_files(
    lab: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "elsewhere"
    out.mkdir()
    (out / "notes.md").write_text("mine\n", encoding="utf-8")
    assert main(["workbook", "--root", str(lab), "--out", str(out), "--no-conform"]) == 2
    assert capsys.readouterr().err.endswith(
        "expected an empty folder or an earlier workbook build, found other files\n"
    )
    assert (out / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_a_variant_that_no_longer_ends_as_expected_is_rendered_and_exits_1(
    lab: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = lab / "failure_modes" / "a09_early_release" / "failure_mode.toml"
    text = manifest.read_text(encoding="utf-8")
    # The guarded config checks clean; claim it should not, and the workbook must say so.
    broken = text.replace(
        'config = "specs/a09/MCA09.cfg"\nexpect = "ok"', 'config = "specs/a09/MCA09.cfg"\nexpect = "deadlock"'
    )
    assert broken != text
    manifest.write_text(broken, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["workbook", "--root", str(lab), "--out", str(out), "--no-conform"]) == 1
    assert (
        "a09_early_release fixed: TLC's outcome is not the one the manifest expects"
        in capsys.readouterr().out
    )
    page = (out / "md" / "a09_early_release.md").read_text(encoding="utf-8")
    assert "**NOT as expected** (expected deadlock)" in page


def test_workbook_measures_the_missing_conformance_once_and_later_builds_keep_it(
    epoch_lab: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["workbook", "--root", str(epoch_lab), "--out", str(tmp_path / "out")]
    assert main(command) == 0
    assert (
        "conformance: 2 variants, 2 measured, 0 unchanged (kept), 0 not measured" in capsys.readouterr().out
    )
    page = (tmp_path / "out" / "md" / f"{MEASURED}.md").read_text(encoding="utf-8")
    assert page.count("measured by this build |") == 2
    assert main(command) == 0
    assert (
        "conformance: 2 variants, 0 measured, 2 unchanged (kept), 0 not measured" in capsys.readouterr().out
    )
    page = (tmp_path / "out" / "md" / f"{MEASURED}.md").read_text(encoding="utf-8")
    assert page.count("kept from that run |") == 2
    assert "not measured" not in page
