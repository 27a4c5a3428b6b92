"""Care beyond the ticket, one module per thing kept (Django finds them through this package)."""

from heard.care.models.follow_up import Answer, FollowUp
from heard.care.models.moment import (
    COMMITTED_STATES,
    OPEN_STATES,
    GiftKind,
    GiftState,
    Greeting,
    GreetingEvent,
    GreetingState,
    Moment,
    Occasion,
    Voucher,
    money,
)
from heard.care.models.survey import Rating, Survey

__all__ = [
    "COMMITTED_STATES",
    "OPEN_STATES",
    "Answer",
    "FollowUp",
    "GiftKind",
    "GiftState",
    "Greeting",
    "GreetingEvent",
    "GreetingState",
    "Moment",
    "Occasion",
    "Rating",
    "Survey",
    "Voucher",
    "money",
]
