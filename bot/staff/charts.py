"""Charts for the dashboard, laid out here and drawn as inline SVG by the template ``charts.html``.

No script and no outside library: the server computes every rectangle, the template writes the SVG (presentation
attributes and CSS classes only, as the staff area's CSP allows no inline styles). Each chart carries a title and
a description for screen readers, and the page shows the same numbers as a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Format = Callable[[float], str]

# Column charts (one column per day).
COLUMN_WIDTH = 480
COLUMN_HEIGHT = 220
_LEFT = 56
_RIGHT = 8
_TOP = 12
_BOTTOM = 28
_MAX_TICK_LABELS = 8
# Bar charts (one bar per category).
BAR_WIDTH = 480
_ROW = 28
_LABEL = 160
_VALUE_SPACE = 60


def count(value: float) -> str:
    if value != int(value):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,.0f}".replace(",", ".")


def percent(value: float) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")


def minutes(value: float) -> str:
    if value < 1:
        return f"{value * 60:.0f} s"
    if value < 60:
        return f"{value:.0f} min"
    return f"{value / 60:.1f} h".replace(".", ",")


@dataclass(frozen=True)
class Column:
    label: str
    value: float
    shown: str
    x: float
    y: float
    width: float
    height: float
    tick: bool
    """Whether its label is written under the axis (not every day's fits)."""


@dataclass(frozen=True)
class GridLine:
    y: float
    label: str


@dataclass(frozen=True)
class ColumnChart:
    id: str
    title: str
    description: str
    columns: tuple[Column, ...]
    grid: tuple[GridLine, ...]
    width: int = COLUMN_WIDTH
    height: int = COLUMN_HEIGHT
    left: int = _LEFT
    baseline: float = COLUMN_HEIGHT - _BOTTOM


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    height: int
    width: int = BAR_WIDTH
    label_width: int = _LABEL
    row: int = _ROW


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def column_chart(
    chart_id: str, title: str, description: str, points: Sequence[tuple[str, float]], shown: Format = count
) -> ColumnChart:
    """One column per point, in order, on a scale from zero to a round maximum."""
    top = nice_ceiling(max((value for _, value in points), default=0.0))
    plot_width = COLUMN_WIDTH - _LEFT - _RIGHT
    plot_height = COLUMN_HEIGHT - _TOP - _BOTTOM
    baseline = COLUMN_HEIGHT - _BOTTOM
    slot = plot_width / max(len(points), 1)
    every = math.ceil(len(points) / _MAX_TICK_LABELS) if points else 1
    columns = []
    for index, (label, value) in enumerate(points):
        height = plot_height * value / top
        columns.append(
            Column(
                label,
                value,
                shown(value),
                round(_LEFT + index * slot + slot * 0.15, 2),
                round(baseline - height, 2),
                round(slot * 0.7, 2),
                round(height, 2),
                tick=(len(points) - 1 - index) % every == 0,
            )
        )
    grid = tuple(GridLine(round(baseline - plot_height * share, 2), shown(top * share)) for share in (0, 0.5, 1))
    return ColumnChart(chart_id, title, description, tuple(columns), grid)


def bar_chart(
    chart_id: str, title: str, description: str, points: Sequence[tuple[str, float]], shown: Format = count
) -> BarChart:
    """One horizontal bar per point, in the order given, the longest as wide as the chart allows."""
    top = max((value for _, value in points), default=0.0) or 1.0
    room = BAR_WIDTH - _LABEL - _VALUE_SPACE
    bars = tuple(
        Bar(label, value, shown(value), index * _ROW, round(room * value / top, 2))
        for index, (label, value) in enumerate(points)
    )
    return BarChart(chart_id, title, description, bars, height=max(len(bars), 1) * _ROW)
