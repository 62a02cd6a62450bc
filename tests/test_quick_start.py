"""The README's quick start is two commands, and CI runs exactly its test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Quick start\s*$.*?^```\w*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert match is not None, "README.md has no fenced block under '## Quick start'"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def test_quick_start_runs_the_main_job_then_the_tests() -> None:
    assert quick_start() == ["make tlc FM=a09_stale_epoch", "make test"]


def test_ci_runs_the_quick_starts_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.split("|")[0].strip() for line in script.splitlines() if line.startswith("make ")]
    assert commands == [quick_start()[1] + " 2>&1"]
