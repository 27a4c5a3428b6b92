"""The demo's insights: the promises its acknowledgements made, and every day's figures.

The demo replays its conversations through the desk's actions but sends no email, so no
acknowledgement recorded a promised reply time. Here each email ticket gets the promise an
acknowledgement would have made when it arrived: the ticket's own first wait, give or take (a
forecast is sometimes too hopeful, sometimes too careful), rounded to the quarter hour as the
email says it. Then, once the demo is committed and the studio has coached every sent reply,
a job rolls up each day of its history (`heard demo` runs it before the demo is served).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from heard import jobs
from heard.desk import actions
from heard.desk.demo import TEAM_SLUGS
from heard.desk.models import Channel, Ticket
from heard.insights import tasks

SEED = 2031
QUARTER = timedelta(minutes=15)


def seed_insights(now: datetime, **_: Any) -> None:
    rng = random.Random(SEED)
    tickets = (
        Ticket.objects.filter(team__slug__in=TEAM_SLUGS, channel=Channel.EMAIL,
                              first_response_due_at__isnull=False)
        .select_related("team")
        .order_by("pk")
    )
    oldest = now
    for ticket in tickets:
        oldest = min(oldest, ticket.created_at)
        calendar = ticket.team.calendar()
        waited = calendar.between(ticket.created_at, ticket.first_responded_at or now)
        guess = max(waited * rng.uniform(0.6, 1.4), QUARTER)
        promised = _quarter(calendar.add(ticket.created_at, guess))
        actions.record_promise(ticket, promised, at=ticket.created_at + timedelta(seconds=30))
    first, last = timezone.localdate(oldest), timezone.localdate(now)
    jobs.enqueue(tasks.backfill, first.isoformat(), last.isoformat())


def _quarter(moment: datetime) -> datetime:
    """Rounded up to the next quarter hour, as the acknowledgement says a time."""
    past = timedelta(minutes=moment.minute % 15, seconds=moment.second,
                     microseconds=moment.microsecond)
    return moment if not past else moment - past + QUARTER
