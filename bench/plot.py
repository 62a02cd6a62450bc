"""SVG figures of the benchmark results: the ratios against their targets, and the growth of A09's cost."""

from __future__ import annotations

import math
from html import escape
from typing import Any

_WIDTH = 760
_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def ratios_svg(records: list[dict[str, Any]]) -> str:
    """One bar per comparison (log scale, 1 in the middle), its target as a tick; green met, red missed."""
    rows = [record for record in records if record.get("ratio")]
    left, bar, gap = 300, 14, 6
    height = 40 + len(rows) * (bar + gap)
    span = _WIDTH - left - 20
    low, high = math.log10(0.01), math.log10(100.0)

    def x(value: float) -> float:
        clamped = min(max(math.log10(max(value, 1e-9)), low), high)
        return left + (clamped - low) / (high - low) * span

    parts = [_open(_WIDTH, height), f'<text x="{left}" y="14" font-size="11">ratio (log scale)</text>']
    for tick in (0.01, 0.1, 1, 10, 100):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="20" x2="{x(tick):.1f}" y2="{height - 10}" stroke="#ddd"/>'
        )
        parts.append(f'<text x="{x(tick):.1f}" y="30" font-size="10" text-anchor="middle">{tick:g}</text>')
    for index, record in enumerate(rows):
        y = 36 + index * (bar + gap)
        ratio = float(record["ratio"])
        met = record.get("met")
        colour = "#999" if met is None else ("#2ca02c" if met else "#d62728")
        start, end = sorted((x(1.0), x(ratio)))
        parts.append(
            f'<text x="{left - 6}" y="{y + bar - 3}" font-size="11" text-anchor="end">'
            f"{escape(str(record['name']))}</text>"
        )
        parts.append(
            f'<rect x="{start:.1f}" y="{y}" width="{max(end - start, 1):.1f}" height="{bar}" fill="{colour}">'
            f"<title>{escape(str(record['name']))}: {ratio:.3g}</title></rect>"
        )
        if record.get("target") is not None:
            tx = x(float(record["target"]))
            parts.append(f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + bar + 2}" stroke="#000" '
                         'stroke-width="2"/>')  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts)


def growth_svg(series: dict[str, list[dict[str, Any]]], field: str, label: str) -> str:
    """``field`` of each series' points against the step, on a log scale: a straight line is exponential."""
    values = [float(point[field]) for points in series.values() for point in points if point.get(field)]
    if not values:
        return _open(_WIDTH, 40) + '<text x="10" y="20">not measured</text></svg>'
    height, left, top, bottom = 300, 60, 20, 40
    steps = max(len(points) for points in series.values())
    low = math.floor(math.log10(min(values)))
    high = math.ceil(math.log10(max(values))) or 1
    high = max(high, low + 1)
    plot_w, plot_h = _WIDTH - left - 170, height - top - bottom

    def xy(step: int, value: float) -> tuple[float, float]:
        px = left + (step / max(steps - 1, 1)) * plot_w
        py = top + plot_h - (math.log10(value) - low) / (high - low) * plot_h
        return px, py

    parts = [_open(_WIDTH, height)]
    for decade in range(low, high + 1):
        _, py = xy(0, 10.0**decade)
        parts.append(f'<line x1="{left}" y1="{py:.1f}" x2="{left + plot_w}" y2="{py:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 4}" y="{py + 4:.1f}" font-size="10" text-anchor="end">1e{decade}</text>'
        )
    parts.append(f'<text x="{left}" y="{height - 8}" font-size="11">step of the series (each adds one to its '
                 f"bound); y: {escape(label)}</text>")  # fmt: skip
    for index, (name, points) in enumerate(series.items()):
        colour = _PALETTE[index % len(_PALETTE)]
        coords = [
            (xy(step, float(point[field])), point) for step, point in enumerate(points) if point.get(field)
        ]
        if not coords:
            continue
        path = " ".join(f"{px:.1f},{py:.1f}" for (px, py), _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (px, py), point in coords:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"><title>{escape(name)} '
                         f"{escape(str(point['bounds']))}: {point[field]}</title></circle>")  # fmt: skip
        ly = top + 14 * index
        parts.append(f'<text x="{left + plot_w + 10}" y="{ly + 10}" font-size="11" fill="{colour}">'
                     f"{escape(name)}</text>")  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts)


def _open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">'
    )
