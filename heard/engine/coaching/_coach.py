"""coach(): read the draft against the customer's message, judge it, propose a better one."""

from __future__ import annotations

from collections.abc import Sequence

from heard.engine._context import unanswered
from heard.engine._types import Turn
from heard.engine.coaching._detect import examine
from heard.engine.coaching._dimensions import combined, dimensions
from heard.engine.coaching._mood import build_context
from heard.engine.coaching._suggest import suggest
from heard.engine.coaching._text import lay_out
from heard.engine.coaching._types import CoachConfig, Coaching, HasEmotion

DEFAULT_CONFIG = CoachConfig()


def coach(
    draft: str,
    customer_message: str | None = None,
    customer_name: str | None = None,
    reading: HasEmotion | None = None,
    *,
    history: Sequence[Turn] = (),
    config: CoachConfig = DEFAULT_CONFIG,
) -> Coaching:
    """Coach one draft reply. Nothing is sent; the suggestion is the agent's to take or leave.

    `reading` is any object with an `.emotion` (e.g. the engine's Reading); without it the
    customer's message is read by `config.reader`, or by the coach's own light lexical read.
    `history` is the conversation before the customer's message, oldest first: a customer who
    had to write again unanswered needs their wait acknowledged, and a sentence the agent side
    already sent is marked as a repeated template.
    """
    earlier = tuple(turn.text for turn in history if turn.author == "agent")
    context = build_context(
        customer_message, customer_name, reading, config, unanswered(history), earlier
    )
    layout = lay_out(draft)
    examination = examine(layout, context)
    dims = dimensions(layout, examination.findings, examination.usable, context)
    return Coaching(
        score=combined(dims),
        findings=examination.findings,
        suggestion=suggest(layout, examination.findings, context),
        emotion=context.emotion,
        dimensions=dims,
    )
