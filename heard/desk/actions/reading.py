"""Reading the customer: readings in their conversation, corrections, and the ticket's mood."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from heard.desk import care_order
from heard.desk.actions.base import Actor, record_event
from heard.desk.actions.clock import _retarget
from heard.desk.actions.escalation import MANAGER_ESCALATION_FIELDS, _escalate_if_asked_for_manager
from heard.desk.errors import DeskError, ErrorCode
from heard.desk.models import (
    Direction,
    Emotion,
    Message,
    Priority,
    Ticket,
)
from heard.jobs import enqueue

if TYPE_CHECKING:
    from heard.engine import Reading


def _customer_message(
    ticket: Ticket, text: str, html: str, at: datetime, reading: Reading | None
) -> Message:
    if reading is not None:
        reading = in_conversation(ticket, reading, at)
    message = _first_message(ticket, text, html, at, reading)
    message.save()
    return message


def _first_message(
    ticket: Ticket, text: str, html: str, at: datetime, reading: Reading | None
) -> Message:
    """The first customer message of a ticket being opened, not saved yet (nor is the ticket):
    nothing came before it, so its reading stands as read (`in_conversation` of no history)."""
    read = {}
    if reading is not None:
        read = {"reading": reading_as_json(reading), "emotion": str(reading.emotion)}
    return Message(
        ticket=ticket, direction=Direction.CUSTOMER, text=text, html=html, created_at=at, **read
    )


def _follow_mood(ticket: Ticket, message: Message, first: bool = False) -> None:
    """The ticket's mood follows the customer's words: set here (the caller saves the ticket)
    when they came read, else once a job has read them."""
    if not message.emotion:
        from heard.desk.tasks import read_message  # tasks import this module

        enqueue(read_message, message.pk)
        return
    previous = None if first else _read_messages(ticket).exclude(pk=message.pk).first()
    _set_mood(ticket, message, previous)


# --- reading the customer --------------------------------------------------------------------

#: How far back a message's conversation is looked at for its context.
CONTEXT_LOOKBACK = 20


def in_conversation(
    ticket: Ticket, reading: Reading, at: datetime, message_id: int | None = None
) -> Reading:
    """`reading` of a customer message written at `at` on `ticket`, moved by the conversation
    before it as the engine's `in_context` says: the previous customer message's stored scores,
    and how many customer messages were already waiting for an answer."""
    from heard.engine import in_context

    earlier = ticket.messages.filter(direction__in=(Direction.CUSTOMER, Direction.AGENT))
    if message_id is None:
        earlier = earlier.filter(created_at__lte=at)
    else:
        earlier = earlier.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=message_id))
    waiting, answered, previous = 0, False, None
    rows = earlier.order_by("-created_at", "-pk").values_list("direction", "reading")
    for direction, stored in rows[:CONTEXT_LOOKBACK]:
        if direction == Direction.AGENT:
            answered = True
            continue
        waiting += not answered
        if previous is None and stored and stored.get("scores"):
            previous = stored["scores"]
        if answered and previous is not None:
            break
    return in_context(reading, previous, waiting)


# Writing again is not among them: the row tells it from the count of unanswered messages.
CARE_CUE_KINDS = ("time_pressure", "money", "blocked", "leaving", "loyalty")


def reading_as_json(reading: Reading) -> dict[str, object]:
    """What a message keeps of the engine's reading (enough to show and to re-rank)."""
    return {
        "scores": {str(k): round(v, 4) for k, v in reading.scores.items()},
        "confidence": round(reading.confidence, 4),
        "urgent": reading.urgent,
        "urgency": round(reading.urgency, 4),
        "churn_risk": round(reading.churn_risk, 4),
        "cues": [
            {"start": c.start, "end": c.end, "label": c.label, "kind": c.kind, "weight": c.weight}
            for c in reading.cues
        ],
        "language_supported": reading.language_supported,
        "note": reading.note,
    }


def read_customer_message(message_id: int) -> None:
    """Read one customer message with the engine and let the ticket's mood follow."""
    read_customer_messages(Message.objects.filter(pk=message_id, direction=Direction.CUSTOMER))


def read_customer_messages(messages: QuerySet[Message], batch: int = 64) -> int:
    """Read many customer messages, committing a batch at a time; returns how many were read.

    An agent's correction is never overwritten by a reading that arrives later.
    """
    from heard.engine import read_many

    done = 0
    pending = list(
        messages.filter(emotion_corrected_at__isnull=True)
        .select_related("ticket")
        .order_by("created_at", "pk")
    )
    for start in range(0, len(pending), batch):
        chunk = pending[start : start + batch]
        readings = read_many([message.text for message in chunk])
        with transaction.atomic():
            tickets = set()
            for message, reading in zip(chunk, readings, strict=True):
                reading = in_conversation(message.ticket, reading, message.created_at, message.pk)
                done += Message.objects.filter(
                    pk=message.pk, emotion_corrected_at__isnull=True
                ).update(reading=reading_as_json(reading), emotion=str(reading.emotion))
                tickets.add(message.ticket_id)
            for ticket_id in sorted(tickets):
                refresh_mood(ticket_id)
    return done


@transaction.atomic
def correct_emotion(message: Message, agent: Actor, emotion: str) -> Message:
    """An agent's reading of the customer wins over the engine's and re-ranks the ticket."""
    if emotion not in Emotion.values:
        raise DeskError(
            f"'{emotion}' is not one of the emotions Heard tells apart.", ErrorCode.INVALID
        )
    if message.direction != Direction.CUSTOMER:
        raise DeskError("Only the customer's own messages carry an emotion.", ErrorCode.INVALID)
    before = message.emotion or "unread"
    message.emotion = emotion
    message.emotion_corrected_by = agent.user
    message.emotion_corrected_at = timezone.now()
    message.save(update_fields=["emotion", "emotion_corrected_by", "emotion_corrected_at"])
    record_event(message.ticket, agent, "mood corrected", before, emotion)
    refresh_mood(message.ticket_id)
    return message


def refresh_mood(ticket_id: int) -> None:
    """Set the ticket's mood, trend, urgency and churn risk from its latest read messages, and
    escalate it if a message just read asks for a manager."""
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket_id)
    read = list(_read_messages(ticket)[:2])
    if not read:
        return
    raised = _set_mood(ticket, read[0], read[1] if len(read) > 1 else None)
    escalated = _escalate_if_asked_for_manager(ticket, timezone.now())
    ticket.save(
        update_fields=MOOD_FIELDS
        + (MANAGER_ESCALATION_FIELDS if escalated else [])
        + (PRIORITY_FIELDS if raised else [])
    )


MOOD_FIELDS = ["mood", "mood_confidence", "mood_trend", "urgency", "churn_risk", "care_cues"]
PRIORITY_FIELDS = [
    "priority",
    "reply_due_at",
    "sla_warn_at",
    "sla_check_at",
    "sla_stage",
    "sla_paused_remaining",
    "first_response_due_at",
    "next_response_due_at",
]


def _read_messages(ticket: Ticket) -> QuerySet[Message]:
    """The customer's messages that carry an emotion, latest first."""
    return (
        ticket.messages.filter(direction=Direction.CUSTOMER)
        .exclude(emotion="")
        .order_by("-created_at", "-pk")
    )


def _set_mood(ticket: Ticket, latest: Message, previous: Message | None) -> bool:
    """Set the ticket's mood from its latest read message; a message that reads urgent raises
    a lower priority to high, so that what the acknowledgement says of it is true. Returns
    whether it did (the caller saves the ticket)."""
    reading = latest.reading or {}
    ticket.mood = latest.emotion
    ticket.mood_confidence = latest.emotion_confidence()
    answered = previous is not None and (
        ticket.messages.filter(
            direction=Direction.AGENT,
            created_at__gte=previous.created_at,
            created_at__lte=latest.created_at,
        ).exists()
    )
    ticket.mood_trend = care_order.mood_trend(
        previous.emotion_scores() if previous else None,
        latest.emotion_scores(),
        answered=answered,
    )
    ticket.urgency = float(reading.get("urgency", 0.0))
    ticket.churn_risk = float(reading.get("churn_risk", 0.0))
    cues = [c for c in reading.get("cues", []) if c.get("kind") in CARE_CUE_KINDS]
    kept = [ticket.needs_person()] if ticket.needs_person() else []  # a message read again
    ticket.care_cues = kept + [c["label"] for c in sorted(cues, key=lambda c: -c.get("weight", 0))]
    return _raise_if_urgent(ticket, latest)


URGENT_PRIORITIES = (Priority.HIGH, Priority.URGENT)


def _raise_if_urgent(ticket: Ticket, latest: Message) -> bool:
    """An urgent reading (not an agent's correction) raises the priority to high, audited."""
    urgent = bool((latest.reading or {}).get("urgent")) and latest.emotion_corrected_at is None
    if not urgent or ticket.priority in URGENT_PRIORITIES or latest.direction != Direction.CUSTOMER:
        return False
    before = ticket.priority
    _retarget(ticket, Priority.HIGH)
    note = "the customer's message reads urgent"
    record_event(ticket, None, "priority", before, ticket.priority, note)
    return True
