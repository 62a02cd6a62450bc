"""How a page words whole-graph conformance: figures per variant, coverage per spec action, mismatches."""

from __future__ import annotations

from failure_lab.workbook.evidence import NOT_MEASURED, ConformanceEvidence, FailureModeEvidence
from failure_lab.workbook.wording import of


def conformance_missing(c: ConformanceEvidence) -> str:
    """Why a variant has no figures: none measured from today's sources, or the run's error."""
    return f"not available: {c.problem}" if c.problem else NOT_MEASURED


def conformance_line(c: ConformanceEvidence) -> str:
    """One variant's conformance in a sentence: edges, states, mismatches, time, key and commit."""
    r = c.record
    if r is None:
        return f"**{conformance_missing(c)}**."
    mismatches = f"{r.mismatches:,} mismatch{'' if r.mismatches == 1 else 'es'}"
    return (
        f"{of(r.edges_checked, r.edges)} edges checked, {of(r.states_reached, r.states)} "
        f"states reached, {mismatches if r.ok else f'**{mismatches}**'} ({r.seconds:.2f} s; key "
        f"`{r.key[:12]}`, measured at commit `{r.measured_at()}`)."
    )


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


def conformance_status(ve: FailureModeEvidence) -> str:
    """Each variant's conformance in a few words, for the index tables."""
    parts = []
    for c in ve.conformance:
        r = c.record
        if r is None:
            said = "not available" if c.problem else NOT_MEASURED
        else:
            said = of(r.edges_checked, r.edges)
            if r.mismatches:
                said += f", **{r.mismatches:,} mismatches**"
        parts.append(f"{c.variant}: {said}")
    return "; ".join(parts) or "no variants"


def coverage(ve: FailureModeEvidence) -> str:
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
            cells.append(of(found[1], found[0]) if found is not None else "-")
        lines.append(f"| `{action}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mismatches(ve: FailureModeEvidence) -> str:
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
