"""Narrowing an agent's queue: whose tickets, which team, mood and status, and a search.

The queue is always the agent's teams' tickets in care order; a filter only takes rows away.
Search understands a ticket reference ("HRD-1042"), an email address (or part of one), and
otherwise words, each of which must appear in the subject, the customer's name or something
the customer wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Q

from heard.desk.models import (
    Agent,
    CustomerEmail,
    Direction,
    Message,
    Ticket,
    TicketQuerySet,
    parse_reference,
)


class View(models.TextChoices):
    ALL = "all", "All my teams' tickets"
    MINE = "mine", "Assigned to me"
    UNASSIGNED = "unassigned", "Unassigned"
    ESCALATED = "escalated", "Escalated"


@dataclass(frozen=True)
class QueueFilter:
    view: str = View.ALL
    team: int | None = None  # one of the agent's teams, or None for all of them
    mood: str = ""  # an Emotion value, or "" for any
    status: str = ""  # a Status value, or "" for every active status
    query: str = ""

    def is_narrowed(self) -> bool:
        return self != QueueFilter()

    def apply(self, agent: Agent) -> TicketQuerySet:
        """The agent's queue with this filter applied, still to be ordered."""
        tickets = Ticket.objects.visible_to(agent)
        tickets = tickets.filter(status=self.status) if self.status else tickets.active()
        if self.view == View.MINE:
            tickets = tickets.filter(assignee=agent)
        elif self.view == View.UNASSIGNED:
            tickets = tickets.filter(assignee__isnull=True)
        elif self.view == View.ESCALATED:
            tickets = tickets.filter(escalated=True)
        if self.team is not None:  # within the agent's teams only: visible_to already holds
            tickets = tickets.filter(team=self.team)
        if self.mood:
            tickets = tickets.filter(mood=self.mood)
        return search(tickets, self.query)


def search(tickets: TicketQuerySet, query: str) -> TicketQuerySet:
    query = query.strip()
    if not query:
        return tickets
    reference = parse_reference(query)
    if reference is not None:
        return tickets.filter(pk=reference)
    if "@" in query:
        address = CustomerEmail.objects.filter(
            customer=OuterRef("customer"), address__icontains=query
        )
        return tickets.filter(Exists(address))
    for word in query.split()[:8]:  # a pasted paragraph is not a search
        wrote = Message.objects.filter(
            ticket=OuterRef("pk"), direction=Direction.CUSTOMER, text__icontains=word
        )
        tickets = tickets.filter(
            Q(subject__icontains=word) | Q(customer__name__icontains=word) | Exists(wrote)
        )
    return tickets
