"""A variant's conformance figures as kept under ``build/conform/``: the run's JSON, with its key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from failure_lab.trace_check.conform.errors import ConformError


@dataclass(frozen=True, slots=True)
class ShownMismatch:
    """A mismatch as kept: its kind, the step, the calls that reach its state, what differs."""

    kind: str
    step: str
    after: tuple[str, ...]
    detail: str

    def describe(self) -> str:
        """Several lines, as ``Mismatch.describe`` prints them."""
        path = "; ".join(self.after) or "(the initial state)"
        return f"{self.kind}: {self.step}\n  after: {path}\n  {self.detail}"


@dataclass(frozen=True, slots=True)
class ConformanceRecord:
    """One variant's conformance figures, the key of the sources they were measured from, and where."""

    fm: str
    variant: str
    key: str
    commit: str | None  # HEAD when measured (None outside a git checkout)
    uncommitted: bool  # whether some source differed from that commit when measured
    states: int
    edges: int
    edges_checked: int
    states_reached: int
    steps_tried: int
    stuttering: int
    beyond_horizon: int
    mismatches: int
    seconds: float
    coverage: tuple[tuple[str, int, int], ...]  # (action, edges, edges checked), by action
    tlc_seconds: float
    tlc_cached: bool
    graph: str  # the dump's file name, which carries the TLC run's cache key
    shown: tuple[ShownMismatch, ...]
    cached: bool = False  # taken from build/conform/ rather than measured by this call

    @property
    def ok(self) -> bool:
        """No mismatch, and every edge checked."""
        return self.mismatches == 0 and self.edges_checked == self.edges

    def measured_at(self) -> str:
        """``6f15b9b3a1c2``, ``6f15b9b3a1c2 + uncommitted changes``, or ``no commit``."""
        if self.commit is None:
            return "no commit"
        return f"{self.commit} + uncommitted changes" if self.uncommitted else self.commit

    def as_json(self) -> dict[str, Any]:
        """The figures as ``failure-lab conform --json`` prints them and ``build/conform/`` keeps them."""
        return {
            "fm": self.fm,
            "variant": self.variant,
            "states": self.states,
            "edges": self.edges,
            "edges_checked": self.edges_checked,
            "mismatches": self.mismatches,
            "seconds": self.seconds,
            "coverage": {
                action: {"edges": edges, "checked": checked} for action, edges, checked in self.coverage
            },
            "states_reached": self.states_reached,
            "steps_tried": self.steps_tried,
            "stuttering": self.stuttering,
            "beyond_horizon": self.beyond_horizon,
            "tlc_seconds": self.tlc_seconds,
            "tlc_cached": self.tlc_cached,
            "graph": self.graph,
            "shown": [
                {"kind": m.kind, "step": m.step, "after": list(m.after), "detail": m.detail}
                for m in self.shown
            ],
            "key": self.key,
            "commit": self.commit,
            "uncommitted": self.uncommitted,
        }


def record_of(document: Mapping[str, Any], *, cached: bool) -> ConformanceRecord:
    """Read a record from its JSON (a run's ``as_json`` with key and commit); refuse a malformed one."""
    try:
        return ConformanceRecord(
            fm=_text(document["fm"]),
            variant=_text(document["variant"]),
            key=_text(document["key"]),
            commit=None if document["commit"] is None else _text(document["commit"]),
            uncommitted=bool(document["uncommitted"]),
            states=int(document["states"]),
            edges=int(document["edges"]),
            edges_checked=int(document["edges_checked"]),
            states_reached=int(document["states_reached"]),
            steps_tried=int(document["steps_tried"]),
            stuttering=int(document["stuttering"]),
            beyond_horizon=int(document["beyond_horizon"]),
            mismatches=int(document["mismatches"]),
            seconds=float(document["seconds"]),
            coverage=tuple(
                (_text(action), int(counts["edges"]), int(counts["checked"]))
                for action, counts in sorted(dict(document["coverage"]).items())
            ),
            tlc_seconds=float(document["tlc_seconds"]),
            tlc_cached=bool(document["tlc_cached"]),
            graph=_text(document["graph"]),
            shown=tuple(
                ShownMismatch(
                    kind=_text(m["kind"]),
                    step=_text(m["step"]),
                    after=tuple(_text(call) for call in m["after"]),
                    detail=_text(m["detail"]),
                )
                for m in document["shown"]
            ),
            cached=cached,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ConformError(f"expected a conformance record, found a malformed one ({error!r})") from None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {value!r}")
    return value
