"""The state model of a run (scheduled → runnable → claimed → completed / dead-lettered) as inline SVG."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True, slots=True)
class Box:
    """A state of a run, where it is drawn and whether only the runtime has it."""

    name: str
    x: int
    y: int
    note: str
    runtime_only: bool = False


@dataclass(frozen=True, slots=True)
class Arrow:
    """A transition: the spec action (or runtime step) that takes a run from one state to another."""

    source: str
    target: str
    label: str
    runtime_only: bool = False


BOXES = (
    Box("scheduled", 20, 60, "in the source schedule"),
    Box("taken", 270, 60, "scanned, not yet durable"),
    Box("runnable", 520, 60, "a durable unit exists"),
    Box("claimed", 770, 60, "one live claimer, epoch e"),
    Box("completed", 1020, 60, "accepted at epoch e"),
    Box("dead-lettered", 770, 240, "retry budget spent", runtime_only=True),
)
EDGES = (
    Arrow("scheduled", "taken", "Scan(r)"),
    Arrow("taken", "runnable", "Materialize(r)"),
    Arrow("runnable", "claimed", "Claim(w, r)"),
    Arrow("claimed", "completed", "Complete(w)"),
    Arrow("claimed", "claimed", "lease expires; Claim(w2, r): epoch e+1"),
    Arrow("claimed", "runnable", "handler failed: retry after backoff", runtime_only=True),
    Arrow("claimed", "dead-lettered", "handler failed, budget spent", runtime_only=True),
)
WIDTH, HEIGHT, BOX_W, BOX_H = 1180, 330, 150, 56


def _text(x: float, y: float, text: str, css: str, anchor: str = "middle") -> str:
    return f'<text x="{x:.0f}" y="{y:.0f}" class="{css}" text-anchor="{anchor}">{escape(text)}</text>'


def state_model_svg() -> str:
    """The diagram: spec states and actions in solid lines, runtime-only ones dashed."""
    where = {box.name: box for box in BOXES}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="The state model of a run">',
        "<title>The state model of a run</title>",
        '<defs><marker id="state-model-head" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
        "<style>.sm-st{font:600 14px sans-serif;fill:#111}.sm-nt{font:11px sans-serif;fill:#555}"
        ".sm-ed{font:11px monospace;fill:#222}</style>",
    ]
    for edge in EDGES:
        a, b = where[edge.source], where[edge.target]
        dash = ' stroke-dasharray="5 4"' if edge.runtime_only else ""
        if a is b:
            cx, top = a.x + BOX_W / 2, float(a.y)
            path = f"M{cx - 30},{top} C{cx - 40},{top - 36} {cx + 40},{top - 36} {cx + 30},{top}"
            label_x, label_y = cx, top - 30
        elif a.y == b.y and b.x < a.x:
            y = float(a.y + BOX_H)
            path = f"M{a.x + 30},{y} C{a.x},{y + 50} {b.x + BOX_W},{y + 50} {b.x + BOX_W - 30},{y}"
            label_x, label_y = (a.x + b.x + BOX_W) / 2, y + 52
        elif a.y == b.y:
            y = a.y + BOX_H / 2
            path = f"M{a.x + BOX_W},{y} L{b.x - 2},{y}"
            label_x, label_y = (a.x + BOX_W + b.x) / 2, y - 8
        else:
            x = a.x + BOX_W / 2
            path = f"M{x},{a.y + BOX_H} L{x},{b.y - 2}"
            label_x, label_y = x + 8, (a.y + BOX_H + b.y) / 2 + 30
        out.append(
            f'<path d="{path}" fill="none" stroke="#333" stroke-width="1.5"{dash} '
            'marker-end="url(#state-model-head)"/>'
        )
        anchor = "start" if a.y != b.y else "middle"
        out.append(_text(label_x, label_y, edge.label, "sm-ed", anchor))
    for box in BOXES:
        fill, dash = ("#fff7e8", ' stroke-dasharray="5 4"') if box.runtime_only else ("#eef4ff", "")
        out.append(
            f'<rect x="{box.x}" y="{box.y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" '
            f'stroke="#2f6fdf" stroke-width="1.5"{dash}/>'
        )
        out.append(_text(box.x + BOX_W / 2, box.y + 23, box.name, "sm-st"))
        out.append(_text(box.x + BOX_W / 2, box.y + 42, box.note, "sm-nt"))
    out.append(
        f'<text x="20" y="{HEIGHT - 12}" class="sm-nt">Solid: states and actions of the A09 model. '
        "Dashed: the runtime only (python_impl), not in the model.</text>"
    )
    out.append("</svg>")
    return "\n".join(out)
