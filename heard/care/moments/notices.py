"""Telling the people who answer for a moment: its team's lead, else the administrators."""

from __future__ import annotations

from heard.care.models import Moment
from heard.desk import actions
from heard.desk.models import Agent, Role


def leads(moment: Moment) -> list[int]:
    """The users to tell about the moment: its team's lead, else every administrator."""
    if moment.team is not None and moment.team.lead_id is not None:
        return [moment.team.lead_id]
    admins = Agent.objects.filter(role=Role.ADMIN, user__is_active=True)
    return list(admins.values_list("user_id", flat=True))


def tell_leads(moment: Moment, text: str) -> None:
    """An in-app notice (no ticket: a moment is about a customer, not a request)."""
    actions.notify(leads(moment), None, text)
