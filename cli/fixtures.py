"""``failure-lab fixtures``: record every bug variant's counterexample as ITF in its bundle, or check them."""

from __future__ import annotations

import argparse
from typing import Any

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay.fixtures import fixtures, fresh_trace, itf_text
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.tlc.workspace import shown


def register(subparsers: Any) -> None:
    """Add the ``fixtures`` subcommand."""
    parser = subparsers.add_parser(
        "fixtures",
        help="save (or --check) the counterexamples replayed in the test suite",
        description=(
            "Run TLC on every refuted variant and write its counterexample to "
            "failure_modes/<id>/traces/<variant>.itf.json. Read the diff before you commit a change: "
            "a new counterexample means the spec changed what it says."
        ),
        epilog="exit codes: 0 written (or all fresh with --check), 1 a saved trace is stale, 2 tool error",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a saved trace is stale"
    )
    add_root_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Regenerate or check every fixture."""
    root = root_of(args)
    workspace = Workspace(build=root / "build")
    stale = 0
    for fm in load_registry(root).failure_modes:
        for fixture in fixtures(fm):
            text = itf_text(fixture, fresh_trace(fixture, workspace), root)
            saved = fixture.path.read_text(encoding="utf-8") if fixture.path.is_file() else None
            if saved == text:
                print(f"fresh    {shown(fixture.path)}")
            elif args.check:
                stale += 1
                print(f"STALE    {shown(fixture.path)}: TLC's counterexample differs; regenerate it")
            else:
                fixture.path.parent.mkdir(parents=True, exist_ok=True)
                fixture.path.write_text(text, encoding="utf-8")
                print(f"written  {shown(fixture.path)}")
    return 1 if stale else 0
