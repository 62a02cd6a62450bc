"""A counterexample as data: its states, how it ends, and what it violates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from failure_lab.trace_check.parse._values import Value

VIOLATION_KINDS = ("invariant", "property", "deadlock", "assumption", "evaluation_error")


@dataclass(frozen=True, slots=True)
class State:
    """One state: ``index`` 1-based as TLC prints it; ``action`` None for the initial state."""

    index: int
    action: str | None
    location: str | None
    variables: Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class Violation:
    """What a trace violates: ``kind`` one of ``VIOLATION_KINDS``; ``name`` when TLC gives one."""

    kind: str
    name: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Trace:
    """A behaviour: its states, the 0-based state a lasso loops back to (or stuttering), and the violation."""

    states: tuple[State, ...]
    loop: int | None = None
    stuttering: bool = False
    violation: Violation | None = None
