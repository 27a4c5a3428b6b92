"""\"Why empathy pays\": the team's own figures, by how warm the replies were.

Over the tickets of the agent's teams solved within `WINDOW` that have at least one coached
reply (`ReplyCoaching`), each ticket falls in a band by the mean coach score of its replies.
Per band: how many tickets, how many satisfaction answers and the share of them that were happy
or very happy (and the mean answer, 1 to 5), and the reopen rate (the share of tickets a
customer's message reopened after they were solved, from the desk's status history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg
from django.utils import timezone

from heard.care.models import Rating, Survey
from heard.desk.models import Agent, Status, Ticket, TicketEvent
from heard.training.models import ReplyCoaching

WINDOW = timedelta(days=180)
BANDS = ((80, "80 to 100"), (50, "50 to 79"), (0, "under 50"))
FEW = 10  # fewer tickets than this in a band: too few to read anything into
HAPPY = (Rating.HAPPY, Rating.VERY_HAPPY)


@dataclass(frozen=True)
class Band:
    label: str
    tickets: int
    answers: int
    happy: int
    rating_total: int
    reopened: int

    @property
    def happy_share(self) -> float | None:
        return self.happy / self.answers if self.answers else None

    @property
    def mean_rating(self) -> float | None:
        return self.rating_total / self.answers if self.answers else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.tickets if self.tickets else None

    @property
    def too_few(self) -> bool:
        return self.tickets < FEW


def figures(agent: Agent, now: datetime | None = None) -> list[Band]:
    """The bands, warmest first, for the tickets the agent's teams solved lately."""
    now = now or timezone.now()
    tickets = Ticket.objects.visible_to(agent).filter(
        solved_at__gte=now - WINDOW, status__in=[Status.SOLVED, Status.CLOSED]
    )
    means = dict(
        ReplyCoaching.objects.filter(ticket__in=tickets)
        .values("ticket")
        .annotate(mean=Avg("score"))
        .values_list("ticket", "mean")
    )
    ratings: dict[int, int] = {
        ticket_id: rating
        for ticket_id, rating in Survey.objects.filter(
            ticket__in=list(means), rating__isnull=False
        ).values_list("ticket_id", "rating")
        if rating is not None
    }
    reopened = set(
        TicketEvent.objects.filter(
            ticket__in=list(means), what="status", before=Status.SOLVED,
            after__in=[Status.OPEN, Status.NEW, Status.PENDING],
        ).values_list("ticket_id", flat=True)
    )
    bands = []
    for floor, label in BANDS:
        ceiling = min((f for f, _ in BANDS if f > floor), default=101)
        inside = [t for t, mean in means.items() if floor <= mean < ceiling]
        answered = [ratings[t] for t in inside if t in ratings]
        bands.append(Band(
            label=label,
            tickets=len(inside),
            answers=len(answered),
            happy=sum(1 for r in answered if r in HAPPY),
            rating_total=sum(answered),
            reopened=sum(1 for t in inside if t in reopened),
        ))
    return bands
