"""``failure-lab itf``: convert a saved TLC output into ITF JSON, one document per trace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.parse import dumps_itf, parse_tlc_output


def register(subparsers: Any) -> None:
    """Add the ``itf`` subcommand."""
    parser = subparsers.add_parser(
        "itf",
        help="convert a saved TLC output (plain or -tool mode) into ITF JSON",
        description=(
            "Read a saved TLC output and write each counterexample as an ITF document (the Informal Trace "
            "Format of Apalache and Quint). Several traces (TLC's -continue) give one document per trace: "
            "on standard output one document per line (JSON Lines); with -o FILE the first trace goes to "
            "FILE and trace N to FILE with .N inserted before its extension (out.itf.json -> out.2.itf.json)."
        ),
        epilog="exit codes: 0 written, 2 unreadable input, input that is not TLC output, or no trace in it",
    )
    parser.add_argument("output", type=Path, metavar="TLC_OUTPUT", help="a file holding TLC's output")
    parser.add_argument(
        "-o", "--out", type=Path, metavar="FILE", help="write here instead of standard output"
    )
    parser.set_defaults(func=run)


def read_text(path: Path) -> str:
    """The file's text, or a one-line error saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise TraceCheckError(f"{path}: cannot read: {reason}") from None


def numbered(path: Path, number: int) -> Path:
    """``path`` for trace ``number``: the first keeps the name, others get ``.N`` before the extension."""
    if number == 1:
        return path
    stem, dot, rest = path.name.partition(".")
    return path.with_name(f"{stem}.{number}{dot}{rest}")


def run(args: argparse.Namespace) -> int:
    """Convert; every trace becomes one ITF document."""
    source = str(args.output)
    output = parse_tlc_output(read_text(args.output), source=source)
    if not output.traces:
        verdict = output.outcome or "no verdict"
        raise TraceCheckError(f"{source}: no trace to convert (TLC's outcome: {verdict})")
    documents = [dumps_itf(trace, source=args.output.name) for trace in output.traces]
    if args.out is None:
        sys.stdout.write("".join(document + "\n" for document in documents))
        return 0
    for number, document in enumerate(documents, start=1):
        target = numbered(args.out, number)
        try:
            target.write_text(document + "\n", encoding="utf-8")
        except OSError as error:
            raise TraceCheckError(f"{target}: cannot write: {error.strerror}") from None
    return 0
