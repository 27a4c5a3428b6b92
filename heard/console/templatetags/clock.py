"""Template filters that say how a reply clock stands, in words an agent reads at a glance."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone

from heard.desk.models import Ticket
from heard.desk.sla import BusinessCalendar

register = template.Library()


def humanize_duration(delta: timedelta) -> str:
    """'45 min', '3 h 10 min', '2 d 4 h' for a non-negative duration."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


@register.filter
def due_in(due: datetime | None) -> str:
    if due is None:
        return "not waiting on us"
    left = due - timezone.now()
    if left >= timedelta(0):
        return f"due in {humanize_duration(left)}"
    return f"overdue by {humanize_duration(-left)}"


def business_clock(due: datetime | None, calendar: BusinessCalendar) -> str:
    """The reply clock counted in the team's business hours: 'due in 3 h', 'overdue by 2 h'."""
    if due is None:
        return "not waiting on us"
    now = timezone.now()
    if due >= now:
        return f"due in {humanize_duration(calendar.between(now, due))}"
    return f"overdue by {humanize_duration(calendar.between(due, now))}"


@register.filter
def reply_clock(ticket: Ticket) -> str:
    """The ticket's reply clock in its team's business hours (the calendar is kept per team)."""
    if ticket.reply_due_at is None and ticket.needs_person():
        return "no reply target: it needs a person"
    return business_clock(ticket.reply_due_at, ticket.team.calendar())


@register.filter
def waiting_for(since: datetime | None) -> str:
    if since is None:
        return ""
    return humanize_duration(max(timezone.now() - since, timedelta(0)))


@register.filter
def is_overdue(due: datetime | None) -> bool:
    return due is not None and due < timezone.now()
