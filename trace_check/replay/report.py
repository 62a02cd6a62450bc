"""How a replay reads: a step table of both directions, the verdicts, and the first divergence."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from failure_lab.trace_check.replay.engine import Replay
from failure_lab.trace_check.replay.verdict import Verdict


def _cell(result: Replay, position: int) -> Text:
    if position < result.agreed:
        return Text("agrees", style="green")
    if result.refusal is not None and result.refusal.step.position == position:
        return Text(f"refused by {result.refusal.guard}", style="bold yellow")
    if result.divergence is not None and result.divergence.step.position == position:
        return Text("differs", style="bold red")
    return Text("")


def step_table(repro: Replay, prevent: Replay) -> Table:
    """One row per trace step: the action with its arguments, and how each direction fared."""
    table = Table(title="replay: model → runtime", title_justify="left")
    table.add_column("step", justify="right")
    table.add_column("action")
    table.add_column("guard off (repro)")
    table.add_column("guard on (prevent)")
    longest = repro.steps if len(repro.steps) >= len(prevent.steps) else prevent.steps
    for step in longest:
        table.add_row(
            str(step.position), step.call(), _cell(repro, step.position), _cell(prevent, step.position)
        )
    return table


def divergence_report(result: Replay) -> str:
    """The first place model and runtime part, in words a newcomer can act on ('' if they never do)."""
    lines: list[str] = []
    if result.divergence is not None:
        step = result.divergence.step
        lines.append(
            f"first divergence at step {step.position} (TLC state {step.state_index}): {step.call()}"
        )
        lines.append("  the runtime's state differs from the model's in:")
        lines.extend(f"    {difference.describe()}" for difference in result.divergence.differences)
        lines.append(
            "  either the runtime did something the spec's action does not, or the mapping's abstraction"
            " reads the store wrongly; replay stops here."
        )
    elif result.refusal is not None:
        step = result.refusal.step
        lines.append(
            f"the runtime refused step {step.position} (TLC state {step.state_index}): {step.call()}"
        )
        lines.append(f"  refused by: {result.refusal.guard}")
        lines.append(f"  runtime said: {result.refusal.message}")
    return "\n".join(lines)


def verdict_line(direction: str, verdict: Verdict) -> Text:
    """``repro   ok  agrees on 8 states; ...``."""
    mark = Text(" ok ", style="bold green") if verdict.ok else Text("FAIL", style="bold red")
    return Text.assemble(f"{direction:<8}", mark, f"  {verdict.reason}")
