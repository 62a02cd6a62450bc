"""What only the A09 chapter (``a09.md.j2``) needs: its six insights, in the A09 workbook's order."""

from __future__ import annotations

from collections.abc import Mapping

from failure_lab.workbook.insights import Insight


def a09_insights(insights: Mapping[str, Insight]) -> list[Insight]:
    """The numbered insights of the A09 workbook, in its order."""
    numbered = [ins for ins in insights.values() if ins.number is not None]
    return sorted(numbered, key=lambda ins: ins.number or 0)
