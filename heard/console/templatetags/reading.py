"""Text with spans marked: the words that drove a reading, the words the coach flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def with_cues(text: str, reading: Mapping[str, Any] | None) -> SafeString:
    """`text` escaped, line breaks kept, each cue of the engine's reading in a <mark> that says
    what it counted as (on hover and keyboard focus). Specific cues ("deadline today") win over
    the sentence the emotion was read from when they overlap."""
    return marked(text, chosen_cues((reading or {}).get("cues", []), len(text)), "cue")


@register.filter
def with_findings(draft: str, coaching: Any) -> SafeString:
    """The draft escaped, each finding over its words marked with why it may hurt."""
    spans = [(f.start, f.end, f.why) for f in coaching.findings if f.start is not None]
    return marked(draft, sorted(spans), "finding")


def marked(text: str, spans: list[tuple[int, int, str]], kind: str) -> SafeString:
    """`text` escaped with line breaks kept, each (start, end, label) span (sorted, not
    overlapping) in a <mark> whose label shows on hover and keyboard focus."""
    parts, at = [], 0
    for start, end, label in spans:
        if start < at:
            continue
        parts.append(_plain(text[at:start]))
        parts.append(
            f'<mark class="{kind}" tabindex="0" title="{escape(label)}" '
            f'aria-label="{escape(label)}">{_plain(text[start:end])}</mark>'
        )
        at = end
    parts.append(_plain(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308  (every piece of text is escaped above)


def chosen_cues(cues: Iterable[Mapping[str, Any]], length: int) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, label) within the text, specific cues before emotion ones."""
    ordered = sorted(cues, key=lambda c: (c.get("kind") == "emotion", c["start"], -c["end"]))
    kept: list[tuple[int, int, str]] = []
    for cue in ordered:
        start, end = int(cue["start"]), min(int(cue["end"]), length)
        if start < end and all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, str(cue["label"])))
    return sorted(kept)


def _plain(text: str) -> str:
    return escape(text).replace("\n", "<br>")
