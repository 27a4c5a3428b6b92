"""What the webhooks listen to. The desk and care announce what happened (their signals); a
ticket opened, a message read and a ticket solved are heard from the desk's rows being saved
(the desk sends no signal of its own for them). Each receiver only queues a job, and only for a
team with a webhook for that event: nothing slows the desk's transaction down, and a change that
rolls back announces nothing."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models.signals import post_delete, post_save

from heard.api.models import Event, Subscription
from heard.api.webhooks import events
from heard.care import signals as care_signals
from heard.care.models import FollowUp, Survey
from heard.desk import signals as desk_signals
from heard.desk.models import Message, Status, Ticket, TicketEvent
from heard.jobs import enqueue

REMOVED = "[removed at the customer's request]"


def connect() -> None:
    post_save.connect(ticket_saved, sender=Ticket, dispatch_uid="api.webhooks.ticket")
    post_save.connect(history_written, sender=TicketEvent, dispatch_uid="api.webhooks.history")
    desk_signals.agent_replied.connect(replied, dispatch_uid="api.webhooks.reply")
    desk_signals.ticket_escalated.connect(escalated, dispatch_uid="api.webhooks.escalated")
    desk_signals.customer_forgotten.connect(forgotten, dispatch_uid="api.webhooks.forget")
    care_signals.survey_answered.connect(survey_answered, dispatch_uid="api.webhooks.survey")
    care_signals.follow_up_answered.connect(
        follow_up_answered, dispatch_uid="api.webhooks.follow_up"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            subscriptions_changed, sender=Subscription, dispatch_uid=f"api.webhooks.{signal}"
        )


def _queue(event: str, team_id: int, key: str, ticket_id: int, about: int | None = None,
           note: str = "") -> None:
    if events.subscribed(team_id, event):
        from heard.api.tasks import announce  # tasks import this module

        enqueue(announce, event, key, ticket_id, about, note)


def ticket_saved(sender: Any, instance: Ticket, created: bool, **kwargs: Any) -> None:
    """A ticket opened; or saved after its customer's message was read (the engine's reading
    sets its mood), so the message can be announced with its reading."""
    if created:
        _queue(Event.TICKET_CREATED, instance.team_id, f"ticket:{instance.pk}", instance.pk)
        if not instance.mood:  # opened with its message read (mail intake reads first): told too
            return
    fields = kwargs.get("update_fields")
    if (fields is None or "mood" in fields) and events.subscribed(
        instance.team_id, Event.MESSAGE_RECEIVED
    ):
        from heard.api.tasks import announce_read_messages

        enqueue(announce_read_messages, instance.pk)


def history_written(sender: Any, instance: TicketEvent, created: bool, **kwargs: Any) -> None:
    """The ticket's history says it was solved (by a reply, the ticket form, the API)."""
    if created and instance.what == "status" and instance.after == Status.SOLVED:
        team_id = instance.ticket.team_id
        _queue(Event.TICKET_SOLVED, team_id, f"solved:{instance.pk}", instance.ticket_id)


def replied(sender: Any, message: Message, **kwargs: Any) -> None:
    team_id = message.ticket.team_id
    _queue(Event.REPLY_SENT, team_id, f"message:{message.pk}", message.ticket_id, message.pk)


def escalated(sender: Any, ticket_id: int, reason: str, **kwargs: Any) -> None:
    if not events.subscribed(None, Event.TICKET_ESCALATED):
        return
    team_id = Ticket.objects.filter(pk=ticket_id).values_list("team_id", flat=True).first()
    if team_id is not None:
        key = f"escalated:{ticket_id}:{uuid.uuid4().hex}"  # each escalation is its own event
        _queue(Event.TICKET_ESCALATED, team_id, key, ticket_id, note=reason)


def survey_answered(sender: Any, survey: Survey, **kwargs: Any) -> None:
    at = survey.answered_at.isoformat() if survey.answered_at else ""
    _queue(
        Event.SURVEY_ANSWERED,
        survey.ticket.team_id,
        f"survey:{survey.pk}:{at}",  # each change of the answer is told
        survey.ticket_id,
        survey.pk,
    )


def follow_up_answered(sender: Any, follow_up: FollowUp, ticket: Ticket, **kwargs: Any) -> None:
    at = follow_up.answered_at.isoformat() if follow_up.answered_at else ""
    _queue(
        Event.FOLLOW_UP_ANSWERED,
        follow_up.ticket.team_id,
        f"follow_up:{follow_up.pk}:{at}",
        follow_up.ticket_id,
        follow_up.pk,
        note=str(ticket.pk),
    )


def forgotten(sender: Any, ticket_ids: list[int], **kwargs: Any) -> None:
    """A forgotten customer's words leave the stored payloads, and nothing about them is sent
    any more."""
    from heard.api.models import OPEN_DELIVERY_STATES, Delivery, DeliveryState, WebhookEvent

    told = WebhookEvent.objects.filter(ticket__in=ticket_ids)
    Delivery.objects.filter(event__in=told, state__in=OPEN_DELIVERY_STATES).update(
        state=DeliveryState.FAILED, error="not sent: the customer asked to be forgotten"
    )
    told.update(payload={"removed": REMOVED})


def subscriptions_changed(sender: Any, **kwargs: Any) -> None:
    events.forget_subscribers()
