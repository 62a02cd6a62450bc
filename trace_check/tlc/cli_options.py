"""Command-line options shared by the subcommands that run TLC (``tlc`` and ``check``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from trace_check.tlc.errors import TlcError
from trace_check.tlc.workspace import repository_root


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Workers, timeout, cache and quiet, the same on every subcommand that runs TLC."""
    parser.add_argument(
        "--workers",
        default="1",
        metavar="N",
        help="TLC worker threads per run, a number or auto (default: 1)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="give up on a run after this many seconds (default: none)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="run TLC even when an identical run is cached"
    )
    parser.add_argument("--quiet", action="store_true", help="no live progress, only the result")
    add_root_option(parser)


def add_root_option(parser: argparse.ArgumentParser) -> None:
    """``--root``: the repository to work in (hidden; the tests point it at a scratch copy)."""
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)


def workers_of(args: argparse.Namespace) -> int | None:
    """``--workers`` as the runner wants it (None for auto)."""
    text: str = args.workers
    if text == "auto":
        return None
    if not text.isdigit() or int(text) < 1:
        raise TlcError(f"--workers {text}: expected a positive number or auto")
    return int(text)


def root_of(args: argparse.Namespace) -> Path:
    """The repository root the command works in."""
    root: Path | None = args.root
    return (root or repository_root()).resolve()
