"""Who acts, and the ticket's event log: what every other action builds on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models.signals import post_save
from django.utils import timezone

from heard.desk.models import (
    Agent,
    Ticket,
    TicketEvent,
)

_local = threading.local()

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
    """Add a row to the ticket's history (inside `events_together`, with the block's others)."""
    event = TicketEvent(
        ticket=ticket,
        actor=_user_of(actor),
        what=what,
        before=str(before),
        after=str(after),
        note=note[:300],
        created_at=_now(at),
    )
    pending: list[TicketEvent] | None = getattr(_local, "events", None)
    if pending is None:
        event.save()
    else:
        pending.append(event)


@contextmanager
def events_together() -> Iterator[None]:
    """Write the history rows recorded in this block in one insert, in order, when it ends.

    Opening a ticket records several (created, assigned, routed, …), some before the ticket row
    itself is written; nothing in the block may read them back. A nested block leaves its rows
    to the outer one; an error discards the rows of the block it leaves, as its transaction (or
    savepoint) undoes the rest of its work.
    """
    pending: list[TicketEvent] | None = getattr(_local, "events", None)
    if pending is not None:
        kept = len(pending)
        try:
            yield
        except BaseException:
            del pending[kept:]  # what failed in here is undone: so is its history
            raise
        return
    _local.events = []
    try:
        yield
        written = TicketEvent.objects.bulk_create(_local.events)
    finally:
        _local.events = None
    for event in written:  # as `save()` would announce each (webhooks listen for some)
        post_save.send(TicketEvent, instance=event, created=True, update_fields=None, raw=False)
