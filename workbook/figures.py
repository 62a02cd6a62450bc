"""Figures and step tables for one output format: inline SVG and HTML tables, or image files and Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from failure_lab.trace_check.parse import Trace
from failure_lab.workbook.behaviour import Behaviour
from failure_lab.workbook.diagram import state_model_svg
from failure_lab.workbook.markdown import RawHtml
from failure_lab.workbook.performance import benchmark_table, growth_section
from failure_lab.workbook.steps import StepTable
from failure_lab.workbook.timeline import holds_attempts, legend, timeline_svg


@dataclass(frozen=True, slots=True)
class Figures:
    """What a page draws: in Markdown (``raw`` None) files under ``out/img``; in HTML, inline via ``raw``."""

    out: Path
    root: Path  # the repository, whose ``build/bench`` holds the benchmark's plots
    raw: RawHtml | None  # where the HTML pieces wait for the Markdown around them to become HTML

    def figure(self, name: str, svg: str, alt: str) -> str:
        """An SVG: inline in HTML; in Markdown a file under ``img/`` and an image link to it."""
        if self.raw is not None:
            return self.raw.hold(svg)
        path = self.out / "img" / f"{name}.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg + "\n", encoding="utf-8")
        return f"![{alt}](img/{name}.svg)"

    def timeline(self, b: Behaviour) -> str:
        """The behaviour over time: a lane per actor, a column per state."""
        svg = timeline_svg(b.trace, b.order, b.actions, title=b.title, violated=b.violated, verdict=b.verdict)
        return self.figure(b.name, svg, b.title)

    def steps(self, b: Behaviour) -> str:
        """The step table: every variable per state, the cells a step changed marked, then a note."""
        if self.raw is not None:
            table, marked = self.raw.hold(_html_table(b.table)), "Highlighted"
        else:
            table, marked = _md_table(b.table), "Bold"
        notes = [f"{marked}: the cells the step into that state changed.", b.last]
        if b.table.ending:
            notes.append(f"The behaviour goes on: {b.table.ending}.")
        return table + "\n\n" + " ".join(note for note in notes if note)

    def state_model(self) -> str:
        """The state model diagram."""
        return self.figure("state-model", state_model_svg(), "The state model of a run")

    def bench_table(self) -> str:
        """The last ``make bench``'s comparisons and their plot."""
        return benchmark_table(self.root, self.figure)

    def growth(self) -> str:
        """The last ``make bench``'s A09 growth sweep and its plots."""
        return growth_section(self.root, self.figure)


def timeline_legend(trace: Trace | None = None, goal: bool = False) -> str:
    """The key to the timeline; the attempt colours only where a worker holds an attempt."""
    return legend(with_attempts=trace is None or holds_attempts(trace), goal=goal)


def _md_cell(text: str, changed: bool) -> str:
    inner = f"`{text.replace('|', chr(92) + '|')}`" if text else ""
    return f"**{inner}**" if changed and inner else inner


def _md_table(table: StepTable) -> str:
    head = "| # | action | " + " | ".join(f"`{c}`" for c in table.columns) + " |"
    rule = "| ---: | --- | " + " | ".join("---" for _ in table.columns) + " |"
    lines = [head, rule]
    for row in table.rows:
        cells = " | ".join(_md_cell(cell.text, cell.changed) for cell in row.cells)
        lines.append(f"| {row.index} | `{row.call}` | {cells} |")
    return "\n".join(lines)


def _html_table(table: StepTable) -> str:
    out = ['<div class="scroll">', '<table class="steps">', "<thead><tr><th>#</th><th>action</th>"]
    out.append("".join(f"<th>{escape(c)}</th>" for c in table.columns) + "</tr></thead>")
    out.append("<tbody>")
    for position, row in enumerate(table.rows):
        final = position == len(table.rows) - 1 and table.violation is not None
        cells = "".join(
            f'<td class="changed">{escape(c.text)}</td>' if c.changed else f"<td>{escape(c.text)}</td>"
            for c in row.cells
        )
        css = ' class="violation"' if final else ""
        out.append(f'<tr{css}><td>{row.index}</td><td class="call">{escape(row.call)}</td>{cells}</tr>')
    out.append("</tbody>")
    out.append("</table>")
    out.append("</div>")
    return "\n".join(out)
