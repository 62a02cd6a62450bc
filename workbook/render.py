"""Render the workbook's evidence as Markdown (for a code host) and as an offline HTML site."""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import jinja2

from failure_lab.trace_check.tlc import TlcResult
from failure_lab.trace_check.trace import Trace
from failure_lab.workbook.diagram import state_model_svg
from failure_lab.workbook.errors import WorkbookError
from failure_lab.workbook.evidence import (
    NOT_MEASURED,
    ConformanceEvidence,
    Evidence,
    FailureModeEvidence,
    HappyEvidence,
    VariantEvidence,
)
from failure_lab.workbook.markdown import anchors, links, to_html
from failure_lab.workbook.performance import benchmark_table, growth_section
from failure_lab.workbook.sources import definitions, variables
from failure_lab.workbook.steps import StepTable, step_table
from failure_lab.workbook.timeline import holds_attempts, legend, timeline_svg

PACKAGE = Path(__file__).resolve().parent
TEMPLATES, CHAPTERS = PACKAGE / "templates", PACKAGE / "chapters"
MARKER = ".failure-lab-workbook"  # marks a folder the renderer may clean
ASSETS = ("style.css", "favicon.svg")  # the site's only static files, copied beside the pages


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the workbook: its file name, titles, and the template that writes it."""

    slug: str
    title: str
    short: str
    blurb: str
    template: str
    fm_id: str | None = None


@dataclass(frozen=True, slots=True)
class Insight:
    """The prose of one failure mode: the bug, the invariant that catches it, the lesson."""

    fm_id: str
    number: int | None
    heading: str
    seed_model: str | None
    catches: str
    recovery: str
    bug_is: str
    lesson: str


def chapters() -> tuple[Page, ...]:
    """The chapters in reading order, from ``chapters/chapters.toml``."""
    data = _toml(CHAPTERS / "chapters.toml")
    return tuple(
        Page(c["slug"], c["title"], _short(c["title"]), c["blurb"], c["source"]) for c in data["chapter"]
    )


def _short(title: str) -> str:
    short = title.removeprefix("The ")
    return short[:1].upper() + short[1:]


def insights(evidence: Evidence) -> dict[str, Insight]:
    """Each failure mode's prose, checked against its manifest: the invariant must be the same word."""
    data = _toml(CHAPTERS / "insights.toml")
    found = {}
    for ve in evidence.failure_modes:
        fm = ve.failure_mode
        table = data.get(fm.id)
        if table is None:
            raise WorkbookError(
                f"workbook/chapters/insights.toml: expected a [{fm.id}] table for {fm.manifest.name}"
            )
        if table["catches"] != fm.invariant:
            raise WorkbookError(
                f"workbook/chapters/insights.toml: [{fm.id}] catches: expected {fm.invariant} "
                f"(the manifest's invariant), found {table['catches']}"
            )
        found[fm.id] = Insight(
            fm_id=fm.id,
            number=table.get("number"),
            heading=table["heading"],
            seed_model=table.get("seed_model"),
            catches=table["catches"],
            recovery=table["recovery"],
            bug_is=table["bug_is"].strip("\n"),
            lesson=table["lesson"].strip("\n"),
        )
    return found


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise WorkbookError(f"{path.name}: expected TOML ({error})") from None


class Writer:
    """What templates call: links, figures and tables written for one output format ("md" or "html")."""

    def __init__(self, mode: str, out: Path, evidence: Evidence, pages: tuple[Page, ...]) -> None:
        self.mode = mode
        self.out = out
        self.evidence = evidence
        self.pages = pages
        self.chapters = tuple(page for page in pages if page.fm_id is None and page.slug != "index")
        self.insights = insights(evidence)
        self.ext = ".md" if mode == "md" else ".html"

    # Links and names.
    def link(self, slug: str, text: str, anchor: str = "") -> str:
        """A Markdown link to another page of the workbook."""
        if slug not in {page.slug for page in self.pages}:
            raise WorkbookError(f"workbook: a template links to {slug!r}, which is no page")
        return f"[{text}]({slug}{self.ext}{'#' + anchor if anchor else ''})"

    def rel(self, path: Path) -> str:
        """``path`` relative to the repository root."""
        return path.relative_to(self.evidence.root).as_posix()

    @staticmethod
    def number(value: int | None) -> str:
        """``1,234``, or n/a when TLC reported nothing."""
        return "n/a" if value is None else f"{value:,}"

    @staticmethod
    def outcome(result: TlcResult) -> str:
        """``invariant violated: `X` `` and the like."""
        text = result.outcome.value.replace("_", " ")
        return f"{text}: `{result.violated}`" if result.violated else text

    @staticmethod
    def expectation(v: VariantEvidence) -> str:
        """As expected, or loudly not."""
        if v.as_expected:
            return "as expected"
        wanted = v.variant.expect.value.replace("_", " ")
        of = f" of {v.variant.violated}" if v.variant.violated else ""
        return f"**NOT as expected** (expected {wanted}{of})"

    @staticmethod
    def variant(ve: FailureModeEvidence, name: str) -> VariantEvidence | None:
        """The variant called ``name``, if the failure mode has one."""
        return next((v for v in ve.variants if v.variant.name == name), None)

    def insight(self, ve: FailureModeEvidence) -> Insight:
        """The prose of a failure mode."""
        return self.insights[ve.failure_mode.id]

    def a09_insights(self) -> list[Insight]:
        """The numbered insights of the A09 workbook, in its order."""
        numbered = [ins for ins in self.insights.values() if ins.number is not None]
        return sorted(numbered, key=lambda ins: ins.number or 0)

    def calls(self, ve: FailureModeEvidence, v: VariantEvidence) -> str:
        """The counterexample's steps in one line: ``Tick`` → ``Scan(r1)`` → …"""
        return " → ".join(f"`{row.call}`" for row in self.table(ve, v).rows[1:])

    def variant_line(self, v: VariantEvidence) -> str:
        """One sentence on a further variant: its config, TLC's verdict and the distinct states."""
        role = "With the guard" if v.variant.violated is None else f"The {v.variant.name} variant"
        return (
            f"{role} (`{self.rel(v.variant.config)}`): **{self.outcome(v.result)}** ({self.expectation(v)}), "
            f"{self.number(v.result.distinct_states)} distinct states."
        )

    def has(self, fm_id: str) -> bool:
        """Whether failure mode ``fm_id`` exists and has a bug counterexample."""
        ve = next((ve for ve in self.evidence.failure_modes if ve.failure_mode.id == fm_id), None)
        return ve is not None and ve.bug is not None and ve.bug.trace is not None

    def guarded(self) -> list[VariantEvidence]:
        """Every variant expected to check clean, once per config (several failure modes share one)."""
        seen: dict[Path, VariantEvidence] = {}
        for ve in self.evidence.failure_modes:
            for v in ve.variants:
                if v.variant.violated is None and v.variant.config not in seen:
                    seen[v.variant.config] = v
        return [seen[config] for config in sorted(seen)]

    def recovery(self, ve: FailureModeEvidence) -> str:
        """How the failure is contained or recovered from, in the workbook's words."""
        return self.insight(ve).recovery

    def replay_status(self, ve: FailureModeEvidence) -> str:
        """The replay's verdict in a few words."""
        if not ve.replays:
            return "no counterexample"
        if not all(r.available for r in ve.replays):
            return "not available yet"
        parts = []
        for bug in (r for r in ve.replays if r.direction == "bug"):
            guard = next((r for r in ve.replays if r.direction == "guard" and r.variant == bug.variant), None)
            said = f"{bug.variant}: " + (
                f"reproduces on {bug.agreed} states" if bug.ok else "**does not reproduce**"
            )
            if guard is not None and guard.parted_step is not None:
                said += f", the guard parts at step {guard.parted_step}"
            parts.append(said)
        return "; ".join(parts)

    def bug_is(self, ve: FailureModeEvidence) -> str:
        """The bug, in the workbook's words."""
        return self.insight(ve).bug_is

    def lesson(self, ve: FailureModeEvidence) -> str:
        """The lesson, in the workbook's words."""
        return self.insight(ve).lesson

    def caught(self, ve: FailureModeEvidence) -> str:
        """Where TLC caught the bug: the state and the step that broke the invariant, from the trace."""
        bug = ve.bug
        if bug is None or bug.trace is None or not bug.trace.states:
            return "TLC printed no counterexample for the bug variant."
        table = self.table(ve, bug)
        last = table.rows[-1]
        return (
            f"TLC stops after {len(table.rows) - 1} steps: in state {last.index}, reached by `{last.call}`, "
            f"`{bug.result.violated or ve.failure_mode.invariant}` is false. It is the shortest such path "
            f"(TLC explores breadth-first), and no other invariant broke before it."
        )

    # Conformance: TLC's whole state graph driven into the runtime, figures kept per key.
    @staticmethod
    def of(part: int, whole: int) -> str:
        """``2,519 of 2,519``; bold when the part falls short."""
        text = f"{part:,} of {whole:,}"
        return text if part == whole else f"**{text}**"

    @staticmethod
    def conformance_missing(c: ConformanceEvidence) -> str:
        """Why a variant has no figures: none measured from today's sources, or the run's error."""
        return f"not available: {c.problem}" if c.problem else NOT_MEASURED

    def conformance_line(self, c: ConformanceEvidence) -> str:
        """One variant's conformance in a sentence: edges, states, mismatches, time, key and commit."""
        r = c.record
        if r is None:
            return f"**{self.conformance_missing(c)}**."
        mismatches = f"{r.mismatches:,} mismatch{'' if r.mismatches == 1 else 'es'}"
        return (
            f"{self.of(r.edges_checked, r.edges)} edges checked, {self.of(r.states_reached, r.states)} "
            f"states reached, {mismatches if r.ok else f'**{mismatches}**'} ({r.seconds:.2f} s; key "
            f"`{r.key[:12]}`, measured at commit `{r.measured_at()}`)."
        )

    @staticmethod
    def conformance_note(ve: FailureModeEvidence) -> str:
        """What "not measured for this commit" means, where a variant says it."""
        if all(c.record is not None or c.problem for c in ve.conformance):
            return ""
        return (
            f"*{NOT_MEASURED[:1].upper()}{NOT_MEASURED[1:]}*: no figures were measured from today's sources "
            "(this build was asked not to run conformance), and figures of other sources are never shown "
            f"in their place. `failure-lab conform {ve.failure_mode.id}` measures them, and so does "
            "`make workbook`."
        )

    def conformance_status(self, ve: FailureModeEvidence) -> str:
        """Each variant's conformance in a few words, for the index tables."""
        parts = []
        for c in ve.conformance:
            r = c.record
            if r is None:
                said = "not available" if c.problem else NOT_MEASURED
            else:
                said = self.of(r.edges_checked, r.edges)
                if r.mismatches:
                    said += f", **{r.mismatches:,} mismatches**"
            parts.append(f"{c.variant}: {said}")
        return "; ".join(parts) or "no variants"

    def coverage(self, ve: FailureModeEvidence) -> str:
        """Per spec action, the edges checked of the graph's edges of that action, a column per variant."""
        measured = [(c.variant, c.record) for c in ve.conformance if c.record is not None]
        if not measured:
            return ""
        actions = sorted({action for _, r in measured for action, _, _ in r.coverage})
        counts = {
            (name, action): (edges, checked) for name, r in measured for action, edges, checked in r.coverage
        }
        lines = [
            "| spec action | " + " | ".join(f"{name}: edges checked" for name, _ in measured) + " |",
            "| --- | " + " | ".join("---:" for _ in measured) + " |",
        ]
        for action in actions:
            cells = []
            for name, _ in measured:
                found = counts.get((name, action))
                cells.append(self.of(found[1], found[0]) if found is not None else "-")
            lines.append(f"| `{action}` | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def mismatches(self, ve: FailureModeEvidence) -> str:
        """The first mismatches of each variant that has any, each with the calls that reach its state."""
        out = []
        for c in ve.conformance:
            r = c.record
            if r is None or not r.shown:
                continue
            more = f" (the first {len(r.shown)} of {r.mismatches:,})" if r.mismatches > len(r.shown) else ""
            text = "\n\n".join(m.describe() for m in r.shown)
            out.append(f"Mismatches of the `{c.variant}` variant{more}:\n\n```\n{text}\n```")
        return "\n\n".join(out)

    # Figures and tables.
    def table(self, ve: FailureModeEvidence, v: VariantEvidence) -> StepTable:
        """The step table of a variant's counterexample."""
        assert v.trace is not None
        params = {name: d.params for name, d in definitions(ve.design).items()}
        return step_table(v.trace, variables(ve.design), params)

    def timeline(self, ve: FailureModeEvidence, v: VariantEvidence) -> str:
        """The counterexample's timeline: inline SVG in HTML, an image beside the page in Markdown."""
        assert v.trace is not None
        found = definitions(ve.design)
        actions = {name: found[name] for name in ve.actions if name in found}
        title = f"{ve.failure_mode.id}, {v.variant.name} variant: the counterexample over time"
        svg = timeline_svg(v.trace, variables(ve.design), actions, title=title, violated=v.variant.violated)
        return self.figure(f"{ve.failure_mode.id}-{v.variant.name}", svg, title)

    def bench_table(self) -> str:
        """The last ``make bench``'s comparisons and their plot."""
        return benchmark_table(self.evidence.root, self.figure)

    def growth(self) -> str:
        """The last ``make bench``'s A09 growth sweep and its plots."""
        return growth_section(self.evidence.root, self.figure)

    def state_model(self) -> str:
        """The state model diagram."""
        return self.figure("state-model", state_model_svg(), "The state model of a run")

    def figure(self, name: str, svg: str, alt: str) -> str:
        """An SVG: inline in HTML; in Markdown a file under ``img/`` and an image link to it."""
        if self.mode == "html":
            return svg
        path = self.out / "img" / f"{name}.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg + "\n", encoding="utf-8")
        return f"![{alt}](img/{name}.svg)"

    def steps(self, ve: FailureModeEvidence, v: VariantEvidence) -> str:
        """The step table: every variable per state, the cells a step changed highlighted."""
        table = self.table(ve, v)
        last = f"The last state violates {_violation(table, v.variant.violated)}." if table.violation else ""
        return self._steps(table, last)

    def saved(self, ve: FailureModeEvidence, v: VariantEvidence) -> str:
        """Whether the variant's saved counterexample is still the one TLC finds today."""
        for saved in ve.saved:
            if saved.variant == v.variant.name:
                where = f"`{self.rel(saved.path)}`"
                if not saved.present:
                    return f"Saved counterexample: **none yet** ({where} does not exist)."
                if saved.fresh:
                    return f"Saved counterexample {where}: identical to the one TLC printed for this page."
                return (
                    f"Saved counterexample {where}: **stale**, it differs from the one TLC printed for this "
                    "page (re-record it with `failure-lab fixtures` and read the diff)."
                )
        return ""

    def _steps(self, table: StepTable, last: str) -> str:
        if self.mode == "html":
            return _html_table(table, last)
        return _md_table(table, last)

    # The happy path: TLC's shortest witness of each guarded model's goal.
    def _happy_table(self, h: HappyEvidence) -> StepTable:
        assert h.trace is not None
        params = {name: d.params for name, d in definitions(h.design).items()}
        return step_table(h.trace, variables(h.design), params)

    def happy_calls(self, h: HappyEvidence) -> str:
        """The witness's steps in one line."""
        return " → ".join(f"`{row.call}`" for row in self._happy_table(h).rows[1:])

    def happy_steps(self, h: HappyEvidence) -> str:
        """The witness's step table."""
        return self._steps(self._happy_table(h), f"In the last state, {h.goal}.")

    def happy_timeline(self, h: HappyEvidence) -> str:
        """The witness's timeline."""
        assert h.trace is not None
        found = definitions(h.design)
        actions = {name: found[name] for name in h.actions if name in found}
        title = f"{h.model}, every guard on: the shortest path until {h.goal}"
        svg = timeline_svg(h.trace, variables(h.design), actions, title=title, verdict=f"{h.goal}: the goal")
        return self.figure(f"happy-path-{h.model}", svg, title)

    @staticmethod
    def legend(trace: Trace | None = None, goal: bool = False) -> str:
        """The key to the timeline; the attempt colours only where a worker holds an attempt."""
        return legend(with_attempts=trace is None or holds_attempts(trace), goal=goal)


def _md_cell(text: str, changed: bool) -> str:
    inner = f"`{text.replace('|', chr(92) + '|')}`" if text else ""
    return f"**{inner}**" if changed and inner else inner


def _md_table(table: StepTable, last: str) -> str:
    head = "| # | action | " + " | ".join(f"`{c}`" for c in table.columns) + " |"
    rule = "| ---: | --- | " + " | ".join("---" for _ in table.columns) + " |"
    lines = [head, rule]
    for row in table.rows:
        cells = " | ".join(_md_cell(cell.text, cell.changed) for cell in row.cells)
        lines.append(f"| {row.index} | `{row.call}` | {cells} |")
    notes = ["Bold: the cells the step into that state changed.", last]
    if table.ending:
        notes.append(f"The behaviour goes on: {table.ending}.")
    return "\n".join(lines) + "\n\n" + " ".join(note for note in notes if note)


def _violation(table: StepTable, violated: str | None) -> str:
    text = table.violation or ""
    if violated and violated not in text:
        text = f"{text} {violated}".strip()
    return f"the {text}" if text else "the invariant"


def _html_table(table: StepTable, last: str) -> str:
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
    notes = ["Highlighted: the cells the step into that state changed.", escape(last)]
    if table.ending:
        notes.append(f"The behaviour goes on: {escape(table.ending)}.")
    # One HTML block: no blank line inside, or Markdown would end it early.
    return "\n".join(out) + "\n\n" + " ".join(note for note in notes if note)


def pages(evidence: Evidence) -> tuple[Page, ...]:
    """Every page: the index, the chapters, and one page per failure mode."""
    index = Page("index", "The failure workbook", "Home", "", "index.md.j2")
    fm_pages = tuple(
        Page(
            ve.failure_mode.id,
            ve.failure_mode.title,
            ve.failure_mode.id,
            ve.failure_mode.summary or "",
            "failure_mode.md.j2",
            ve.failure_mode.id,
        )
        for ve in evidence.failure_modes
    )
    return (index, *chapters(), *fm_pages)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, CHAPTERS]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # the templates write Markdown; HTML is escaped where it is built
    )


def render(evidence: Evidence, out: Path) -> tuple[Path, ...]:
    """Write the Markdown under ``out/md`` and the site under ``out``; returns the files written."""
    stale = evidence.stale_inputs()
    if stale:
        raise WorkbookError(
            f"{stale[0].relative_to(evidence.root)}: changed after its results were gathered; "
            "expected unchanged inputs (render again)"
        )
    moved = evidence.stale_conformance()
    if moved:
        raise WorkbookError(
            f"{moved[0]}: the sources of its conformance figures changed after they were gathered; "
            "expected unchanged sources (render again)"
        )
    all_pages = pages(evidence)
    env = _environment()
    md_out = out / "md"
    _claim(out)
    for folder in (md_out, out):
        if folder.is_dir():
            # Pages of failure modes that no longer exist must not linger.
            for old in [*folder.glob("*.md"), *folder.glob("*.html"), *folder.glob("img/*.svg")]:
                old.unlink()
    md_out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for mode, folder in (("md", md_out), ("html", out)):
        writer = Writer(mode, folder, evidence, all_pages)
        for page in all_pages:
            ve = evidence.get(page.fm_id) if page.fm_id else None
            text = _render_page(env, page, writer, ve)
            if mode == "md":
                path = folder / f"{page.slug}.md"
                path.write_text(text, encoding="utf-8")
            else:
                path = folder / f"{page.slug}.html"
                path.write_text(_layout(env, page, all_pages, text, evidence, ve), encoding="utf-8")
            written.append(path)
    for asset in ASSETS:
        shutil.copyfile(TEMPLATES / asset, out / asset)
        written.append(out / asset)
    written.extend(sorted((md_out / "img").glob("*.svg")))
    check_markdown_links(md_out)
    return tuple(written)


def _claim(out: Path) -> None:
    """Make ``out`` the workbook's folder; refuse one that holds anything else, as it is cleaned."""
    marker = out / MARKER
    earlier = marker.is_file() or ((out / "index.html").is_file() and (out / "md" / "index.md").is_file())
    if out.is_dir() and any(out.iterdir()) and not earlier:
        raise WorkbookError(
            f"{out}: expected an empty folder or an earlier workbook build, found other files"
        )
    out.mkdir(parents=True, exist_ok=True)
    marker.write_text("Written by failure-lab workbook; everything here is regenerated.\n", encoding="utf-8")


def _render_page(env: jinja2.Environment, page: Page, writer: Writer, ve: FailureModeEvidence | None) -> str:
    try:
        template = env.get_template(page.template)
        text = template.render(w=writer, ve=ve, page=page)
    except jinja2.TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{page.template}:{line}" if line else page.template
        raise WorkbookError(f"workbook/{where}: {error}") from None
    # Templates leave runs of blank lines where blocks are skipped; one is enough.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def _layout(
    env: jinja2.Environment,
    page: Page,
    all_pages: tuple[Page, ...],
    markdown: str,
    evidence: Evidence,
    ve: FailureModeEvidence | None,
) -> str:
    layout = env.get_template("layout.html.j2")
    return layout.render(
        title=page.title,
        slug=page.slug,
        nav=[p for p in all_pages if p.slug != "index"],
        body=to_html(markdown),
        commit=escape(evidence.commit.describe()),
        spec_hash=ve.spec_hash if ve else evidence.spec_hash,
    )


def check_markdown_links(folder: Path) -> None:
    """Every link in the Markdown under ``folder`` reaches a file (and a heading) that exists."""
    texts: Mapping[str, str] = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    for name, text in sorted(texts.items()):
        for link in links(text):
            target, _, anchor = link.target.partition("#")
            if "://" in target or target.startswith("//"):
                raise WorkbookError(
                    f"{name}:{link.line}: expected a link inside the workbook, found {link.target}"
                )
            if target and not (folder / target).is_file():
                raise WorkbookError(f"{name}:{link.line}: broken link {link.target}: no such file")
            if anchor:
                page = texts.get(target or name)
                if page is None or anchor not in anchors(page):
                    raise WorkbookError(f"{name}:{link.line}: broken link {link.target}: no such heading")


__all__ = ["Page", "Writer", "chapters", "check_markdown_links", "pages", "render"]
