#!/usr/bin/env python3
"""CI: run the README's test command on a clean clone and fail loudly unless tests ran and passed.

Usage: .ci/run.py [--here]   (or bash .ci/run, which CI calls)
  (default)  clone the committed HEAD into a fresh folder and run there, as a new contributor would
  --here     run in this checkout (for a CI system that already made the clean clone)
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

REPO = Path(__file__).resolve().parents[1]
# pytest's "no tests were collected" exit code: for us a failure, never a pass.
NO_TESTS = 5


def readme_test_command(readme: Path) -> list[str]:
    """The second command of the README's quick start (the first runs TLC, the second the tests)."""
    text = readme.read_text(encoding="utf-8")
    match = re.search(r"^## Quick start\s*$.*?^```\w*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    if match is None:
        fail(f"{readme}: no fenced block under '## Quick start'")
    commands = [line.strip() for line in match.group(1).splitlines() if line.strip()]
    if len(commands) != 2:
        fail(f"{readme}: the quick start should hold exactly two commands, found {len(commands)}")
    return shlex.split(commands[1])


def fail(message: str) -> NoReturn:
    print(f"\n.ci/run: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def run_in(checkout: Path) -> None:
    command = readme_test_command(checkout / "README.md")
    print(f".ci/run: {shlex.join(command)} in {checkout}", flush=True)
    process = subprocess.Popen(
        command, cwd=checkout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    code = process.wait()
    output = "".join(lines)
    if code == NO_TESTS or re.search(r"\bno tests ran\b", output):
        fail("pytest collected no tests")
    if code != 0:
        fail(f"{shlex.join(command)} exited with {code}")
    passed = re.findall(r"\b(\d+) passed\b", output)
    if not passed or int(passed[-1]) == 0:
        fail("the output reports no passed tests")
    print(f"\n.ci/run: OK, {passed[-1]} tests passed")


def main() -> None:
    if sys.argv[1:] == ["--here"]:
        run_in(REPO)
        return
    if sys.argv[1:]:
        fail(f"unknown arguments {sys.argv[1:]}; usage: .ci/run.py [--here]")
    with tempfile.TemporaryDirectory(prefix="failure-lab-ci-") as scratch:
        clone = Path(scratch) / "failure-lab"
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone)], check=True)
        run_in(clone)


if __name__ == "__main__":
    main()
