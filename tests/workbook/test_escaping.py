"""Strings from manifests reach the pages as text: no markup of theirs runs, and no row leaves its table."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from failure_lab.workbook.build import Built
from failure_lab.workbook.evidence import Evidence
from failure_lab.workbook.render import render

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
MARKDOWN = "a *b* [c](d) | e & <f> \\"  # a title that reads as Markdown if it is not escaped
SHOWN = "a09_stale_epoch"  # a ready failure mode given the hostile title and summary
PENDING = "fm099_hostile"  # a scaffold with the same title, as `failure-lab new --title` would make it
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class Page(HTMLParser):
    """An HTML page as its elements and its text, each piece of text with the elements open around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, tuple[str, ...]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.texts.append((data, tuple(self.open)))

    def tags(self, name: str) -> list[dict[str, str | None]]:
        """The attributes of every element called ``name``."""
        return [attrs for tag, attrs in self.elements if tag == name]

    @property
    def text(self) -> str:
        """All its text, as a reader sees it."""
        return "".join(data for data, _ in self.texts)


def _parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def _hostile(evidence: Evidence, title: str) -> Evidence:
    ve = evidence.get(SHOWN)
    shown = replace(ve, failure_mode=replace(ve.failure_mode, title=title, summary=title))
    pending = replace(ve.failure_mode, id=PENDING, title=title, summary=title, status="pending")
    return replace(
        evidence,
        failure_modes=tuple(shown if item is ve else item for item in evidence.failure_modes),
        pending=(*evidence.pending, pending),
    )


def _sites(built: Built, out: Path, title: str = HOSTILE) -> dict[str, Page]:
    """Every page with ``title`` on two failure modes: the site, and the Markdown as a code host shows it."""
    render(_hostile(built.evidence, title), out)
    code_host = MarkdownIt("commonmark", {"html": True}).enable("table")
    pages = {path.name: _parse(path.read_text(encoding="utf-8")) for path in sorted(out.glob("*.html"))}
    for path in sorted((out / "md").glob("*.md")):
        pages[path.name] = _parse(code_host.render(path.read_text(encoding="utf-8")))
    return pages


def test_a_title_with_a_script_and_an_image_tag_reaches_no_page_as_markup(
    built: Built, tmp_path: Path
) -> None:
    pages = _sites(built, tmp_path / "out")
    for name, page in pages.items():
        assert not page.tags("script"), name
        if name.endswith(".html"):
            assert not page.tags("img"), name  # the site draws its figures inline
        else:
            # The Markdown's only images are its figures, SVG files beside it.
            for image in page.tags("img"):
                assert set(image) == {"src", "alt"} and str(image["src"]).startswith("img/"), (name, image)
    # Nor is the title dropped: it is shown as the text it is.
    for name in ("failure-modes.html", "failure-modes.md", f"{SHOWN}.html", f"{SHOWN}.md", "a09.html"):
        assert HOSTILE in pages[name].text, name
    assert f"{HOSTILE} · failure-lab workbook" in pages[f"{SHOWN}.html"].text


def test_a_pending_failure_modes_row_stays_inside_its_table(built: Built, tmp_path: Path) -> None:
    pages = _sites(built, tmp_path / "out")
    for name in ("failure-modes.html", "failure-modes.md"):
        cells = [around for data, around in pages[name].texts if PENDING in data]
        assert cells, name
        for around in cells:
            assert around[-2:] == ("tr", "td"), (name, around)
            assert "table" in around, (name, around)


def test_a_title_is_shown_as_written_not_read_as_markdown(built: Built, tmp_path: Path) -> None:
    pages = _sites(built, tmp_path / "out", MARKDOWN)  # the Markdown's links are checked on the way
    for name in ("failure-modes.html", "failure-modes.md", f"{SHOWN}.html", f"{SHOWN}.md", "a09.html"):
        assert MARKDOWN in pages[name].text, name
