"""The coach's judgement of every reply agents send, kept for suggestions and progress."""

from __future__ import annotations

from heard.desk.models import Agent, Direction, Message
from heard.engine import coach
from heard.training.models import ReplyCoaching


def record_reply_coaching(message_id: int) -> ReplyCoaching | None:
    """Coach a sent reply against the customer message before it and keep the result; safe to
    run twice (the second run changes nothing). None for anything but an agent's reply."""
    message = (
        Message.objects.select_related("ticket__customer")
        .filter(pk=message_id, direction=Direction.AGENT)
        .first()
    )
    if message is None or message.author_id is None:
        return None
    agent = Agent.objects.filter(user_id=message.author_id).first()
    if agent is None:
        return None
    before = (
        message.ticket.messages.filter(
            direction=Direction.CUSTOMER, created_at__lte=message.created_at
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    coaching = coach(
        message.text,
        customer_message=before.text if before else None,
        customer_name=message.ticket.customer.address_name() or None,
        reading=before if before is not None and before.emotion else None,
    )
    row, _ = ReplyCoaching.objects.get_or_create(
        message=message,
        defaults={
            "ticket_id": message.ticket_id,
            "agent": agent,
            "sent_at": message.created_at,
            "score": coaching.score,
            "empathy": coaching.dimensions.get("empathy", 0),
            "respect": coaching.dimensions.get("respect", 0),
            "clarity": coaching.dimensions.get("clarity", 0),
            "codes": sorted(coaching.codes),
        },
    )
    return row
