"""The geometry of the roll-up page's charts, drawn as inline SVG by
``templates/rollup.html.j2`` (no chart library, no script): horizontal bar charts with the
value written at the end of each bar, and a line chart of a trend over time. Everything here
is in SVG user units; the template writes the elements, the page's CSS gives the colours
(a class per series: ``sev-error``, ``sev-warning``, ``sev-info``, ``neutral``, ``good``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# the charts' text is 13 px (rollup.css), also on a phone: a chart too wide scrolls sideways
CHAR = 7.2  # the mean advance of a character of 13 px in a system sans-serif, for laying out labels
LABEL_CHARS = 38  # longer labels are cut (the whole label is in the bar's tooltip and the table)


@dataclass(frozen=True)
class Tick:
    at: float  # x (bar charts) or y (line chart)
    text: str


@dataclass(frozen=True)
class Bar:
    label: str  # as shown (cut to LABEL_CHARS)
    full: str  # the whole label
    y: float
    width: float
    text: str  # the value as written after the bar
    cls: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    desc: str
    axis: str  # what the bars measure
    width: float
    height: float
    left: float  # where the bars start (labels end)
    plot: float  # the width of the bars' area
    bar_height: float
    bars: list[Bar]
    ticks: list[Tick]
    axis_y: float


@dataclass(frozen=True)
class Series:
    name: str
    cls: str
    dash: str  # stroke-dasharray ("" = solid): not colour alone tells the lines apart
    lines: list[list[tuple[float, float]]]  # runs of points, broken where a period has no articles
    points: list[tuple[float, float]]  # markers (few points only)


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    desc: str
    x_axis: str
    y_axis: str
    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``: about ``count`` steps of 1, 2, 2.5 or 5
    times a power of ten."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def tick_text(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(id: str, title: str, desc: str, axis: str, items: list[tuple[str, float, str, str]],
              width: float = 720, value_room: float = 150, top: float | None = None) -> BarChart:
    """A horizontal bar chart of ``items``: (label, value, value as written, class), drawn in
    the order given. ``top``: the scale's end (default: the largest value, rounded up)."""
    bar_height, gap = 18.0, 8.0
    longest = max((len(_cut(label)) for label, *_ in items), default=4)
    left = min(max(longest * CHAR + 12, 60.0), width * 0.45)
    plot = width - left - value_room
    values = [value for _, value, _, _ in items]
    marks = nice_ticks(top if top is not None else max(values, default=0.0))
    scale = plot / marks[-1]
    bars = [Bar(_cut(label), label, 8 + i * (bar_height + gap), round(max(value * scale, 0.0), 1), text, cls)
            for i, (label, value, text, cls) in enumerate(items)]
    axis_y = 8 + len(items) * (bar_height + gap)
    return BarChart(id, title, desc, axis, width, axis_y + 40, round(left, 1), round(plot, 1), bar_height, bars,
                    [Tick(round(left + m * scale, 1), tick_text(m)) for m in marks], axis_y)


def line_chart(id: str, title: str, desc: str, x_axis: str, y_axis: str, positions: list[int], labels: list[str],
               series: list[tuple[str, str, str, list[float]]], width: float = 720, height: float = 280) -> LineChart:
    """A line chart over time: ``positions`` (a period's number: consecutive periods differ by
    one; a gap is a period without articles, where the lines break), ``labels`` (a period's
    name), ``series``: (name, class, dash, one value per position)."""
    left, right, top, bottom = 64.0, 16.0, 32.0, 56.0
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = positions[0], positions[-1]
    span = max(last - first, 1)
    marks = nice_ticks(max((v for *_, values in series for v in values), default=0.0))

    def x(pos: int) -> float:
        return left + (plot_w * (pos - first) / span if last > first else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / marks[-1])

    drawn = []
    for name, cls, dash, values in series:
        lines: list[list[tuple[float, float]]] = []
        previous = None
        for pos, value in zip(positions, values, strict=True):
            point = (round(x(pos), 1), round(y(value), 1))
            if previous is None or pos - previous > 1:
                lines.append([])
            lines[-1].append(point)
            previous = pos
        dots = [p for run in lines for p in run if len(positions) <= 60 or len(run) == 1]  # a lone point: a dot, not a line
        drawn.append(Series(name, cls, dash, lines, dots))
    step = max(1, math.ceil(len(positions) / 8))
    shown = list(range(0, len(positions), step))
    x_ticks = [Tick(round(x(positions[i]), 1), labels[i]) for i in shown]
    y_ticks = [Tick(round(y(m), 1), tick_text(m)) for m in marks]
    return LineChart(id, title, desc, x_axis, y_axis, width, height, left, top, right, bottom, drawn, x_ticks, y_ticks)
