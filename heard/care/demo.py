"""The demo desk's follow-ups and survey answers: what its customers said about tickets solved a
while ago. Nothing is emailed: the demo writes to nobody."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from heard.care import follow_ups, surveys
from heard.care.models import Answer, FollowUp, Rating, Survey
from heard.desk import actions

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
    """The follow-ups first (`seed_follow_ups`: a survey waits for one answered "better"), then
    every demo ticket due a survey was offered one, as the periodic job would have done, and
    most customers answered it (so `heard serve` does not email them all at start)."""
    seed_follow_ups(now)
    rng = random.Random(SEED)
    after = timedelta(hours=settings.HEARD_SURVEY_AFTER_HOURS)
    for ticket in surveys.due(now).select_related("follow_up").order_by("pk"):
        assert ticket.solved_at is not None  # due() only yields solved tickets
        offered = ticket.solved_at + after
        better = getattr(ticket, "follow_up", None)  # the survey comes after its answer
        if better is not None and better.answered_at is not None:
            offered = max(offered, better.answered_at)
        survey = Survey.objects.create(ticket=ticket, created_at=offered)
        if rng.random() >= ANSWERED:
            continue
        rating = rng.choices(list(RATINGS), weights=list(RATINGS.values()))[0]
        comment = rng.choice(COMMENTS[rating]) if rng.random() < 0.5 else ""
        answered = min(offered + timedelta(hours=rng.uniform(0.2, 30)), now)
        surveys.answer(survey, rating, comment, now=answered)


FOLLOW_UPS_ANSWERED = 0.75
# Only answers of the last two days say "not yet" or "still broken": an older one would have
# been dealt with again by now, and the demo replays no agent's second answer.
WORSE_WITHIN = timedelta(days=2)
WORDS = {
    Answer.BETTER: ["", "", "All sorted, thank you!", "Works perfectly now."],
    Answer.NOT_YET: ["The refund still has not shown up on my statement."],
    Answer.BROKEN: ["It happened again this morning, same error as before."],
}


def seed_follow_ups(now: datetime) -> None:
    """Every demo ticket whose follow-up came due before `now` had it (as the periodic job
    would have sent it, but with no email), and most customers answered: "better" (the ticket
    closed), and the latest two "still broken" and "not yet" (reopened to their agent). The
    tickets solved lately still have theirs due."""
    rng = random.Random(SEED + 1)
    tickets = follow_ups.eligible().select_related("customer", "team").order_by("-solved_at")
    worse = [Answer.BROKEN, Answer.NOT_YET]
    for ticket in tickets:
        sent = follow_ups.due_at(ticket)
        if sent is None or sent > now:
            continue
        follow_up = FollowUp.objects.create(ticket=ticket, created_at=sent)
        note = "asked in the demo data (no email sent)"
        actions.record_event(ticket, None, follow_ups.EVENT, note=note, at=sent)
        if rng.random() >= FOLLOW_UPS_ANSWERED:
            continue
        answered = min(sent + timedelta(hours=rng.uniform(0.5, 30)), now)
        choice = worse.pop(0) if worse and now - answered < WORSE_WITHIN else Answer.BETTER
        follow_ups.answer(follow_up, choice, rng.choice(WORDS[choice]), now=answered)

