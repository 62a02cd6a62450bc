"""The ``failure-lab`` command: one entry point, one module per subcommand.

Each module in this package defines ``register(subparsers)``, which adds its
subcommand and sets ``func`` on the parser it creates; ``func(args)`` returns the
exit code. Subcommands are found by listing the package, so adding one is adding
a file; a private module (``_options.py``, the options several subcommands share) is
not a subcommand.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from failure_lab.trace_check.errors import TraceCheckError

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="failure-lab",
        description="Model-check job-queue failure modes with TLC and replay them against the runtime.",
        epilog="Exit codes: 0 every outcome as expected, 1 one not as expected, 2 usage or tool error.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except TraceCheckError as error:
        print(f"failure-lab: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("failure-lab: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`failure-lab list | head`); say nothing more to it.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaced for the rest of the process
        return 0
    return code


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
