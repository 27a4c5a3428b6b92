"""Who acts, and the ticket's event log: what every other action builds on."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from heard.desk.models import (
    Agent,
    Ticket,
    TicketEvent,
)

#: Who acts: the agent (a person at our end, whatever their role) on whose behalf an action runs,
#: from a page, the API or a command. Actions that Heard itself may run (a job, the watchdog,
#: mail intake) take `Actor | None`, None being Heard itself; where a row stores who acted as a
#: `User`, `_user_of` converts.
Actor = Agent


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _user_of(actor: Actor | None) -> User | None:
    """The user an actor's rows record (TicketEvent.actor, …); None for Heard itself."""
    return actor.user if actor is not None else None


def record_event(
    ticket: Ticket,
    actor: Actor | None,
    what: str,
    before: object = "",
    after: object = "",
    note: str = "",
    at: datetime | None = None,
) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        actor=_user_of(actor),
        what=what,
        before=str(before),
        after=str(after),
        note=note[:300],
        created_at=_now(at),
    )
