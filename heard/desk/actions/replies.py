"""Agents' words: access, reply checks, replies and internal notes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from heard.desk import signals
from heard.desk.actions.base import Actor, _now, record_event
from heard.desk.actions.clock import _stop_clock
from heard.desk.actions.tickets import _set_status, check_status_change
from heard.desk.errors import DeskError, ErrorCode, NotFound, SevereFinding
from heard.desk.models import (
    Direction,
    Message,
    Status,
    Ticket,
)

if TYPE_CHECKING:
    from heard.engine import Coaching


# --- agents' words ---------------------------------------------------------------------------


def check_ticket_access(
    actor: Actor, ticket_id: int, tickets: QuerySet[Ticket] | None = None
) -> Ticket:
    """The ticket `ticket_id` if the actor may see and work on it: it is in one of their teams
    (an administrator's, any team). Otherwise `NotFound` (code "not_found"), the same for
    another team's ticket as for no ticket at all, so nobody learns that it exists.

    `tickets` is the query to load it with (its joins and annotations, say); it is narrowed here
    to what the actor may see, in the same single query."""
    query = tickets if tickets is not None else Ticket.objects.all()
    ticket = (query & Ticket.objects.visible_to(actor)).filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound("No such ticket in your teams.")
    return ticket


def check_can_reply(ticket: Ticket, actor: Actor, text: str) -> None:
    if not text.strip():
        raise DeskError(
            "The reply is empty: write something for the customer first.", ErrorCode.EMPTY
        )
    limit = settings.HEARD_MAX_REPLY_CHARS
    if len(text) > limit:
        raise DeskError(
            f"The reply is {len(text):,} characters long; one reply may carry at most "
            f"{limit:,}. Nothing was sent: shorten it (a long log or document can go as a link).",
            ErrorCode.TOO_LONG,
        )
    if ticket.status == Status.CLOSED:
        raise DeskError(
            f"{ticket.reference} is closed; the customer's next message opens a follow-up.",
            ErrorCode.CLOSED,
        )


def check_send(ticket: Ticket, actor: Actor, text: str, send_anyway: bool = False) -> Coaching:
    """Whether this reply may go out, and the coach's judgement of it.

    First `check_can_reply` (empty, too long, closed: refused before the coach reads it). Then
    the coach: a reply with a severe finding (severity high) is held once, `SevereFinding`
    (code "severe_finding") carrying the coaching and those findings, unless the agent chose to
    `send_anyway`; `post_agent_reply` then records which findings it was sent despite."""
    from heard.desk.coach import coach_draft, severe_findings  # the engine loads on first use

    check_can_reply(ticket, actor, text)
    coaching = coach_draft(ticket, text)
    severe = severe_findings(coaching)
    if severe and not send_anyway:
        raise SevereFinding(coaching, severe)
    return coaching


@transaction.atomic
def post_agent_reply(
    ticket: Ticket,
    agent: Actor,
    text: str,
    *,
    status: str | None = None,
    html: str = "",
    at: datetime | None = None,
    send_anyway: bool = False,
) -> Message:
    """Send the customer an agent's reply: stops the clock and clears the escalation.

    Every reply passes `check_send`, whoever sends it: a severe finding of the coach holds it
    (`SevereFinding`) unless `send_anyway`, and then the history records which findings it was
    sent despite."""
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    from heard.desk.coach import severe_findings

    coaching = check_send(ticket, agent, text, send_anyway)
    despite = sorted({f.code for f in severe_findings(coaching)})
    if status is not None:
        check_status_change(ticket, status, allow_same=True)
    message = Message.objects.create(
        ticket=ticket,
        direction=Direction.AGENT,
        author=agent.user,
        text=text,
        html=html,
        created_at=at,
    )
    if ticket.first_responded_at is None:
        ticket.first_responded_at = at
    ticket.awaiting_since = None
    ticket.unanswered_count = 0
    ticket.repeat_escalated = False
    ticket.manager_escalated = False
    ticket.next_response_due_at = None
    ticket.sla_paused_remaining = None
    _stop_clock(ticket)
    if ticket.escalated:
        record_event(ticket, agent, "escalation", ticket.escalation_reason, "", "answered", at=at)
        ticket.escalated = False
        ticket.escalation_reason = ""
    if ticket.assignee_id is None:
        record_event(ticket, agent, "assignee", "", agent, at=at)
        ticket.assignee = agent
    new_status = status or (Status.OPEN if ticket.status == Status.NEW else ticket.status)
    _set_status(ticket, agent, new_status, at)
    ticket.updated_at = at
    ticket.save()
    if despite:
        note = "sent anyway, despite: " + ", ".join(despite)
        record_event(ticket, agent, "coach", note=note, at=at)
    signals.agent_replied.send(sender=Message, message=message)
    return message


@transaction.atomic
def add_internal_note(
    ticket: Ticket, agent: Actor, text: str, at: datetime | None = None
) -> Message:
    if not text.strip():
        raise DeskError("The note is empty.", ErrorCode.EMPTY)
    at = _now(at)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    return Message.objects.create(
        ticket=ticket, direction=Direction.NOTE, author=agent.user, text=text, created_at=at
    )
