"""coach(): read the draft against the customer's message, score it, propose a better one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from heard.engine.coaching._detect import analyse
from heard.engine.coaching._mood import build_context
from heard.engine.coaching._suggest import suggest
from heard.engine.coaching._text import lay_out
from heard.engine.coaching._types import CoachConfig, Coaching, Finding, HasEmotion

DEFAULT_CONFIG = CoachConfig()


def coach(
    draft: str,
    customer_message: str | None = None,
    customer_name: str | None = None,
    reading: HasEmotion | None = None,
    *,
    config: CoachConfig = DEFAULT_CONFIG,
) -> Coaching:
    """Coach one draft reply. Nothing is sent; the suggestion is the agent's to take or leave.

    `reading` is any object with an `.emotion` (e.g. the engine's Reading); without it the
    customer's message is read by `config.reader`, or by the coach's own light lexical read.
    """
    context = build_context(customer_message, customer_name, reading, config)
    layout = lay_out(draft)
    findings = analyse(layout, context)
    return Coaching(
        score=score(findings, config),
        findings=findings,
        suggestion=suggest(layout, findings, context, config),
        emotion=context.emotion,
    )


def score(findings: Iterable[Finding], config: CoachConfig = DEFAULT_CONFIG) -> int:
    """100 minus each code's severity weight, plus `repeat_penalty` per repeat; floor 0."""
    counts = Counter(f.code for f in findings)
    severities = {f.code: f.severity for f in findings}
    penalty = sum(
        config.penalty(severities[code]) + config.repeat_penalty * (n - 1)
        for code, n in counts.items()
    )
    return max(0, 100 - penalty)
