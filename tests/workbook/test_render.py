"""The rendered workbook: every page stamped, the A09 page's six insights, no broken Markdown link."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from workbook_support import lab_evidence

from workbook.build import Built, build_workbook
from workbook.errors import WorkbookError
from workbook.render import CHAPTERS, check_markdown_links, render


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
        assert "Conformance (edges checked, coverage)" in section


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
        assert "Conformance (edges checked, coverage): **not measured yet**" in text
        for replay in ve.replays:
            if not replay.available:
                assert "**not available yet**" in text


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
