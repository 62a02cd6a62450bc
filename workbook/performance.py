"""The performance page: ``build/bench/results.json`` and the plots ``make bench`` drew beside it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Figure = Callable[[str, str, str], str]


def _results(root: Path) -> dict[str, Any] | None:
    try:
        document = json.loads((root / "build" / "bench" / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def _figure(root: Path, name: str, alt: str, figure: Figure) -> str:
    path = root / "build" / "bench" / f"{name}.svg"
    return figure(f"bench-{name}", path.read_text(encoding="utf-8").strip(), alt) if path.is_file() else ""


def _shown(measurement: dict[str, Any]) -> str:
    value, unit = float(measurement["median"]), measurement["unit"]
    figure = f"{value * 1000:.0f} ms" if unit == "s" and value < 10 else f"{value:,.3g} {unit}"
    return f"{measurement['label']}: {figure}"


def benchmark_table(root: Path, figure: Figure) -> str:
    """Every comparison of the last ``make bench`` as a Markdown table, then the ratio plot."""
    document = _results(root)
    if document is None or not document.get("comparisons"):
        return "_Not measured yet: run `make bench`._"
    machine = document.get("machine", {})
    lines = [
        f"Measured on {machine.get('platform', 'an unnamed machine')} with {machine.get('cores', '?')} "
        f"cores, Python {machine.get('python', '?')}. Ratio = candidate / baseline (medians).",
        "",
        "| comparison | candidate | baseline | ratio | target | met |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for record in document["comparisons"]:
        target = record.get("target")
        goal = "" if target is None else ("≥ " if record.get("higher_is_better") else "≤ ") + f"{target:g}"
        met = {True: "yes", False: "**no**", None: "context"}[record.get("met")]
        lines.append(
            f"| `{record['name']}` | {_shown(record['candidate'])} | {_shown(record['baseline'])} "
            f"| {record['ratio']:.2f} | {goal} | {met} |"
        )
    plot = _figure(root, "results", "every ratio on a log scale; the black tick is its target", figure)
    return "\n".join(lines) + ("\n\n" + plot if plot else "")


def growth_section(root: Path, figure: Figure) -> str:
    """The A09 growth sweep: its points, growth rates, the one-minute bound and the plots."""
    document = _results(root)
    growth = (document or {}).get("details", {}).get("bench_growth")
    if not growth:
        return "_Not measured yet: run `make bench`._"
    lines = [
        "| series | bounds (workers/runs/epochs/ticks) | states | distinct | TLC s | conformance s |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, points in growth["series"].items():
        for point in points:
            conform = point.get("conform_seconds")
            cut = "" if point["outcome"] == "ok" else f" ({point['outcome']})"
            lines.append(
                f"| {name} | {point['bounds']} | {_number(point['states'])} | {_number(point['distinct'])} "
                f"| {point['seconds']:.1f}{cut} "
                f"| {'' if conform is None else f'{conform:.2f}'} |"
            )
    lines.append("")
    for name, rates in growth["rates"].items():
        lines.append(
            f"- **{name}**: distinct states x{rates['distinct_per_step']:.2f} per step, "
            f"TLC time x{rates['seconds_per_step']:.2f} per step."
        )
    lines.append("")
    for name, bound in growth["minute_bound"].items():
        if bound is None:
            lines.append(f"- One minute on {growth['tlc_workers']} cores ({name}): not reached in the sweep.")
        else:
            lines.append(
                f"- One minute on {growth['tlc_workers']} cores ({name}): passed at **{bound['bounds']}** "
                f"({bound['seconds']} s, {bound['outcome']}); the last bound under it: {bound['last_under']}."
            )
    for field, alt in (("distinct", "distinct states per bound"), ("seconds", "TLC seconds per bound"),
                       ("conform_seconds", "conformance seconds per bound")):  # fmt: skip
        plot = _figure(root, f"growth-{field}", alt, figure)
        if plot:
            lines += ["", plot]
    return "\n".join(lines)


def _number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"
