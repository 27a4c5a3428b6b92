"""The ticket's follow-up on its page: `{% follow_up_on_ticket ticket %}`."""

from __future__ import annotations

from typing import Any

from django import template

from heard.care import follow_ups
from heard.care.models import FollowUp
from heard.desk.models import Ticket

register = template.Library()


@register.inclusion_tag("care/_follow_up.html", takes_context=True)
def follow_up_on_ticket(context: template.Context, ticket: Ticket) -> dict[str, Any]:
    """Due, asked, answered, or why there is none. On the console's ticket page it reads the
    history and conversation the page loads anyway, so it adds no query unless the ticket has a
    follow-up (every follow-up sent is in the history)."""
    shown = follow_ups.on_ticket(ticket, _follow_up(context, ticket), context.get("conversation"))
    return {"shown": shown, "ticket": ticket}


def _follow_up(context: template.Context, ticket: Ticket) -> FollowUp | None:
    events = context.get("events")
    if events is not None and not any(event.what == follow_ups.EVENT for event in events):
        return None
    return FollowUp.objects.filter(ticket=ticket).select_related("ticket").first()
