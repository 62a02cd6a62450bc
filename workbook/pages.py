"""The workbook's pages: the index, the chapters in reading order, a page per failure mode, links."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from failure_lab.workbook.errors import WorkbookError
from failure_lab.workbook.evidence import Evidence

PACKAGE = Path(__file__).resolve().parent
TEMPLATES, CHAPTERS = PACKAGE / "templates", PACKAGE / "chapters"


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the workbook: its file name, titles, and the template that writes it."""

    slug: str
    title: str
    short: str
    blurb: str
    template: str
    fm_id: str | None = None


def chapters() -> tuple[Page, ...]:
    """The chapters in reading order, from ``chapters/chapters.toml``."""
    data = read_toml(CHAPTERS / "chapters.toml")
    return tuple(
        Page(c["slug"], c["title"], _short(c["title"]), c["blurb"], c["source"]) for c in data["chapter"]
    )


def _short(title: str) -> str:
    short = title.removeprefix("The ")
    return short[:1].upper() + short[1:]


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


@dataclass(frozen=True, slots=True)
class Links:
    """Links between the pages, written for one output format (``ext`` is ".md" or ".html")."""

    pages: tuple[Page, ...]
    ext: str

    @property
    def chapters(self) -> tuple[Page, ...]:
        """The chapters, as the index lists them."""
        return tuple(page for page in self.pages if page.fm_id is None and page.slug != "index")

    def link(self, slug: str, text: str, anchor: str = "") -> str:
        """A Markdown link to another page of the workbook."""
        if slug not in {page.slug for page in self.pages}:
            raise WorkbookError(f"workbook: a template links to {slug!r}, which is no page")
        return f"[{text}]({slug}{self.ext}{'#' + anchor if anchor else ''})"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file of the workbook's own; a malformed one is an error naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise WorkbookError(f"{path.name}: expected TOML ({error})") from None
