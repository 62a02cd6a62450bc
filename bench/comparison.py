"""A benchmark result: a candidate measured against a baseline in the same run, and the goal it must meet."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Measurement:
    """Repeated samples of one thing (seconds unless ``unit`` says otherwise)."""

    label: str
    samples: tuple[float, ...]
    unit: str = "s"

    @property
    def median(self) -> float:
        """The median sample: robust to the odd slow launch on a shared machine."""
        return statistics.median(self.samples)


@dataclass(frozen=True, slots=True)
class Comparison:
    """``candidate`` against ``baseline``: ``ratio`` is candidate median / baseline median.

    ``target`` is the goal for the ratio: at most it when lower is better (times), at least it
    when higher is better (throughput); None marks a comparison shown for context, with no goal.
    """

    name: str
    description: str
    candidate: Measurement
    baseline: Measurement
    target: float | None
    higher_is_better: bool = False

    @property
    def ratio(self) -> float:
        """Candidate median over baseline median."""
        return self.candidate.median / self.baseline.median

    @property
    def met(self) -> bool | None:
        """Whether the ratio reaches the target (None when there is no target)."""
        if self.target is None:
            return None
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target

    def record(self) -> dict[str, Any]:
        """The comparison as JSON-ready data, raw samples included."""
        return {
            "name": self.name,
            "description": self.description,
            "ratio": round(self.ratio, 4),
            "target": self.target,
            "higher_is_better": self.higher_is_better,
            "met": self.met,
            "candidate": _measurement(self.candidate),
            "baseline": _measurement(self.baseline),
        }


def _measurement(measurement: Measurement) -> dict[str, Any]:
    return {
        "label": measurement.label,
        "unit": measurement.unit,
        "median": round(measurement.median, 6),
        "samples": [round(sample, 6) for sample in measurement.samples],
    }
