"""How a page words the figures and verdicts of TLC and of the replay: ``1,234``, ``as expected``."""

from __future__ import annotations

from failure_lab.trace_check.tlc import TlcResult
from failure_lab.workbook.behaviour import counterexample
from failure_lab.workbook.evidence import FailureModeEvidence, VariantEvidence


def number(value: int | None) -> str:
    """``1,234``, or n/a when TLC reported nothing."""
    return "n/a" if value is None else f"{value:,}"


def of(part: int, whole: int) -> str:
    """``2,519 of 2,519``; bold when the part falls short."""
    text = f"{part:,} of {whole:,}"
    return text if part == whole else f"**{text}**"


def outcome(result: TlcResult) -> str:
    """``invariant violated: `X` `` and the like."""
    text = result.outcome.value.replace("_", " ")
    return f"{text}: `{result.violated}`" if result.violated else text


def expectation(v: VariantEvidence) -> str:
    """As expected, or loudly not."""
    if v.as_expected:
        return "as expected"
    wanted = v.variant.expect.value.replace("_", " ")
    of = f" of {v.variant.violated}" if v.variant.violated else ""
    return f"**NOT as expected** (expected {wanted}{of})"


def caught(ve: FailureModeEvidence) -> str:
    """Where TLC caught the bug: the state and the step that broke the invariant, from the trace."""
    bug = ve.bug
    if bug is None or bug.trace is None or not bug.trace.states:
        return "TLC printed no counterexample for the bug variant."
    table = counterexample(ve, bug).table
    last = table.rows[-1]
    return (
        f"TLC stops after {len(table.rows) - 1} steps: in state {last.index}, reached by `{last.call}`, "
        f"`{bug.result.violated or ve.failure_mode.invariant}` is false. It is the shortest such path "
        f"(TLC explores breadth-first), and no other invariant broke before it."
    )


def replay_status(ve: FailureModeEvidence) -> str:
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
