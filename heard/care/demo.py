"""The demo desk's survey answers: what its customers said about tickets solved a while ago."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from heard.care import surveys
from heard.care.models import Rating, Survey

SEED = 2028
ANSWERED = 0.7  # the share of customers who answer
RATINGS = {
    Rating.VERY_HAPPY: 45,
    Rating.HAPPY: 28,
    Rating.OKAY: 12,
    Rating.UNHAPPY: 9,
    Rating.VERY_UNHAPPY: 6,
}
COMMENTS = {
    Rating.VERY_HAPPY: ["Fast and friendly, thank you!", "Sorted in minutes. Great help."],
    Rating.HAPPY: ["Good help, took a little while.", "Thanks, all working now."],
    Rating.OKAY: ["Fixed in the end, but I had to explain it twice."],
    Rating.UNHAPPY: ["It took three emails before anyone understood the problem."],
    Rating.VERY_UNHAPPY: ["I was told to read the manual. Not helpful."],
}


def seed_surveys(now: datetime, **_: Any) -> None:
    """Every demo ticket due a survey was offered one, as the periodic job would have done,
    and most customers answered it (so `heard serve` does not email them all at start)."""
    rng = random.Random(SEED)
    after = timedelta(hours=settings.HEARD_SURVEY_AFTER_HOURS)
    for ticket in surveys.due(now).order_by("pk"):
        assert ticket.solved_at is not None  # due() only yields solved tickets
        offered = ticket.solved_at + after
        survey = Survey.objects.create(ticket=ticket, created_at=offered)
        if rng.random() >= ANSWERED:
            continue
        rating = rng.choices(list(RATINGS), weights=list(RATINGS.values()))[0]
        comment = rng.choice(COMMENTS[rating]) if rng.random() < 0.5 else ""
        answered = min(offered + timedelta(hours=rng.uniform(0.2, 30)), now)
        surveys.answer(survey, rating, comment, now=answered)
