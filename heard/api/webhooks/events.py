"""Announcing what happened: one `WebhookEvent` per thing, with its payload, and a `Delivery`
for each subscription of the ticket's team that listens to it."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from heard.api import outputs
from heard.api.models import Delivery, Event, Subscription, WebhookEvent
from heard.care.models import FollowUp, Survey
from heard.desk.models import Direction, Message, Ticket
from heard.jobs import enqueue

GRACE = timedelta(minutes=1)  # a pending delivery's own job sends it; after this, the sweep
_CACHE_SECONDS = 10.0
_cache: tuple[float, dict[str, set[int]]] | None = None


def subscribed(team_id: int | None, event: str) -> bool:
    """Whether the team (None: any team) has an active webhook for `event`: asked on every
    ticket save, so it is answered from memory, read again at most every 10 seconds (a new
    webhook is heard of that fast in other processes, at once in this one)."""
    global _cache
    now = time.monotonic()
    if _cache is None or _cache[0] < now:
        teams: dict[str, set[int]] = {}
        for team_id_, events in Subscription.objects.filter(active=True).values_list(
            "team_id", "events"
        ):
            for name in events:
                teams.setdefault(name, set()).add(team_id_)
        _cache = (now + _CACHE_SECONDS, teams)
    listening = _cache[1].get(event, set())
    return bool(listening) if team_id is None else team_id in listening


def forget_subscribers() -> None:
    """Read the subscriptions again at the next question (one was added or changed)."""
    global _cache
    _cache = None


def listening(team_id: int, event: str) -> list[Subscription]:
    found = Subscription.objects.filter(team=team_id, active=True).order_by("pk")
    return [subscription for subscription in found if subscription.listens_to(event)]


@transaction.atomic
def announce(
    event: str,
    key: str,
    ticket_id: int,
    about: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> WebhookEvent | None:
    """Record the event `key` once, with its payload built from the rows as they stand, and
    queue its deliveries; None when nobody listens (or the ticket is gone)."""
    now = now or timezone.now()
    ticket = outputs.tickets_loaded(Ticket.objects.filter(pk=ticket_id)).first()
    if ticket is None:
        return None
    subscriptions = listening(ticket.team_id, event)
    if not subscriptions:
        return None
    made, created = WebhookEvent.objects.get_or_create(
        name=event,
        key=key[:100],
        defaults={
            "team": ticket.team,
            "ticket": ticket,
            "payload": _json(payload(event, ticket, about, note)),
            "created_at": now,
        },
    )
    Delivery.objects.bulk_create(
        [
            Delivery(subscription=s, event=made, next_attempt_at=now + GRACE, created_at=now)
            for s in subscriptions
            if s.created_at <= made.created_at
        ],
        ignore_conflicts=True,  # announced before: each subscription gets it once
    )
    if created:
        from heard.api.tasks import deliver_webhook  # tasks import this module

        for pk in Delivery.objects.filter(event=made).values_list("pk", flat=True):
            enqueue(deliver_webhook, pk)
    return made


def announce_read_messages(ticket_id: int) -> int:
    """Announce the ticket's customer messages that the engine has read and no webhook was
    told of yet (their reading is part of the event); returns how many."""
    team_id = Ticket.objects.filter(pk=ticket_id).values_list("team_id", flat=True).first()
    subscriptions = listening(team_id, Event.MESSAGE_RECEIVED) if team_id else []
    if not subscriptions:
        return 0
    since = min(s.created_at for s in subscriptions)
    read = Message.objects.filter(
        ticket=ticket_id, direction=Direction.CUSTOMER, created_at__gte=since
    ).exclude(emotion="")
    keys = {f"message:{pk}": pk for pk in read.values_list("pk", flat=True)}
    told = set(
        WebhookEvent.objects.filter(name=Event.MESSAGE_RECEIVED, key__in=keys).values_list(
            "key", flat=True
        )
    )
    fresh = [(key, pk) for key, pk in keys.items() if key not in told]
    for key, pk in fresh:
        announce(Event.MESSAGE_RECEIVED, key, ticket_id, pk)
    return len(fresh)


def payload(event: str, ticket: Ticket, about: int | None, note: str) -> dict[str, Any]:
    """What a delivery of the event says (besides its id and time): the ticket as the API shows
    it, and what the event is about."""
    data: dict[str, Any] = {"ticket": outputs.ticket(ticket)}
    if event in (Event.MESSAGE_RECEIVED, Event.REPLY_SENT) and about is not None:
        message = outputs.messages_loaded(Message.objects.filter(pk=about)).first()
        data["message"] = outputs.message(message) if message is not None else None
    elif event == Event.TICKET_ESCALATED:
        data["reason"] = note
    elif event == Event.SURVEY_ANSWERED:
        survey = Survey.objects.select_related("ticket").filter(pk=about or 0).first()
        data["survey"] = outputs.survey(survey) if survey is not None else None
    elif event == Event.FOLLOW_UP_ANSWERED:
        follow_up = FollowUp.objects.select_related("ticket").filter(pk=about or 0).first()
        data["follow_up"] = outputs.follow_up(follow_up) if follow_up is not None else None
        data["goes_on_in"] = int(note) if note.isdigit() else ticket.pk
    return {"event": event, "team": outputs.team(ticket.team), "data": data}


def _json(value: dict[str, Any]) -> dict[str, Any]:
    """Dates and times as the API writes them, so the stored payload is plain JSON."""
    loaded: dict[str, Any] = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return loaded
