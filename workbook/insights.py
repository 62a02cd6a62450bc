"""Each failure mode's prose (the bug, what catches it, recovery, lesson), checked against its manifest."""

from __future__ import annotations

from dataclasses import dataclass

from failure_lab.workbook.errors import WorkbookError
from failure_lab.workbook.evidence import Evidence
from failure_lab.workbook.pages import CHAPTERS, read_toml


@dataclass(frozen=True, slots=True)
class Insight:
    """The prose of one failure mode: the bug, the invariant that catches it, the lesson."""

    fm_id: str
    number: int | None  # its place among the A09 workbook's insights, if it is one of them
    heading: str
    seed_model: str | None
    catches: str
    recovery: str
    bug_is: str
    lesson: str


def insights(evidence: Evidence) -> dict[str, Insight]:
    """Each failure mode's prose, checked against its manifest: the invariant must be the same word."""
    data = read_toml(CHAPTERS / "insights.toml")
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
