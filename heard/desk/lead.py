"""What a team lead needs at a glance: escalations and why, who is overloaded, missed targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from heard.desk.models import ACTIVE_STATUSES, Agent, Role, Ticket

LEADING_ROLES = (Role.LEAD, Role.ADMIN)


@dataclass(frozen=True)
class Load:
    agent: Agent
    open_tickets: int

    @property
    def overloaded(self) -> bool:
        return self.open_tickets >= self.agent.max_open_tickets


@dataclass(frozen=True)
class Overview:
    escalations: list[Ticket]
    load: list[Load]  # busiest first
    overdue: list[Ticket]  # every active ticket past its reply target, the longest overdue first
    start_of_day: datetime  # midnight in the console's time zone, for "missed today"

    @property
    def missed_today(self) -> int:
        """How many of the overdue tickets missed their target today (the rest did earlier)."""
        start = self.start_of_day
        return sum(1 for t in self.overdue if t.reply_due_at and t.reply_due_at >= start)


def is_lead(agent: Agent) -> bool:
    return agent.role in LEADING_ROLES


def overview(agent: Agent, now: datetime | None = None) -> Overview:
    """The lead's teams as they stand now (an administrator sees every team)."""
    now = now or timezone.now()
    tickets = Ticket.objects.visible_to(agent).active().select_related("customer", "assignee__user")
    agents = Agent.objects.select_related("user").filter(user__is_active=True)
    if not agent.sees_all_teams():
        agents = agents.filter(teams__in=agent.teams.all())
    counted = agents.distinct().annotate(
        open_count=Count("tickets", filter=Q(tickets__status__in=ACTIVE_STATUSES), distinct=True)
    )
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return Overview(
        escalations=list(tickets.filter(escalated=True).order_by("-escalated_at")),
        load=sorted(
            (Load(a, a.open_count) for a in counted),  # type: ignore[attr-defined]
            key=lambda load: (-load.open_tickets, str(load.agent)),
        ),
        # All of them, not only today's: a target missed yesterday and still unanswered is the
        # first thing a lead must see, and the list says what its count counts.
        overdue=list(
            tickets.filter(reply_due_at__lt=now).select_related("team").order_by("reply_due_at")
        ),
        start_of_day=start_of_day,
    )
