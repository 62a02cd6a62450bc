"""The coverage report as Markdown and JSON files, the form CI keeps (``build/coverage/``)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from failure_lab.trace_check.coverage.figures import (
    GRAPH,
    RELEVANCE,
    SOURCES,
    TITLES,
    Count,
    Coverage,
    VariantCoverage,
)

EVERY = (GRAPH, *SOURCES)


def total_line(actions: Callable[[str], Count], relevant: Callable[[str], Count]) -> str:
    """``actions covered: graph 7/7, conformance 7/7, ...; relevant states reached: graph 120/120, ...``."""
    covered = ", ".join(f"{TITLES[source]} {actions(source).text()}" for source in EVERY)
    reached = ", ".join(f"{TITLES[source]} {relevant(source).text()}" for source in EVERY)
    return f"actions covered: {covered}; relevant states reached: {reached}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(head: list[str], rows: list[list[str]], numeric_from: int) -> list[str]:
    rule = ["---" if column < numeric_from else "---:" for column in range(len(head))]
    return [_row(head), _row(rule), *(_row(row) for row in rows)]


def _intro(coverage: Coverage) -> list[str]:
    return [
        "# Coverage in spec terms",
        "",
        "What whole-graph conformance, the replays of the saved counterexamples and recorded runs of the",
        "runtime reached of each failure mode's model: its spec actions, and the states relevant to the",
        "invariants it protects. Made by `failure-lab coverage` (`make coverage`); `coverage.json` beside",
        "this file holds the same figures.",
        "",
        "- **graph**: the variant's reachable state graph as TLC dumps it, what there is to reach: its edges",
        "  per action.",
        "- **conformance**: the edges `failure-lab conform` checked against the runtime.",
        "- **replay: repro**, **replay: prevent**: the steps of the variant's saved counterexample",
        "  (`traces/<variant>.itf.json`) the runtime took in agreement with it, its guard off and on.",
        "- **recorded runs**: the steps of seeded random runs of the runtime, recorded as",
        f"  `failure-lab validate` records them: {coverage.recorded.text()}.",
        "",
        f"Relevant states: {RELEVANCE}.",
        "",
        "`—`: the source has nothing on this variant (no counterexample to replay); `?`: it cannot say",
        "which states it reached.",
        "",
    ]


def _summary(coverage: Coverage) -> list[str]:
    head = [
        "failure mode",
        "variant",
        *(f"actions: {s}" for s in EVERY),
        *(f"relevant: {s}" for s in EVERY),
    ]
    rows: list[list[str]] = []
    for fm in coverage.failure_modes:
        for variant in fm.variants:
            rows.append(
                [
                    fm.fm,
                    variant.variant,
                    *(variant.actions(s).text() for s in EVERY),
                    *(variant.relevant(s).text() for s in EVERY),
                ]
            )
        rows.append(
            [
                f"**{fm.fm}**",
                "**all**",
                *(fm.actions(s).text() for s in EVERY),
                *(fm.relevant(s).text() for s in EVERY),
            ]
        )
    rows.append(
        [
            "**overall**",
            "",
            *(coverage.actions(s).text() for s in EVERY),
            *(coverage.relevant(s).text() for s in EVERY),
        ]
    )
    return ["## Summary", "", *_table(head, rows, 2), ""]


def _variant(variant: VariantCoverage) -> list[str]:
    lines = [f"### {variant.heading()}", ""]
    steps = {source: variant.steps(source) for source in EVERY}
    rows = [
        [f"`{action}`", *("—" if s is None else str(s[action]) for s in steps.values())]
        for action in variant.spec_actions
    ]
    lines += _table(["action", *(TITLES[s] for s in EVERY)], rows, 1)
    lines.append("")
    if variant.model_steps:
        own = ", ".join(f"`{action}` {n}" for action, n in variant.model_steps.items())
        lines += [f"Edges of the bounded model's own, no spec action: {own}.", ""]
    missing = []
    for source in EVERY:
        uncovered = variant.uncovered(source)
        if uncovered:
            missing.append(f"{TITLES[source]}: {', '.join(f'`{action}`' for action in uncovered)}")
    lines += [f"Not covered: {'; '.join(missing) if missing else 'none'}.", ""]
    rows = [
        [
            f"`{item.protected.invariant}`{' (own)' if item.own else ''}",
            f"`{item.protected.guarded_action}`",
            *(variant.relevant(source, item).text() for source in EVERY),
        ]
        for item in variant.invariants
    ]
    lines += _table(["relevant states of", "guarded at", *(TITLES[s] for s in EVERY)], rows, 2)
    lines.append("")
    details = "; ".join(f"{TITLES[reach.source]}: {reach.detail}" for reach in variant.reaches)
    lines += [f"Sources: {details}.", ""]
    return lines


def render(coverage: Coverage) -> str:
    """The whole report as Markdown: definitions, totals, a summary table, then variant by variant."""
    lines = _intro(coverage)
    lines += ["## Totals", "", total_line(coverage.actions, coverage.relevant) + ".", ""]
    lines += _summary(coverage)
    for fm in coverage.failure_modes:
        lines += [
            f"## {fm.fm}: {fm.title}",
            "",
            f"Spec `{fm.spec}`; invariant `{fm.invariant}`, guarded at `{fm.guarded_action}`.",
            "",
            f"Total: {total_line(fm.actions, fm.relevant)}.",
            "",
        ]
        for variant in fm.variants:
            lines += _variant(variant)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_report(coverage: Coverage, folder: Path) -> tuple[Path, Path]:
    """Write ``coverage.md`` and ``coverage.json`` into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    markdown, document = folder / "coverage.md", folder / "coverage.json"
    _write(markdown, render(coverage))
    _write(document, json.dumps(coverage.as_json(), indent=2) + "\n")
    return markdown, document


def _write(path: Path, text: str) -> None:
    """Replace ``path`` whole: a reader (CI, a page) never sees half a report."""
    scratch = path.with_name(f".{path.name}.{os.getpid()}.partial")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)
