"""Everything Heard holds about a customer, for them to download (My account, "Export my data").

Theirs: their details, addresses, every consent change, automatic updates, and each request
with its conversation as they saw it (their messages, our replies, our automatic messages),
the files in it by name, how our software read each of their messages, and their survey
answers. Not theirs: the notes our team writes for each other, on a request or about them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from heard.desk.models import Consent, Customer, Direction, Message, Ticket
from heard.portal.conversation import public_messages

ABOUT = (
    "Everything we hold about you: your details, your addresses, each time you gave or "
    "withdrew a consent, and your requests with their conversations, as you saw them. "
    "'reading' is how our software read each of your messages (the feeling it found, and how "
    "urgent it seemed and how likely you were to leave us, from 0 to 1): it helps us answer "
    "first whoever is waiting and hurting most. Notes our team writes for each other are not "
    "included."
)
FROM = {Direction.CUSTOMER: "you", Direction.AGENT: "our team", Direction.SYSTEM: "automatic"}


def my_data(customer: Customer) -> dict[str, Any]:
    tickets = (
        Ticket.objects.filter(customer=customer)
        .select_related("team", "survey")
        .prefetch_related(public_messages())
        .order_by("created_at")
    )
    return {
        "about": ABOUT,
        "exported_at": _when(timezone.now()),
        "you": {
            "name": customer.name,
            "preferred_name": customer.preferred_name,
            "birthday": _when(customer.birthday),
            "language": customer.language,
            "time_zone": customer.time_zone,
            "customer_since": _when(customer.created_at),
        },
        "addresses": [
            {"address": e.address, "primary": e.is_primary, "added": _when(e.created_at)}
            for e in customer.emails.order_by("pk")
        ],
        "consents": [_consent(c) for c in customer.consents.order_by("at", "pk")],
        "automatic_updates": {
            "on": customer.updates_stopped_at is None,
            "stopped_at": _when(customer.updates_stopped_at),
        },
        "requests": [_request(ticket) for ticket in tickets],
    }


def _consent(change: Consent) -> dict[str, Any]:
    return {"kind": change.get_kind_display(), "given": change.given, "at": _when(change.at),
            "how": change.how()}  # fmt: skip


def _request(ticket: Ticket) -> dict[str, Any]:
    survey = getattr(ticket, "survey", None)
    return {
        "reference": ticket.reference,
        "subject": ticket.subject,
        "status": ticket.get_status_display(),
        "team": ticket.team.name,
        "came_by": ticket.get_channel_display(),
        "opened": _when(ticket.created_at),
        "solved": _when(ticket.solved_at),
        "closed": _when(ticket.closed_at),
        "messages": [_message(m) for m in ticket.messages.all()],
        "survey": (
            {"answer": survey.get_rating_display(), "comment": survey.comment}
            if survey is not None and survey.rating
            else None
        ),
    }


def _message(message: Message) -> dict[str, Any]:
    found: dict[str, Any] = {
        "at": _when(message.created_at),
        "from": FROM[Direction(message.direction)],
        "text": message.text,
        "files": [
            {"name": a.filename, "type": a.content_type, "size": a.size}
            for a in message.attachments.all()
        ],
    }
    if message.direction == Direction.AGENT and message.author is not None:
        found["by"] = message.author.first_name or message.author.get_username()
    if message.direction == Direction.CUSTOMER and message.reading is not None:
        found["reading"] = {
            "feeling": message.emotion,
            "corrected_by_our_team": message.emotion_corrected_at is not None,
            "urgency": message.reading.get("urgency"),
            "likely_to_leave": message.reading.get("churn_risk"),
        }
    return found


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None
