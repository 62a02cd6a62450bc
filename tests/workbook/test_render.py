"""The rendered workbook: every page stamped, the A09 page's six insights, no broken Markdown link."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from workbook_support import MEASURED, lab_evidence

from failure_lab.trace_check.conform import ConformanceCache, ConformanceRecord, cached_conform_variant
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc import Workspace
from failure_lab.workbook.build import Built, build_workbook
from failure_lab.workbook.errors import WorkbookError
from failure_lab.workbook.pages import CHAPTERS
from failure_lab.workbook.render import check_markdown_links, render


def test_every_page_is_stamped_with_the_commit_and_its_spec_hash(built: Built) -> None:
    commit = built.evidence.commit.sha
    pages = sorted(built.markdown.glob("*.md"))
    assert len(pages) == len(sorted(built.site.glob("*.html")))
    hashes = {ve.failure_mode.id: ve.spec_hash for ve in built.evidence.failure_modes}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f"commit `{commit}" in text, page.name
        assert f"spec hash `{hashes.get(page.stem, built.evidence.spec_hash)}`" in text, page.name
        html = (built.site / f"{page.stem}.html").read_text(encoding="utf-8")
        assert commit in html and hashes.get(page.stem, built.evidence.spec_hash) in html


def test_a09_page_keeps_the_six_insights_in_order_with_their_invariants(built: Built) -> None:
    insights = tomllib.loads((CHAPTERS / "insights.toml").read_text(encoding="utf-8"))
    numbered = sorted((t["number"], fm_id) for fm_id, t in insights.items() if "number" in t)
    text = (built.markdown / "a09.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### (\d)\. (.+)$", text, re.MULTILINE)
    assert [int(n) for n, _ in headings] == [n for n, _ in numbered] == list(range(1, 7))
    sections = re.split(r"^### \d\. .+$", text, flags=re.MULTILINE)[1:]
    for (_, fm_id), section in zip(numbered, sections, strict=True):
        invariant = built.evidence.get(fm_id).failure_mode.invariant
        assert section.index("The bug is:") < section.index("What catches it:") < section.index("Lesson:")
        assert f"What catches it:\n\n- {invariant}\n" in section
        assert f"{invariant} ==" in section  # its TLA+ definition, quoted
        for variant in built.evidence.get(fm_id).failure_mode.variants:
            assert f"- Conformance of the whole state graph, `{variant.name}` variant: " in section


def test_markdown_output_has_no_broken_link(built: Built) -> None:
    check_markdown_links(built.markdown)
    linked = set(re.findall(r"\]\(([\w\-]+\.md)", (built.markdown / "index.md").read_text(encoding="utf-8")))
    assert linked == {page.name for page in built.markdown.glob("*.md")} - {"index.md"}


def test_a_broken_markdown_link_is_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\nsee [b](b.md#nowhere)\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"^a\.md:3: broken link b\.md#nowhere: no such heading$"):
        check_markdown_links(tmp_path)


def test_missing_evidence_is_said_on_the_page_not_invented(built: Built) -> None:
    for ve in built.evidence.failure_modes:
        text = (built.markdown / f"{ve.failure_mode.id}.md").read_text(encoding="utf-8")
        for c in ve.conformance:
            # Without run_conformance a variant shows figures of today's sources, or says it has none.
            if c.record is None:
                assert c.key is not None
                assert f"| {c.variant} | **not measured for this commit** |" in text
                assert f"today's key `{c.key[:12]}`" in text
            else:
                assert f"| {c.variant} | {c.record.edges_checked:,} of {c.record.edges:,} |" in text
        for replay in ve.replays:
            if not replay.available:
                assert "**not available yet**" in text


def test_a_page_shows_the_conformance_measured_from_todays_sources(
    built: Built, measured: dict[str, ConformanceRecord]
) -> None:
    page = (built.markdown / f"{MEASURED}.md").read_text(encoding="utf-8")
    a09 = (built.markdown / "a09.md").read_text(encoding="utf-8")
    index = (built.markdown / "index.md").read_text(encoding="utf-8")
    for name, record in measured.items():
        assert record.ok and record.states == record.states_reached > 0
        edges, states = f"{record.edges:,} of {record.edges:,}", f"{record.states:,} of {record.states:,}"
        row = f"| {name} | {edges} | {states} | 0 | {record.steps_tried:,} | "
        assert row in page
        assert f"key `{record.key[:12]}` at commit `{record.measured_at()}`" in page
        assert f"`{name}` variant: {edges} edges checked, {states} states reached, 0 mismatches (" in a09
        assert f"{name}: {edges}" in index
    # Coverage in spec terms: one row per action, a column per variant.
    bug, fixed = measured["bug"], measured["fixed"]
    assert "| spec action | bug: edges checked | fixed: edges checked |" in page
    for (action, bug_edges, _), (same, fixed_edges, _) in zip(bug.coverage, fixed.coverage, strict=True):
        assert action == same
        assert f"| `{action}` | {bug_edges:,} of {bug_edges:,} | {fixed_edges:,} of {fixed_edges:,} |" in page


def test_without_conformance_run_a_lab_says_it_is_not_measured_for_this_commit(
    lab: Path, tmp_path: Path
) -> None:
    built = build_workbook(lab, tmp_path / "out")
    page = (built.markdown / "a09_early_release.md").read_text(encoding="utf-8")
    for c in built.evidence.get("a09_early_release").conformance:
        assert c.record is None and c.problem is None
        assert f"| {c.variant} | **not measured for this commit** |" in page
    assert "`failure-lab conform a09_early_release` measures them" in page
    index = (built.markdown / "index.md").read_text(encoding="utf-8")
    assert "bug: not measured for this commit; fixed: not measured for this commit" in index


def test_figures_of_sources_that_changed_since_are_never_shown(epoch_lab: Path, tmp_path: Path) -> None:
    fm = load_registry(epoch_lab).get(MEASURED)
    kept = cached_conform_variant(fm, fm.variant("fixed"), Workspace(epoch_lab / "build"))
    before = build_workbook(epoch_lab, tmp_path / "before")
    text = (before.markdown / f"{MEASURED}.md").read_text(encoding="utf-8")
    assert f"| fixed | {kept.edges:,} of {kept.edges:,} |" in text
    assert f"key `{kept.key[:12]}`" in text
    # A comment in the guarded config is a change to the graph's input: the key is no longer today's.
    config = epoch_lab / "specs" / "a09" / "MCA09.cfg"
    config.write_text(config.read_text(encoding="utf-8") + "\\* touched\n", encoding="utf-8")
    after = build_workbook(epoch_lab, tmp_path / "after")
    (c,) = [c for c in after.evidence.get(MEASURED).conformance if c.variant == "fixed"]
    assert c.record is None and c.key is not None and c.key != kept.key
    text = (after.markdown / f"{MEASURED}.md").read_text(encoding="utf-8")
    assert "| fixed | **not measured for this commit** |" in text
    assert kept.key[:12] not in text
    # The old record is still on disk; it is its key, not its absence, that keeps it off the page.
    assert ConformanceCache(epoch_lab / "build" / "conform").read(MEASURED, "fixed") == replace(
        kept, cached=True
    )


def test_rendering_refuses_conformance_figures_whose_sources_changed_since(
    built: Built, tmp_path: Path
) -> None:
    ve = built.evidence.get(MEASURED)
    first = ve.conformance[0]
    assert first.record is not None
    moved = replace(first, record=replace(first.record, key="0" * 64), key="0" * 64)
    changed = replace(ve, conformance=(moved, *ve.conformance[1:]))
    evidence = replace(
        built.evidence,
        failure_modes=tuple(changed if item is ve else item for item in built.evidence.failure_modes),
    )
    with pytest.raises(
        WorkbookError, match=rf"^{MEASURED} \(bug\): the sources of its conformance figures changed"
    ):
        render(evidence, tmp_path / "out")


def test_rendering_refuses_a_spec_changed_after_its_results_were_gathered(lab: Path, tmp_path: Path) -> None:
    evidence = lab_evidence(lab)
    spec = lab / "specs" / "a09" / "A09.tla"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n\\* edited after checking\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"^specs/a09/A09\.tla: changed after its results were gathered"):
        render(evidence, tmp_path / "out")


def test_a_rebuild_reruns_only_the_variant_whose_config_changed(lab: Path, tmp_path: Path) -> None:
    build_workbook(lab, tmp_path / "first")
    config = lab / "specs" / "a09" / "MCA09_early_release.cfg"
    config.write_text(config.read_text(encoding="utf-8") + "\\* touched\n", encoding="utf-8")
    seen: dict[str, bool] = {}
    build_workbook(
        lab, tmp_path / "second", on_result=lambda fm, variant, result: seen.update({variant: result.cached})
    )
    assert seen == {"bug": False, "fixed": True}
    page = (tmp_path / "second" / "md" / "a09_early_release.md").read_text(encoding="utf-8")
    assert "uncommitted changes to specs/a09/MCA09_early_release.cfg" in page


def test_site_pages_link_only_to_pages_anchors_and_assets_that_exist(built: Built) -> None:
    pages = {path.name: path.read_text(encoding="utf-8") for path in built.site.glob("*.html")}
    ids = {name: set(re.findall(r'\bid="([^"]+)"', text)) for name, text in pages.items()}
    for name, text in pages.items():
        for target in re.findall(r'\b(?:href|src)="([^"]*)"', text):
            assert "://" not in target and not target.startswith("//"), f"{name}: external {target}"
            address, _, fragment = target.partition("#")
            assert (built.site / (address or name)).is_file(), f"{name}: broken link {target}"
            if fragment:
                assert fragment in ids.get(address or name, set()), f"{name}: no anchor for {target}"
