"""A behaviour a page draws: a counterexample or a happy path's witness, with its step table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.parse import Trace
from failure_lab.workbook.evidence import FailureModeEvidence, HappyEvidence, VariantEvidence
from failure_lab.workbook.sources import Definition, definitions, variables
from failure_lab.workbook.steps import StepTable, step_table


@dataclass(frozen=True, slots=True)
class Behaviour:
    """One trace as a page shows it: its figure's name and title, its step table, and what it ends in."""

    name: str  # the figure's file name, without ``.svg``
    title: str
    trace: Trace
    order: tuple[str, ...]  # the spec's variables, in declaration order
    actions: dict[str, Definition]  # the failure mode's spec actions, as the timeline labels them
    table: StepTable
    violated: str | None  # the invariant the last state breaks, for a counterexample
    verdict: str | None  # what the last state reaches, for a witness
    last: str  # the sentence under the step table about the last state

    @property
    def calls(self) -> str:
        """The steps in one line: ``Tick`` → ``Scan(r1)`` → …"""
        return " → ".join(f"`{row.call}`" for row in self.table.rows[1:])


def counterexample(ve: FailureModeEvidence, v: VariantEvidence) -> Behaviour:
    """The counterexample TLC printed for variant ``v`` of failure mode ``ve``."""
    fm = ve.failure_mode
    trace, order, actions, table = _read(ve.design, ve.actions, v.trace)
    last = f"The last state violates {_violation(table, v.variant.violated)}." if table.violation else ""
    return Behaviour(
        name=f"{fm.id}-{v.variant.name}",
        title=f"{fm.id}, {v.variant.name} variant: the counterexample over time",
        trace=trace,
        order=order,
        actions=actions,
        table=table,
        violated=v.variant.violated,
        verdict=None,
        last=last,
    )


def witness(h: HappyEvidence) -> Behaviour:
    """TLC's shortest behaviour of a guarded model that reaches its goal."""
    trace, order, actions, table = _read(h.design, h.actions, h.trace)
    return Behaviour(
        name=f"happy-path-{h.model}",
        title=f"{h.model}, every guard on: the shortest path until {h.goal}",
        trace=trace,
        order=order,
        actions=actions,
        table=table,
        violated=None,
        verdict=f"{h.goal}: the goal",
        last=f"In the last state, {h.goal}.",
    )


def _read(
    design: Path, fm_actions: tuple[str, ...], trace: Trace | None
) -> tuple[Trace, tuple[str, ...], dict[str, Definition], StepTable]:
    assert trace is not None, "a template drew a behaviour TLC did not print"
    found = definitions(design)
    order = variables(design)
    actions = {name: found[name] for name in fm_actions if name in found}
    table = step_table(trace, order)
    return trace, order, actions, table


def _violation(table: StepTable, violated: str | None) -> str:
    text = table.violation or ""
    if violated and violated not in text:
        text = f"{text} {violated}".strip()
    return f"the {text}" if text else "the invariant"
