"""Render the workbook's evidence as Markdown (for a code host) and as an offline HTML site."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from failure_lab.workbook.behaviour import counterexample, witness
from failure_lab.workbook.chapters.a09 import a09_insights
from failure_lab.workbook.conformance_wording import (
    conformance_line,
    conformance_missing,
    conformance_note,
    conformance_status,
    coverage,
    mismatches,
)
from failure_lab.workbook.errors import WorkbookError
from failure_lab.workbook.evidence import Evidence, FailureModeEvidence
from failure_lab.workbook.figures import Figures, timeline_legend
from failure_lab.workbook.insights import Insight, insights
from failure_lab.workbook.markdown import RawHtml, anchors, links, plain, to_html
from failure_lab.workbook.pages import CHAPTERS, TEMPLATES, Links, Page, pages
from failure_lab.workbook.wording import caught, expectation, number, of, outcome, replay_status

MARKER = ".failure-lab-workbook"  # marks a folder the renderer may clean
ASSETS = ("style.css", "favicon.svg")  # the site's only static files, copied beside the pages


def template_globals(
    out: Path,
    evidence: Evidence,
    all_pages: tuple[Page, ...],
    prose: Mapping[str, Insight],
    raw: RawHtml | None,
) -> dict[str, Any]:
    """Everything a template may use, for Markdown (``raw`` None) or for HTML, written to ``out``."""

    def insight(ve: FailureModeEvidence) -> Insight:
        return prose[ve.failure_mode.id]

    def html(piece: str) -> str:
        """A piece of a template's own HTML (``<small>``), kept as HTML in both formats."""
        return piece if raw is None else raw.hold(piece)

    return {
        "evidence": evidence,
        "book": Links(all_pages, ".md" if raw is None else ".html"),
        "figures": Figures(out, evidence.root, raw),
        "html": html,
        "counterexample": counterexample,
        "witness": witness,
        "legend": timeline_legend,
        "insight": insight,
        "a09_insights": partial(a09_insights, prose),
        "number": number,
        "of": of,
        "outcome": outcome,
        "expectation": expectation,
        "caught": caught,
        "replay_status": replay_status,
        "conformance_missing": conformance_missing,
        "conformance_line": conformance_line,
        "conformance_note": conformance_note,
        "conformance_status": conformance_status,
        "coverage": coverage,
        "mismatches": mismatches,
    }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, CHAPTERS]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # The page templates write Markdown, which to_html escapes (strings meant as text, such as a
        # manifest's title, go through the ``plain`` filter); the HTML layout escapes what it is given.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    )
    env.filters["plain"] = plain
    return env


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
    prose = insights(evidence)
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
    for raw, folder in ((None, md_out), (RawHtml(), out)):
        context = template_globals(folder, evidence, all_pages, prose, raw)
        for page in all_pages:
            ve = evidence.get(page.fm_id) if page.fm_id else None
            text = _render_page(env, page, context, ve)
            if raw is None:
                path = folder / f"{page.slug}.md"
                path.write_text(text, encoding="utf-8")
            else:
                body = to_html(text, raw)
                path = folder / f"{page.slug}.html"
                path.write_text(_layout(env, page, all_pages, body, evidence, ve), encoding="utf-8")
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


def _render_page(
    env: jinja2.Environment, page: Page, context: Mapping[str, Any], ve: FailureModeEvidence | None
) -> str:
    try:
        template = env.get_template(page.template)
        text = template.render(context, ve=ve, page=page)
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
    body: str,
    evidence: Evidence,
    ve: FailureModeEvidence | None,
) -> str:
    layout = env.get_template("layout.html.j2")
    return layout.render(
        title=page.title,
        slug=page.slug,
        nav=[p for p in all_pages if p.slug != "index"],
        body=body,  # HTML already: to_html escaped every string in it
        commit=evidence.commit.describe(),
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


__all__ = ["check_markdown_links", "render", "template_globals"]
