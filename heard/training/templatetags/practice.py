"""The studio's template helpers: a stored coaching's marks, the mood curve, signal names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from heard.console.templatetags.reading import marked

register = template.Library()

SIGNALS = {
    "blame": "blamed them",
    "dismissive": "waved the feeling away",
    "shouting": "shouted",
    "policy_wall": "policy wall",
    "rtfm": "sent them off to read",
    "ignored_question": "left a question unanswered",
    "repeated_template": "repeated an earlier reply",
    "curt_closing": "closed the door",
    "robotic": "template wording",
    "no_progress": "moved nothing on",
    "acknowledged": "acknowledged the feeling",
    "next_step": "gave a next step",
    "owned": "owned the problem",
    "honest_time": "gave an honest time",
}
CURVE_WIDTH, CURVE_HEIGHT, TOP = 320, 110, 10


@register.filter
def marked_reply(text: str, coaching: Mapping[str, Any] | None) -> SafeString:
    """The reply escaped, each finding of a stored coaching over its words marked with why."""
    findings = (coaching or {}).get("findings", [])
    spans = sorted(
        (int(f["start"]), int(f["end"]), str(f["why"])) for f in findings
        if f.get("start") is not None
    )
    return marked(text, spans, "finding")


@register.filter
def missing(coaching: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The findings about something missing (no words to mark)."""
    return [f for f in (coaching or {}).get("findings", []) if f.get("start") is None]


@register.filter
def signal_label(code: str) -> str:
    return SIGNALS.get(code, code.replace("_", " "))


@register.filter
def signed(value: int | None) -> str:
    """+3, -2 (with a real minus sign) or ±0: a difference as people write it."""
    if value is None:
        return ""
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"\u2212{-value}")


@register.simple_tag
def mood_curve(curve: Sequence[int], top: int = TOP) -> SafeString:
    """The intensity after each message as an inline SVG line (0 at the bottom, `top` at the
    top), with a text alternative that reads the whole curve."""
    if not curve:
        return SafeString("")
    step = (CURVE_WIDTH - 20) / max(len(curve) - 1, 1)
    points = [
        (10 + i * step, 10 + (CURVE_HEIGHT - 20) * (1 - value / top))
        for i, value in enumerate(curve)
    ]
    label = "Intensity " + ", then ".join(str(v) for v in curve) + f", out of {top}"
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="4"><title>{}</title></circle>',
        ((f"{x:.0f}", f"{y:.0f}", f"after message {i}: {v}" if i else f"at the start: {v}")
         for i, ((x, y), v) in enumerate(zip(points, curve, strict=True))),
    )
    line = " ".join(f"{x:.0f},{y:.0f}" for x, y in points)
    return format_html(
        '<svg class="mood-curve" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><line x1="10" y1="{}" x2="{}" y2="{}" class="axis"/>'
        '<polyline points="{}" fill="none"/>{}</svg>',
        CURVE_WIDTH, CURVE_HEIGHT, CURVE_WIDTH, CURVE_HEIGHT, label,
        CURVE_HEIGHT - 10, CURVE_WIDTH - 10, CURVE_HEIGHT - 10, line, dots,
    )


@register.simple_tag
def sparkline(values: Sequence[int | None]) -> SafeString:
    """A small SVG line of 0..100 values over weeks (gaps where a week had none)."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return SafeString('<span class="meta">no data yet</span>')
    width, height = 160, 36
    step = (width - 8) / max(len(values) - 1, 1)
    points = [(f"{4 + i * step:.0f}", f"{4 + (height - 8) * (1 - v / 100):.0f}") for i, v in known]
    line = " ".join(f"{x},{y}" for x, y in points)
    dots = format_html_join("", '<circle cx="{}" cy="{}" r="2.5"/>', points)
    label = "Week by week: " + ", ".join("none" if v is None else str(v) for v in values)
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><polyline points="{}" fill="none"/>{}</svg>',
        width, height, width, height, label, line, dots,
    )


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
