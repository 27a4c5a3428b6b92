"""Charts as server-rendered SVG: readable without JavaScript, in print and by screen readers.

Each chart is an `<svg role="img">` named by its `<title>` and described by a one-line `<desc>`
(what it shows and where its figures are: the table right after it, which holds every number
the chart draws). Series differ by colour and by line style or marker, never by colour alone.
The colours are the Okabe-Ito palette, told apart with every common colour-vision deficiency.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#8a6d00")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 28, 34, 44
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


Format = Callable[[float], str]


def _plain(value: float) -> str:
    return f"{value:g}"


def _frame(title: str, desc: str, body: SafeString, height: int = HEIGHT) -> SafeString:
    number = next(_ids)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="chart-{n}-title chart-{n}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="chart-{n}-title">{title}</title><desc id="chart-{n}-desc">{desc}</desc>'
        "{body}</svg>",
        w=WIDTH, h=height, n=number, title=title, desc=desc, body=body,
    )


def _nice_top(value: float) -> float:
    """A round axis top at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    while True:
        for step in (1, 2, 2.5, 5, 10):
            if step * power >= value:
                return step * power
        power *= 10


def _grid(top: float, fmt: Format, height: int) -> SafeString:
    """Four horizontal grid lines with their values on the left."""
    plot = height - TOP - BOTTOM
    lines = []
    for i in range(5):
        y = TOP + plot * (1 - i / 4)
        lines.append((LEFT, f"{y:.1f}", WIDTH - RIGHT, f"{y:.1f}", LEFT - 6, f"{y + 4:.1f}",
                      fmt(top * i / 4)))
    return format_html_join(
        "",
        '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        lines,
    )


def _x_labels(labels: Sequence[str], xs: Sequence[float], height: int) -> SafeString:
    """At most about twelve labels under the axis, evenly spaced, always the last one."""
    every = max(1, -(-len(labels) // 12))
    shown = [
        (f"{x:.1f}", height - BOTTOM + 18, label)
        for i, (x, label) in enumerate(zip(xs, labels, strict=True))
        if i % every == 0 or i == len(labels) - 1
    ]
    return format_html_join(
        "", '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>', shown
    )


def _legend(names: Sequence[str], marks: Callable[[int], SafeString]) -> tuple[SafeString, int]:
    """The legend above the plot, wrapped into rows; returns it and how many rows it took."""
    parts = []
    x, row = LEFT, 0
    for i, name in enumerate(names):
        width = 34 + 7 * len(name)
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, row = LEFT, row + 1
        parts.append(format_html(
            '<g transform="translate({},{})">{}<text class="legend" x="22" y="4">{}</text></g>',
            x, 14 + 18 * row, marks(i), name,
        ))
        x += width
    return mark_safe("".join(parts)), row + 1  # noqa: S308  (each part built by format_html)


def line_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *,
    fmt: Format = _plain, top: float | None = None, tick: Format | None = None,
) -> SafeString:
    """Lines over `labels` (days, weeks); a None value leaves a gap. `fmt` writes a value,
    `tick` (default `fmt`) the values on the axis."""
    known = [v for s in series for v in s.values if v is not None]
    top = top if top is not None else _nice_top(max(known, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)
    xs = [LEFT + i * step for i in range(len(labels))]

    def y(value: float) -> float:
        return TOP + plot_h * (1 - min(value, top) / top)

    body = [_grid(top, tick or fmt, HEIGHT), _x_labels(labels, xs, HEIGHT)]
    for i, one in enumerate(series):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        for segment in _segments(xs, one.values):
            points = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in segment)
            body.append(format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                'stroke-dasharray="{}"/>', points, colour, dash,
            ))
        body.append(format_html_join("", '<circle cx="{}" cy="{}" r="3" fill="{}">'
                                     "<title>{}: {} {}</title></circle>", (
            (f"{x:.1f}", f"{y(v):.1f}", colour, one.name, label, fmt(v))
            for x, v, label in zip(xs, one.values, labels, strict=True) if v is not None
        )))
    legend, rows = _legend([s.name for s in series], lambda i: format_html(
        '<line x1="0" y1="0" x2="18" y2="0" stroke="{}" stroke-width="2.5" '
        'stroke-dasharray="{}"/>', COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)],
    ))
    desc = f"{_describe(series, fmt)}. The table after the chart gives every figure."
    shift = 18 * (rows - 1)  # legend rows beyond the first push the plot down
    plot = format_html('<g transform="translate(0,{})">{}</g>', shift,
                       mark_safe("".join(body)))  # noqa: S308  (format_html parts)
    return _frame(title, desc, format_html("{}{}", legend, plot), HEIGHT + shift)


def _segments(
    xs: Sequence[float], values: Sequence[float | None]
) -> list[list[tuple[float, float]]]:
    segments: list[list[tuple[float, float]]] = [[]]
    for x, value in zip(xs, values, strict=True):
        if value is None:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append((x, value))
    return [s for s in segments if s]


def _describe(series: Sequence[Series], fmt: Format) -> str:
    """'Median first reply from 1 h 10 min to 3 h; …': the range of each series."""
    parts = []
    for one in series:
        known = [v for v in one.values if v is not None]
        if known:
            parts.append(f"{one.name} from {fmt(min(known))} to {fmt(max(known))}")
        else:
            parts.append(f"{one.name}: no figures")
    return "; ".join(parts)


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float | None], *,
    fmt: Format = _plain, top: float | None = None,
) -> SafeString:
    """Horizontal bars, one per label (agents, bands, answers), the value written beside it."""
    known = [v for v in values if v is not None]
    top = top if top is not None else _nice_top(max(known, default=0))
    row_h, label_w, pad = 26, 200, 6
    height = pad + row_h * max(len(labels), 1) + pad
    plot_w = WIDTH - label_w - 80
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = pad + i * row_h
        width = 0.0 if value is None else plot_w * min(value, top) / top
        shown = "no figures" if value is None else fmt(value)
        body.append(format_html(
            '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
            '<text class="value" x="{}" y="{}">{}</text>',
            label_w - 8, y + 17, _short(label, 28), label_w, y + 4, f"{width:.1f}", row_h - 8,
            COLOURS[0], label, shown, f"{label_w + width + 6:.1f}", y + 17, shown,
        ))
    pairs = [f"{label} {('no figures' if v is None else fmt(v))}"
             for label, v in zip(labels, values, strict=True)]
    desc = "; ".join(pairs[:12]) + (" …" if len(pairs) > 12 else "") + ". The table after the "\
        "chart gives every figure."
    return _frame(title, desc, mark_safe("".join(body)), height)  # noqa: S308  (format_html parts)


def stacked_chart(
    title: str, labels: Sequence[str], names: Sequence[str], counts: Sequence[Sequence[int]],
) -> SafeString:
    """Columns over `labels`, each split into `names` (counts[label][name]), with a legend."""
    totals = [sum(column) for column in counts]
    top = _nice_top(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    xs = [LEFT + slot * (i + 0.5) for i in range(len(labels))]
    body = [_grid(top, _plain, HEIGHT), _x_labels(labels, xs, HEIGHT)]
    for x, label, column in zip(xs, labels, counts, strict=True):
        base = 0
        for i, (name, value) in enumerate(zip(names, column, strict=True)):
            if not value:
                continue
            y0, y1 = TOP + plot_h * (1 - (base + value) / top), TOP + plot_h * (1 - base / top)
            body.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                'stroke="#ffffff" stroke-width="1"><title>{}, {}: {}</title></rect>',
                f"{x - slot * 0.35:.1f}", f"{y0:.1f}", f"{slot * 0.7:.1f}", f"{y1 - y0:.1f}",
                COLOURS[i % len(COLOURS)], label, name, value,
            ))
            base += value
    legend, rows = _legend(names, lambda i: format_html(
        '<rect x="0" y="-6" width="16" height="12" fill="{}"/>', COLOURS[i % len(COLOURS)],
    ))
    overall = [sum(column[i] for column in counts) for i in range(len(names))]
    desc = ", ".join(f"{name} {n}" for name, n in zip(names, overall, strict=True))
    desc = f"In all: {desc}. The table after the chart gives every figure."
    shift = 18 * (rows - 1)  # legend rows beyond the first push the plot down
    plot = format_html('<g transform="translate(0,{})">{}</g>', shift,
                       mark_safe("".join(body)))  # noqa: S308  (format_html parts)
    return _frame(title, desc, format_html("{}{}", legend, plot), HEIGHT + shift)


def sparkline(name: str, values: Sequence[float | None], fmt: Format = _plain) -> SafeString:
    """A small line for a table cell, 0 to 100, named with every value it draws."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    label = f"{name}: " + ", ".join("none" if v is None else fmt(v) for v in values)
    if not known:
        return format_html('<span class="meta">{}</span>', "no figures")
    width, height = 120, 28
    step = (width - 8) / max(len(values) - 1, 1)
    points = " ".join(f"{4 + i * step:.0f},{4 + (height - 8) * (1 - v / 100):.0f}"
                      for i, v in known)
    return format_html(
        '<svg class="spark" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><polyline points="{}" fill="none" stroke="{}" stroke-width="2"/></svg>',
        width, height, width, height, label, points, COLOURS[0],
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["Series", "bar_chart", "line_chart", "sparkline", "stacked_chart"]
