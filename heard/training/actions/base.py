"""What every training action shares: its refusals and the coach's judgement as stored."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.utils import timezone

from heard.engine import Coaching, coach
from heard.training.cases import CaseSpec
from heard.training.simulation import Felt

MAX_REPLY_CHARS = 6000  # practice replies are emails, not documents


class TrainingCode(StrEnum):
    """Every code a `TrainingError` carries; callers branch on it, never on the wording."""

    NOT_FOUND = "not_found"  # not among what the agent may see (never says it exists)
    NOT_ALLOWED = "not_allowed"  # seen, but not theirs to do this with (a lead's action)
    INVALID = "invalid"  # a value the studio does not know
    EMPTY = "empty"  # nothing written
    TOO_LONG = "too_long"
    WRONG_STEP = "wrong_step"  # an exercise step done out of order
    FINISHED = "finished"  # the attempt or session has ended


class TrainingError(Exception):
    """A request the studio refuses, with a message for the person and a stable `code`."""

    def __init__(self, message: str, code: TrainingCode = TrainingCode.INVALID) -> None:
        super().__init__(message)
        self.code = code


def now(at: datetime | None) -> datetime:
    return at or timezone.now()


def check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise TrainingError("Write something first.", TrainingCode.EMPTY)
    if len(text) > MAX_REPLY_CHARS:
        raise TrainingError(
            f"That is {len(text):,} characters; a practice reply may have {MAX_REPLY_CHARS:,}.",
            TrainingCode.TOO_LONG,
        )
    return text


def coach_reply(case: CaseSpec, text: str, customer_text: str | None = None) -> Coaching:
    """The coach on a reply to the case's customer, in the feeling the case gives them."""
    return coach(
        text,
        customer_message=customer_text if customer_text is not None else case.opening_text(),
        customer_name=case.name,
        reading=Felt(case.feeling),
    )


def stored(coaching: Coaching) -> dict[str, Any]:
    """The coaching as kept in a JSON column (the `heard coach` shape plus the emotion)."""
    return {**coaching.as_dict(), "emotion": coaching.emotion}
