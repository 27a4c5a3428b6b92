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
    cap = config.max_chars
    earlier = tuple(turn.text[:cap] for turn in history if turn.author == "agent")
    message = customer_message[:cap] if customer_message is not None else None
    context = build_context(message, customer_name, reading, config, unanswered(history), earlier)
    coached, rest = _cut(draft, cap)
    layout = lay_out(coached)
    examination = examine(layout, context)
    dims = dimensions(layout, examination.findings, examination.usable, context)
    suggestion = suggest(layout, examination.findings, context)
    return Coaching(
        score=combined(dims),
        findings=examination.findings,
        suggestion=f"{suggestion.rstrip()}\n\n{rest.lstrip()}" if rest.strip() else suggestion,
        emotion=context.emotion,
        dimensions=dims,
    )


def _cut(draft: str, cap: int) -> tuple[str, str]:
    """The draft's first `cap` characters at most (ending at a line break when one is in the
    second half) and the rest."""
    if len(draft) <= cap:
        return draft, ""
    at = draft.rfind("\n", cap // 2, cap)
    at = at + 1 if at > 0 else cap
    return draft[:at], draft[at:]
