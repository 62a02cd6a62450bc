"""What the workbook's tests share beyond fixtures: the checkout's root and a scratch lab's evidence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from failure_lab.trace_check.tlc import Workspace
from failure_lab.workbook.evidence import Evidence, collect

ROOT = Path(__file__).resolve().parents[2]
# The one failure mode whose conformance the suite measures (both variants, about a second in all);
# the others' take a minute and a half, left to `make workbook`.
MEASURED = "a09_stale_epoch"


def lab_evidence(root: Path) -> Evidence:
    """Collect the scratch lab's evidence, with its own TLC cache under its build folder."""
    return collect(root, workspace=Workspace(root / "build"))


def copy_tlc_results(build: Path, models: set[str]) -> None:
    """The checkout's cached TLC runs of ``models`` (module names) into ``build``: entries and their outputs.

    Only what the entries name is copied (the runs folder also keeps every earlier run, hundreds of
    megabytes). Other test processes may be writing meanwhile: an entry is written only after its
    output is complete, and whatever is not copied only costs a TLC run.
    """
    source = ROOT / "build" / "tlc"
    for entry in sorted((source / "cache").glob("*.json")):
        try:
            output = (entry.parent / json.loads(entry.read_text(encoding="utf-8"))["output"]).resolve()
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if output.name.split("-", 1)[0] not in models:
            continue
        try:
            for path in (output, output.with_suffix(".dot")):
                if path.is_file():
                    target = build / "tlc" / "runs" / path.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
            (build / "tlc" / "cache").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry, build / "tlc" / "cache" / entry.name)
        except OSError:
            continue
