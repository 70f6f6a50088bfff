"""Charts drawn on the server as SVG: bars, a network on a circle, a heat strip.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
(named by ``aria-labelledby``), so a screen reader announces it as one
picture; the page puts the same figures in a table beside it. Colours come
from classes in ``site.css`` (so the dark theme changes them) and shading
from the ``fill-opacity`` presentation attribute: no ``style`` attribute,
which the Content-Security-Policy forbids, and no script. Every piece of
text is escaped.

>>> svg = bar_chart(chart_id="c", title="Lines", description="Who speaks.",
...                 bars=[("<Ann>", 3), ("Bob", 1)])
>>> print(svg[: svg.index("<text")].replace("><", ">\\n<"))
<svg class="chart bar-chart" viewBox="0 0 640 68" role="img" aria-labelledby="c-title c-desc">
<title id="c-title">Lines</title>
<desc id="c-desc">Who speaks.</desc>
>>> import re
>>> re.findall(r'<rect class="bar" [^>]* width="([0-9.]+)"', svg)
['400', '133.3']
>>> "&lt;Ann&gt;" in svg, "<Ann>" in svg
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
_LABEL_WIDTH = 180  # bars start here; names are right-aligned before it
_BAR_HEIGHT = 20
_BAR_GAP = 8
_LABEL_CHARS = 24  # longer names are cut, with an ellipsis (the table has them whole)


def _number(value: float) -> str:
    """A coordinate as SVG wants it: short, no trailing zeros.

    >>> _number(12.0), _number(1 / 3), _number(-0.04)
    ('12', '0.3', '0')
    """
    rounded = round(value, 1)
    return f"{rounded:g}" if rounded != 0 else "0"


def _short(name: str) -> str:
    return name if len(name) <= _LABEL_CHARS else name[: _LABEL_CHARS - 1] + "…"


def _svg(chart_id: str, kind: str, height: float, title: str, description: str, body: str) -> str:
    return (
        f'<svg class="chart {kind}" viewBox="0 0 {WIDTH} {_number(height)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>{body}</svg>'
    )


def _safe(svg: str) -> SafeString:
    return mark_safe(svg)  # noqa: S308 every piece of text in it went through escape()


def bar_chart(
    *, chart_id: str, title: str, description: str, bars: Sequence[tuple[str, float]]
) -> SafeString:
    """Horizontal bars, one per (label, value), the longest for the largest value."""
    largest = max((value for _, value in bars), default=0) or 1
    span = WIDTH - _LABEL_WIDTH - 60  # room on the right for the value
    parts = []
    for row, (label, value) in enumerate(bars):
        top = _BAR_GAP + row * (_BAR_HEIGHT + _BAR_GAP)
        width = span * value / largest
        baseline = top + _BAR_HEIGHT - 7
        shown = f"{value:g}"
        parts.append(
            f'<text class="label" x="{_LABEL_WIDTH - 8}" y="{baseline}" text-anchor="end">'
            f"{escape(_short(label))}</text>"
            f'<rect class="bar" x="{_LABEL_WIDTH}" y="{top}" width="{_number(width)}" '
            f'height="{_BAR_HEIGHT}"><title>{escape(label)}: {shown}</title></rect>'
            f'<text class="value" x="{_number(_LABEL_WIDTH + width + 6)}" y="{baseline}">'
            f"{shown}</text>"
        )
    height = _BAR_GAP + len(bars) * (_BAR_HEIGHT + _BAR_GAP) + 4
    return _safe(_svg(chart_id, "bar-chart", height, title, description, "".join(parts)))


def circle_points(count: int, radius: float, centre: float) -> list[tuple[float, float]]:
    """``count`` points evenly on a circle, the first at the top, going clockwise.

    >>> [(round(x), round(y)) for x, y in circle_points(4, 10, 50)]
    [(50, 40), (60, 50), (50, 60), (40, 50)]
    """
    return [
        (
            centre + radius * math.sin(2 * math.pi * n / count),
            centre - radius * math.cos(2 * math.pi * n / count),
        )
        for n in range(count)
    ]


def network(
    *,
    chart_id: str,
    title: str,
    description: str,
    names: Sequence[str],
    edges: Sequence[tuple[int, int, int]],
) -> SafeString:
    """Characters on a circle, a line between two who talk, thicker for more exchanges.

    ``edges`` are (index, index, exchanges) into ``names``.
    """
    height = 500  # the circle's radius leaves room for names on either side
    points = [(x, y - (WIDTH - height) / 2) for x, y in circle_points(len(names), 190, WIDTH / 2)]
    centre = WIDTH / 2
    heaviest = max((n for _, _, n in edges), default=0) or 1
    parts = []
    for a, b, exchanges in sorted(edges, key=lambda edge: edge[2]):
        (x1, y1), (x2, y2) = points[a], points[b]
        parts.append(
            f'<line class="edge" x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" '
            f'y2="{_number(y2)}" stroke-width="{_number(1 + 9 * exchanges / heaviest)}">'
            f"<title>{escape(names[a])} and {escape(names[b])}: {exchanges} "
            f"exchange{'s' if exchanges != 1 else ''}</title></line>"
        )
    for name, (x, y) in zip(names, points, strict=True):
        anchor = "middle" if abs(x - centre) < 1 else ("start" if x > centre else "end")
        label_x = x + (14 if anchor == "start" else -14 if anchor == "end" else 0)
        # Names beside the nodes on the sides, above the top one and below the bottom one.
        label_y = y + (5 if anchor != "middle" else -14 if y < height / 2 else 24)
        parts.append(
            f'<circle class="node" cx="{_number(x)}" cy="{_number(y)}" r="8">'
            f"<title>{escape(name)}</title></circle>"
            f'<text class="label" x="{_number(label_x)}" y="{_number(label_y)}" '
            f'text-anchor="{anchor}">{escape(_short(name))}</text>'
        )
    return _safe(_svg(chart_id, "network", height, title, description, "".join(parts)))


def heat_strip(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[int]],
) -> SafeString:
    """A grid: one row per name, one column per chapter, darker for larger values.

    ``values[row][column]``; a zero is an empty cell, drawn as an outline.
    """
    cell_width = (WIDTH - _LABEL_WIDTH - 10) / max(len(columns), 1)
    cell_height = 22
    largest = max((value for row in values for value in row), default=0) or 1
    parts = []
    for c, column in enumerate(columns):
        x = _LABEL_WIDTH + c * cell_width + cell_width / 2
        if len(columns) <= 30 or c % math.ceil(len(columns) / 30) == 0:
            parts.append(
                f'<text class="axis" x="{_number(x)}" y="14" text-anchor="middle">'
                f"{escape(column)}</text>"
            )
    for r, (name, row) in enumerate(zip(rows, values, strict=True)):
        top = 22 + r * (cell_height + 2)
        parts.append(
            f'<text class="label" x="{_LABEL_WIDTH - 8}" y="{_number(top + cell_height - 6)}" '
            f'text-anchor="end">{escape(_short(name))}</text>'
        )
        for c, (column, value) in enumerate(zip(columns, row, strict=True)):
            shade = f' fill-opacity="{0.15 + 0.85 * value / largest:.2f}"' if value else ""
            parts.append(
                f'<rect class="{"cell" if value else "cell empty"}" '
                f'x="{_number(_LABEL_WIDTH + c * cell_width + 1)}" y="{top}" '
                f'width="{_number(max(cell_width - 2, 1))}" height="{cell_height}"{shade}>'
                f"<title>{escape(name)}, chapter {escape(column)}: {value}</title></rect>"
            )
    height = 22 + len(rows) * (cell_height + 2) + 4
    return _safe(_svg(chart_id, "heat-strip", height, title, description, "".join(parts)))
