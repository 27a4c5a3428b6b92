"""Rows as the API (and every webhook payload) shows them: one function per kind of object.

Each takes rows loaded with the joins named beside it (`TICKET_JOINS`, …), so a page of fifty
costs the same queries as a page of one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from heard.api.models import Delivery, Subscription
from heard.care.models import FollowUp, Moment, Survey
from heard.desk.models import (
    Agent,
    Attachment,
    Consent,
    ConsentKind,
    Customer,
    Direction,
    Message,
    Team,
    Ticket,
)
from heard.engine import Coaching, Reading

TICKET_JOINS = ("team", "assignee__user", "customer")
MESSAGE_JOINS = ("author",)


def tickets_loaded(rows: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """`rows` with what `ticket` shows: two more queries for a whole page."""
    return rows.select_related(*TICKET_JOINS).prefetch_related("customer__emails")


def messages_loaded(rows: QuerySet[Message]) -> QuerySet[Message]:
    return rows.select_related(*MESSAGE_JOINS).prefetch_related(
        Prefetch("attachments", Attachment.objects.order_by("pk"))
    )


def team(row: Team) -> dict[str, Any]:
    return {"id": row.pk, "slug": row.slug, "name": row.name}


def agent(row: Agent) -> dict[str, Any]:
    return {"id": row.pk, "name": row.display_name()}


def console_url(ticket_id: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('console:ticket', args=[ticket_id])}"


def ticket(row: Ticket) -> dict[str, Any]:
    customer = row.customer
    return {
        "id": row.pk,
        "reference": row.reference,
        "subject": row.subject,
        "status": row.status,
        "priority": row.priority,
        "channel": row.channel,
        "team": team(row.team),
        "assignee": agent(row.assignee) if row.assignee is not None else None,
        "customer": {"id": customer.pk, "name": customer.name, "email": customer.primary_email()},
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "first_responded_at": row.first_responded_at,
        "solved_at": row.solved_at,
        "closed_at": row.closed_at,
        "reply_due_at": row.reply_due_at,
        "waiting_on_us": row.is_waiting_on_us(),
        "unanswered": row.unanswered_count,
        "escalated": row.escalated,
        "escalation_reason": row.escalation_reason,
        "mood": row.mood,
        "mood_trend": row.mood_trend,
        "urgency": row.urgency,
        "churn_risk": row.churn_risk,
        "care_reason": row.care_reason,
        "needs_person": row.needs_person(),
        "follow_up_of": row.follow_up_of_id,
        "merged_into": row.merged_into_id,
        "url": console_url(row.pk),
    }


def _name(user: User | None) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def stored_reading(row: Message) -> dict[str, Any] | None:
    """A customer message's reading as stored (an agent's correction included), else None."""
    if row.direction != Direction.CUSTOMER or not row.emotion:
        return None
    stored = row.reading or {}
    return {
        "emotion": row.emotion,
        "corrected": row.emotion_corrected_at is not None,
        "confidence": row.emotion_confidence(),
        "scores": row.emotion_scores(),
        "urgent": bool(stored.get("urgent", False)),
        "urgency": float(stored.get("urgency", 0.0)),
        "churn_risk": float(stored.get("churn_risk", 0.0)),
        "cues": [
            {"start": c["start"], "end": c["end"], "label": c["label"], "kind": c.get("kind", "")}
            for c in stored.get("cues", [])
        ],
    }


def message(row: Message) -> dict[str, Any]:
    return {
        "id": row.pk,
        "ticket": row.ticket_id,
        "kind": row.direction,
        "author": _name(row.author),
        "text": row.text,
        "created_at": row.created_at,
        "reading": stored_reading(row),
        "attachments": [
            {
                "id": a.pk,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "kept": a.is_kept(),
            }
            for a in row.attachments.all()
        ],
    }


def reading(row: Reading) -> dict[str, Any]:
    """The engine's reading of any text (`POST /readings`)."""
    shown = row.as_dict()
    return {
        **shown,
        "confidence": round(row.confidence, 4),
        "cues": [
            {"start": c.start, "end": c.end, "label": c.label, "kind": c.kind} for c in row.cues
        ],
        "language_supported": row.language_supported,
        "note": row.note,
        "explanation": row.explain(),
    }


def coaching(row: Coaching) -> dict[str, Any]:
    return row.as_dict()


def consents(customer: Customer) -> list[dict[str, Any]]:
    """Each kind's change in force (load with `CONSENTS_IN_FORCE`), or never asked."""
    shown = []
    for kind in ConsentKind.values:
        change = customer.consent(kind)
        if change is None:
            shown.append(
                {"kind": kind, "state": "never_asked", "at": None, "source": "", "by": None}
            )
        else:
            shown.append(consent(change) | {"state": "given" if change.given else "withdrawn"})
    return shown


def consent(change: Consent) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "given": change.given,
        "at": change.at,
        "source": change.source,
        "by": _name(change.by),
    }


def customer(row: Customer) -> dict[str, Any]:
    emails = sorted(row.emails.all(), key=lambda e: (not e.is_primary, e.pk))
    return {
        "id": row.pk,
        "name": row.name,
        "preferred_name": row.preferred_name,
        "emails": [e.address for e in emails],
        "language": row.language,
        "time_zone": row.time_zone,
        "birthday": row.birthday,
        "automatic_updates": row.updates_stopped_at is None,
        "consents": consents(row),
        "created_at": row.created_at,
    }


def survey(row: Survey) -> dict[str, Any]:
    return {
        **_offer(row),
        "rating": row.rating,
        "rating_label": row.get_rating_display() if row.rating else "",
        "comment": row.comment,
        "answered_at": row.answered_at,
    }


def follow_up(row: FollowUp) -> dict[str, Any]:
    return {
        **_offer(row),
        "answer": row.answer,
        "answer_label": row.get_answer_display() if row.answer else "",
        "words": row.words,
        "answered_at": row.answered_at,
    }


def _offer(row: Survey | FollowUp) -> dict[str, Any]:
    """What a survey and a follow-up share: the ticket, when it was made and emailed, and how
    long the customer may answer."""
    return {
        "id": row.pk,
        "ticket": row.ticket_id,
        "reference": row.ticket.reference,
        "created_at": row.created_at,
        "emailed": row.email_id is not None,
        "open_until": row.open_until(),
    }


def moment(row: Moment, greetings: dict[str, int]) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "team": team(row.team) if row.team is not None else None,
        "occasion": row.occasion,
        "occasion_label": row.occasion_label(),
        "gift_kind": row.gift_kind,
        "gift_text": row.gift_text,
        "gift_cost_cents": row.gift_cost_cents,
        "currency": row.currency,
        "monthly_budget_cents": row.monthly_budget_cents,
        "active": row.active,
        "greetings": greetings,
    }


def webhook(row: Subscription) -> dict[str, Any]:
    return {
        "id": row.pk,
        "team": team(row.team),
        "url": row.url,
        "events": list(row.events),
        "description": row.description,
        "active": row.active,
        "created_at": row.created_at,
        "failures_in_a_row": row.failures_in_a_row,
        "disabled_at": row.disabled_at,
        "disabled_reason": row.disabled_reason,
    }


def delivery(row: Delivery) -> dict[str, Any]:
    return {
        "id": row.pk,
        "event": row.event.name,
        "event_id": row.event_id,
        "state": row.state,
        "attempts": row.attempts,
        "response_code": row.response_code,
        "error": row.error,
        "created_at": row.created_at,
        "delivered_at": row.delivered_at,
        "next_attempt_at": row.next_attempt_at,
    }
