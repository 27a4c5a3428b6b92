"""What a lead sees of their moments: budgets used and left, batches, held greetings, gifts
that are retrying or failed; and what an agent sees of a customer's greetings on a ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from heard.care.models import (
    COMMITTED_STATES,
    GiftState,
    Greeting,
    GreetingState,
    Moment,
    money,
)
from heard.care.moments import budget, occasions
from heard.desk.models import Agent, Ticket

RECENT = 20  # sent and skipped greetings shown under a batch


def moments_for(agent: Agent, today: date | None = None) -> QuerySet[Moment]:
    """The agent's moments with this month's figures, in one query."""
    today = today or timezone.localdate()
    this_month = Q(
        greetings__occasion_date__year=today.year, greetings__occasion_date__month=today.month
    )
    committed = Q(greetings__state__in=COMMITTED_STATES) | Q(
        greetings__gift_state=GiftState.DELIVERED
    )
    awaiting = Q(greetings__state=GreetingState.AWAITING)
    return (
        Moment.objects.led_by(agent)
        .select_related("team")
        .annotate(
            committed_cents=Sum("greetings__cost_cents", filter=this_month & committed),
            awaiting=Count("greetings", filter=awaiting),
            awaiting_cents=Sum("greetings__cost_cents", filter=awaiting),
            held=Count("greetings", filter=Q(greetings__state=GreetingState.HELD)),
            retrying=Count("greetings", filter=Q(greetings__gift_state=GiftState.RETRYING)),
            failed=Count("greetings", filter=Q(greetings__state=GreetingState.FAILED)),
        )
    )


@dataclass(frozen=True)
class MonthOfBatch:
    """One month the batch falls in: its budget, and what approving all of it would cost."""

    month: budget.Month
    batch_cents: int

    @property
    def fits(self) -> bool:
        return self.batch_cents <= self.month.left

    def __str__(self) -> str:
        cost = money(self.batch_cents, self.month.currency)
        return f"{self.month}; this batch: {cost}"


@dataclass(frozen=True)
class Batch:
    moment: Moment
    awaiting: list[Greeting]
    months: list[MonthOfBatch]
    held: list[Greeting]
    approved: list[Greeting]
    gifts: list[Greeting]  # retrying or failed
    recent: list[Greeting]  # sent or skipped lately

    @property
    def cost(self) -> str:
        return money(sum(g.cost_cents for g in self.awaiting), self.moment.currency)


def batch(moment: Moment) -> Batch:
    greetings = Greeting.objects.filter(moment=moment).select_related("customer", "held_for")
    by_day = greetings.order_by("occasion_date", "pk")
    awaiting = list(by_day.filter(state=GreetingState.AWAITING))
    for greeting in awaiting:  # what approving would cost now, as `approve` counts it
        greeting.cost_cents, greeting.currency = moment.cost(), moment.currency
    months = sorted({g.occasion_date.replace(day=1) for g in awaiting})
    return Batch(
        moment=moment,
        awaiting=awaiting,
        months=[
            MonthOfBatch(
                budget.month(moment, first),
                sum(g.cost_cents for g in awaiting if g.occasion_date.replace(day=1) == first),
            )
            for first in months
        ],
        held=list(by_day.filter(state=GreetingState.HELD)),
        approved=list(by_day.filter(state=GreetingState.APPROVED)),
        gifts=list(
            greetings.filter(
                Q(gift_state=GiftState.RETRYING) | Q(state=GreetingState.FAILED)
            ).order_by("-occasion_date")
        ),
        recent=list(
            greetings.filter(state__in=[GreetingState.SENT, GreetingState.SKIPPED]).order_by(
                "-occasion_date", "-pk"
            )[:RECENT]
        ),
    )


def on_ticket(greeting: Greeting, ticket: Ticket, now: datetime | None = None) -> str:
    """'Birthday on Friday: greeting held while this is open', for an agent on the ticket."""
    now = now or timezone.now()
    when = _when(greeting.occasion_date, occasions.local_today(greeting.customer, now))
    what = {
        GreetingState.AWAITING: "greeting awaiting a lead's approval",
        GreetingState.APPROVED: "greeting approved, sent that morning",
    }.get(GreetingState(greeting.state), f"greeting held: {greeting.why}")
    if greeting.state == GreetingState.HELD and greeting.held_for_id == ticket.pk:
        what = "greeting held while this is open"
    return f"{greeting.moment.occasion_label()} {when}: {what}"


def _when(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    phrase = f"on {day:%A}" if abs((day - today).days) < 7 else f"on {day.day} {day:%B}"
    return phrase if day > today else f"was {phrase}"
