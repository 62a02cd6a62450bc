"""How the A09 baseline's cost grows with its bounds, and what symmetric workers save.

Each series grows one bound of the committed model (2 workers x 2 runs x 2 epochs x 3 ticks), and
one grows them all together; every point is a fresh exhaustive TLC run with 2 workers (the cores
of this machine and of the CI). A series stops at the first run past one minute, which names the
bound where one machine stops being enough, and the module stops starting runs once its time
budget is spent. For the smaller points the runtime's conformance over the whole state graph is
timed too. The points, growth rates and the one-minute bound go to ``results.json`` as details.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.comparison import Comparison, Measurement
from bench.growth import BASELINE, Bounds, write_model
from failure_lab.trace_check.conform import conform
from failure_lab.trace_check.parse import parse_state_graph
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay import load_mapping
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "bench" / "growth"
MINUTE = 60.0
TIMEOUT = 90.0  # a run this long is past the minute for certain; no need to see it end
BUDGET = 480.0  # seconds of TLC for the whole sweep, so make bench stays bounded
CONFORM_MAX = 15_000  # distinct states up to which conformance over the graph is timed
WORKERS = 2
# Symmetric workers may only pay if they save at least a quarter of the states.
SYMMETRY_TARGET = 0.75

SERIES: dict[str, tuple[Bounds, ...]] = {
    "workers": tuple(Bounds(w, 2, 2, 3) for w in range(2, 7)),
    "runs": tuple(Bounds(2, r, 2, 3) for r in range(2, 7)),
    "epochs": tuple(Bounds(2, 2, e, 3) for e in range(2, 7)),
    "horizon": tuple(Bounds(2, 2, 2, t) for t in range(3, 9)),
    "all bounds": (BASELINE, Bounds(3, 3, 3, 4), Bounds(4, 4, 4, 5)),
}
SYMMETRIC = (BASELINE, Bounds(3, 2, 2, 3), Bounds(4, 2, 2, 3))


@dataclass(frozen=True, slots=True)
class Point:
    """One bound checked: TLC's figures, its time, and conformance time when it was measured."""

    bounds: Bounds
    outcome: Outcome
    states: int | None
    distinct: int | None
    seconds: float
    conform_seconds: float | None

    def record(self) -> dict[str, Any]:
        return {
            "bounds": self.bounds.label,
            "workers": self.bounds.workers,
            "runs": self.bounds.runs,
            "epochs": self.bounds.epochs,
            "horizon": self.bounds.horizon,
            "outcome": self.outcome.value,
            "states": self.states,
            "distinct": self.distinct,
            "seconds": round(self.seconds, 3),
            "conform_seconds": None if self.conform_seconds is None else round(self.conform_seconds, 3),
        }


_details: dict[str, Any] = {}


def _check(
    bounds: Bounds, workspace: Workspace, *, symmetric: bool = False, timeout: float = TIMEOUT
) -> Point:
    spec, config = write_model(bounds, BUILD / "models", symmetric=symmetric)
    request = TlcRequest(spec=spec, config=config, workers=WORKERS, timeout=timeout, use_cache=False)
    result = run_tlc(request, workspace)
    if result.outcome not in {Outcome.OK, Outcome.TIMEOUT}:
        raise RuntimeError(f"{bounds.label}: TLC says {result.outcome}: {result.problem()}")
    return Point(bounds, result.outcome, result.states_generated, result.distinct_states,
                 result.seconds, None)  # fmt: skip


def _conform_seconds(bounds: Bounds, workspace: Workspace) -> float | None:
    spec, config = write_model(bounds, BUILD / "models")
    request = TlcRequest(spec=spec, config=config, workers=WORKERS, dump_graph=True)
    result = run_tlc(request, workspace)
    if result.graph is None:
        raise RuntimeError(f"{bounds.label}: no state graph: {result.problem()}")
    graph = parse_state_graph(result.graph.read_text(encoding="utf-8"), source=str(result.graph))
    mapping = load_mapping(load_registry(ROOT).get("a09_stale_epoch"))
    started = time.perf_counter()
    outcome = conform(graph, mapping, frozenset())
    seconds = time.perf_counter() - started
    # The a09 mapping's runtime is set up for the baseline's worker names; a bound it cannot
    # start from is not timed rather than timed on a run that stopped at its first state.
    return None if outcome.mismatches else seconds


def _rate(values: list[float]) -> float | None:
    """The geometric mean of successive ratios: the factor per step of the series."""
    pairs = [(a, b) for a, b in itertools.pairwise(values) if a > 0 and b > 0]
    if not pairs:
        return None
    return math.exp(sum(math.log(b / a) for a, b in pairs) / len(pairs))


def _sweep(workspace: Workspace) -> dict[str, list[Point]]:
    spent = 0.0
    series: dict[str, list[Point]] = {}
    for name, bounds_list in SERIES.items():
        points: list[Point] = []
        for bounds in bounds_list:
            if spent >= BUDGET:
                break
            point = _check(bounds, workspace, timeout=min(TIMEOUT, max(BUDGET - spent, 10.0)))
            spent += point.seconds
            if point.outcome is Outcome.OK and point.distinct is not None and point.distinct <= CONFORM_MAX:
                point = Point(point.bounds, point.outcome, point.states, point.distinct, point.seconds,
                              _conform_seconds(bounds, workspace))  # fmt: skip
            points.append(point)
            if point.seconds >= MINUTE or point.outcome is not Outcome.OK:
                break
        series[name] = points
    return series


def run() -> list[Comparison]:
    """Sweep the bounds, then measure symmetry's savings; details() holds the points."""
    workspace = Workspace(build=BUILD)
    series = _sweep(workspace)
    comparisons: list[Comparison] = []
    summary: dict[str, Any] = {}
    for name, points in series.items():
        finished = [point for point in points if point.outcome is Outcome.OK and point.distinct is not None]
        if len(finished) < 2:
            continue
        first, last = finished[0], finished[-1]
        distinct_rate = _rate([float(point.distinct or 0) for point in finished])
        time_rate = _rate([point.seconds for point in finished])
        summary[name] = {"distinct_per_step": distinct_rate, "seconds_per_step": time_rate}
        comparisons.append(
            Comparison(
                f"growth_{name.replace(' ', '_')}_distinct",
                f"A09 distinct states from {first.bounds.label} to {last.bounds.label} "
                f"(x{distinct_rate:.2f} per step; context)",
                candidate=Measurement(last.bounds.label, (float(last.distinct or 0),), "states"),
                baseline=Measurement(first.bounds.label, (float(first.distinct or 0),), "states"),
                target=None,
            )
        )
        comparisons.append(
            Comparison(
                f"growth_{name.replace(' ', '_')}_tlc_seconds",
                f"A09 exhaustive TLC time, 2 workers, from {first.bounds.label} to {last.bounds.label} "
                f"(x{time_rate:.2f} per step; context)",
                candidate=Measurement(last.bounds.label, (last.seconds,)),
                baseline=Measurement(first.bounds.label, (first.seconds,)),
                target=None,
            )
        )
    symmetry = _symmetry(workspace)
    comparisons.extend(symmetry)
    _details.clear()
    _details.update({
        "series": {name: [point.record() for point in points] for name, points in series.items()},
        "rates": summary,
        "minute_bound": _minute_bound(series),
        "budget_seconds": BUDGET,
        "tlc_workers": WORKERS,
    })  # fmt: skip
    return comparisons


def _minute_bound(series: dict[str, list[Point]]) -> dict[str, Any]:
    """The first bound of each series whose exhaustive run passed one minute (None: not reached)."""
    found: dict[str, Any] = {}
    for name, points in series.items():
        over = next(
            (point for point in points if point.seconds >= MINUTE or point.outcome is Outcome.TIMEOUT), None
        )
        found[name] = (
            None
            if over is None
            else {
                "bounds": over.bounds.label,
                "seconds": round(over.seconds, 1),
                "outcome": over.outcome.value,
                "last_under": next((p.bounds.label for p in reversed(points) if p is not over), None),
            }
        )
    return found


def _committed(stem: str, workspace: Workspace) -> Point:
    folder = ROOT / "specs" / "a09"
    spec = folder / ("MCA09Symmetric.tla" if "Symmetric" in stem else "MCA09.tla")
    request = TlcRequest(spec=spec, config=folder / f"{stem}.cfg", workers=WORKERS, use_cache=False)
    result = run_tlc(request, workspace)
    return Point(BASELINE, result.outcome, result.states_generated, result.distinct_states,
                 result.seconds, None)  # fmt: skip


def _symmetry(workspace: Workspace) -> list[Comparison]:
    pairs = [(BASELINE.label, "specs/a09/MCA09Symmetric.cfg", _committed("MCA09", workspace),
              _committed("MCA09Symmetric", workspace))]  # fmt: skip
    for bounds in SYMMETRIC[1:]:
        pairs.append((bounds.label, "generated", _check(bounds, workspace),
                      _check(bounds, workspace, symmetric=True)))  # fmt: skip
    comparisons = []
    for label, source, without, symmetric in pairs:
        if without.outcome is not Outcome.OK or symmetric.outcome is not Outcome.OK:
            raise RuntimeError(f"{label}: expected ok with and without symmetry")
        comparisons.append(
            Comparison(
                f"symmetry_workers_{label.replace('/', '_')}",
                f"A09 at {label} ({source}): distinct states with SYMMETRY over the workers against without",
                candidate=Measurement("symmetric workers", (float(symmetric.distinct or 0),), "states"),
                baseline=Measurement("no symmetry", (float(without.distinct or 0),), "states"),
                target=SYMMETRY_TARGET,
            )
        )
    return comparisons


def details() -> dict[str, Any]:
    """The growth points, rates and the one-minute bound of the last ``run()``."""
    return dict(_details)
