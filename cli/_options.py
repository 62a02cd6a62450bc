"""Command-line options shared by subcommands: running TLC (``tlc`` and ``check``), ``--root`` for all."""

from __future__ import annotations

import argparse
from pathlib import Path

from failure_lab.trace_check.tlc.errors import TlcError
from failure_lab.trace_check.tlc.workspace import repository_root


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Workers, timeout, cache and quiet, the same on every subcommand that runs TLC."""
    parser.add_argument(
        "--workers",
        default=None,
        metavar="N",
        help="TLC worker threads per run, a number or auto (default: 1; for tlc, auto when the "
        "model's last run found 200,000 distinct states or more)",
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
    text: str = args.workers or "1"
    if text == "auto":
        return None
    if not text.isdigit() or int(text) < 1:
        raise TlcError(f"--workers {text}: expected a positive number or auto")
    return int(text)


def root_of(args: argparse.Namespace) -> Path:
    """The repository root the command works in."""
    root: Path | None = args.root
    return (root or repository_root()).resolve()


def add_scale_options(parser: argparse.ArgumentParser) -> None:
    """TLC's engines for big models: simulation and distributed model checking."""
    scale = parser.add_argument_group("models too big for one exhaustive run")
    scale.add_argument(
        "--simulate", action="store_true", help="sample random behaviours instead of exploring them all"
    )
    scale.add_argument(
        "--depth", type=int, default=100, metavar="N", help="steps per behaviour (default: 100)"
    )
    scale.add_argument("--seed", type=int, default=1, metavar="N", help="the simulation's seed (default: 1)")
    scale.add_argument(
        "--behaviours", type=int, default=10_000, metavar="N", help="behaviours to sample (default: 10000)"
    )
    scale.add_argument(
        "--distributed",
        action="store_true",
        help="run TLC's distributed mode: a TLCServer here and TLCWorker processes (see --local-workers)",
    )
    scale.add_argument(
        "--port", type=int, default=10997, metavar="N", help="the server's RMI port (default: 10997)"
    )
    scale.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="NAME",
        help="the address workers reach this server at (default: 127.0.0.1, workers on this machine)",
    )
    scale.add_argument(
        "--local-workers",
        type=int,
        default=2,
        metavar="N",
        help="TLCWorker processes to start here; 0 waits for workers on other machines (default: 2)",
    )
