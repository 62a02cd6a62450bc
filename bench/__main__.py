"""``python -m bench [NAME ...]``: run every ``bench_*`` module (or the named ones) and save the results.

Each module's ``run()`` returns its comparisons; they are printed as a table and written to
``build/bench/results.json`` (a run of some modules replaces only their records), with the
figures of any module that also has ``details()`` (the growth sweep's points), and drawn as SVG
beside it (``results.svg``, ``growth-*.svg``). The exit code is 0 unless ``--strict`` is given
and a target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import bench
from bench.comparison import Comparison, Measurement
from bench.plot import growth_svg, ratios_svg

RESULTS = Path(__file__).resolve().parents[1] / "build" / "bench" / "results.json"


def discover() -> list[str]:
    """The benchmark modules, by name, found by listing the package."""
    return sorted(
        info.name for info in pkgutil.iter_modules(bench.__path__) if info.name.startswith("bench_")
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks and report; returns the exit code."""
    known = discover()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all of {known})"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a comparison misses its target")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args(argv)
    names = [name if name.startswith("bench_") else f"bench_{name}" for name in args.names] or known
    unknown = sorted(set(names) - set(known))
    if unknown:
        print(f"bench: error: unknown benchmark {unknown[0]!r} (known: {', '.join(known)})", file=sys.stderr)
        return 2
    console = Console(stderr=True)
    comparisons: list[tuple[str, Comparison]] = []
    details: dict[str, Any] = {}
    failed: list[str] = []
    for name in names:
        console.print(f"[dim]running {name} ...[/]")
        try:
            module = importlib.import_module(f"bench.{name}")
            comparisons.extend((name, comparison) for comparison in module.run())
            if hasattr(module, "details"):
                details[name] = module.details()
        except Exception as error:  # one broken benchmark must not cost the figures of the others
            console.print(f"[bold red]{name} failed[/]: {type(error).__name__}: {error}")
            failed.append(name)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # A partial run replaces only its own modules' records, so the file always holds the latest of each.
    ran = [name for name in names if name not in failed]
    kept = [record for record in _previous(args.output) if record.get("module") not in ran]
    kept_details = {
        module: figures for module, figures in _previous_details(args.output).items() if module not in ran
    }
    document: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cores": os.cpu_count(),
        },
        "comparisons": kept + [{"module": name, **comparison.record()} for name, comparison in comparisons],
        "details": kept_details | details,
    }
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    _draw(document, args.output.parent)
    _print_growth(document["details"])
    # The table comes last, so it is what a run of make bench ends with.
    _print(comparisons)
    print(f"results: {args.output}")
    for name in failed:
        print(f"bench: error: {name} failed (see above); its earlier records are kept", file=sys.stderr)
    missed = [comparison.name for _, comparison in comparisons if comparison.met is False]
    return 2 if failed else (1 if args.strict and missed else 0)


def _previous_details(path: Path) -> dict[str, Any]:
    try:
        details = json.loads(path.read_text(encoding="utf-8"))["details"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return details if isinstance(details, dict) else {}


def _draw(document: dict[str, Any], folder: Path) -> None:
    """The ratios and the growth curves as SVG files beside the JSON."""
    (folder / "results.svg").write_text(ratios_svg(document["comparisons"]) + "\n", encoding="utf-8")
    growth = document["details"].get("bench_growth")
    if growth:
        for field, label in (("distinct", "distinct states"), ("seconds", "TLC seconds, 2 workers"),
                             ("conform_seconds", "conformance seconds")):  # fmt: skip
            svg = growth_svg(growth["series"], field, label)
            (folder / f"growth-{field}.svg").write_text(svg + "\n", encoding="utf-8")


def _print_growth(details: dict[str, Any]) -> None:
    growth = details.get("bench_growth")
    if not growth:
        return
    for name, rates in growth["rates"].items():
        print(f"growth ({name}): distinct states x{rates['distinct_per_step']:.2f} per step, "
              f"TLC time x{rates['seconds_per_step']:.2f} per step")  # fmt: skip
    for name, bound in growth["minute_bound"].items():
        where = (
            "not reached in the sweep"
            if bound is None
            else (
                f"{bound['bounds']} ({bound['seconds']} s, {bound['outcome']}; "
                f"last under: {bound['last_under']})"
            )
        )
        print(f"one minute on {growth['tlc_workers']} cores ({name}): {where}")


def _previous(path: Path) -> list[dict[str, Any]]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))["comparisons"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [record for record in records if isinstance(record, dict)]


def _print(comparisons: list[tuple[str, Comparison]]) -> None:
    table = Table(title="benchmarks (medians; ratio = candidate / baseline)")
    for column in ("comparison", "candidate", "baseline", "ratio", "target", "met"):
        table.add_column(column, justify="right" if column in {"ratio", "target"} else "left")
    for _, comparison in comparisons:
        goal = "" if comparison.target is None else ("≥ " if comparison.higher_is_better else "≤ ")
        met = {True: "[green]yes[/]", False: "[bold red]no[/]", None: "context"}[comparison.met]
        table.add_row(
            comparison.name,
            _shown(comparison.candidate),
            _shown(comparison.baseline),
            f"{comparison.ratio:.2f}",
            "" if comparison.target is None else f"{goal}{comparison.target:g}",
            met,
        )
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def _shown(measurement: Measurement) -> str:
    value, unit = measurement.median, measurement.unit
    figure = f"{value * 1000:.0f} ms" if unit == "s" and value < 10 else f"{value:,.3g} {unit}"
    return f"{measurement.label}: {figure}"


if __name__ == "__main__":
    sys.exit(main())
