"""Opening tickets, customers' messages, and changing, merging and closing tickets."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from heard.desk import care_order, signals
from heard.desk.actions.assignment import assign, next_round_robin_agent
from heard.desk.actions.base import Actor, _now, events_together, record_event
from heard.desk.actions.clock import (
    _pause_clock,
    _resume_clock,
    _retarget,
    _start_clock,
    _stop_clock,
    _target,
)
from heard.desk.actions.escalation import _escalate_if_asked_for_manager
from heard.desk.actions.reading import (
    _customer_message,
    _first_message,
    _follow_mood,
    _set_mood,
    refresh_mood,
)
from heard.desk.errors import DeskError, ErrorCode
from heard.desk.models import (
    Agent,
    Customer,
    Message,
    Priority,
    Status,
    Team,
    Ticket,
)

if TYPE_CHECKING:
    from heard.engine import Reading


# --- opening tickets and customer messages ---------------------------------------------------


@transaction.atomic(savepoint=False)  # nested, it is part of its caller's work: no savepoint
def open_ticket(
    *,
    customer: Customer,
    team: Team,
    subject: str,
    text: str,
    html: str = "",
    channel: str = "email",
    priority: str = Priority.NORMAL,
    at: datetime | None = None,
    follow_up_of: Ticket | None = None,
    reading: Reading | None = None,
    needs_person: str = "",
    route_note: str = "",
) -> Ticket:
    """Open a ticket with the customer's first message, start its clock and assign it.

    `reading` is the engine's reading of `text` when the caller has it already (mail intake
    reads a burst of emails together); otherwise a job reads the message.

    `needs_person` ("this email could not be read") opens a ticket for an agent to look at
    rather than a customer waiting on a reply: no reply clock, no round-robin, nothing read by
    the engine, after every customer in care order, and the row says why ("needs a person: this
    email could not be read"). Once its sender writes words we can read, it is timed as usual.

    `route_note` says how the ticket came to its team (routing's words), kept in its history.
    """
    at = _now(at)
    ticket = Ticket(
        customer=customer,
        team=team,
        subject=subject.strip()[:300] or "(no subject)",
        channel=channel,
        priority=priority,
        created_at=at,
        updated_at=at,
        follow_up_of=follow_up_of,
    )
    # Everything is decided before the ticket row and its first message are written, once each,
    # and its first history rows are written together.
    message = _first_message(ticket, text, html, at, reading)
    with events_together():
        if needs_person:
            ticket.care_cues = [care_order.needs_person(needs_person)]
        else:
            ticket.awaiting_since = at
            ticket.unanswered_count = 1
            _start_clock(ticket, at, _target(ticket))
            ticket.first_response_due_at = ticket.reply_due_at
            if message.emotion:  # read already; else a job reads it once it is saved
                _set_mood(ticket, message, None)
            if team.auto_assign:
                ticket.assignee = next_round_robin_agent(team, at)
        ticket.save()
        message.save()
        record_event(ticket, None, "created", after=ticket.reference, at=at)
        if needs_person:
            note = f"{ticket.care_reason}: no reply clock and no round-robin"
            record_event(ticket, None, "care", note=note, at=at)
        elif ticket.assignee is not None:
            record_event(ticket, None, "assignee", "", ticket.assignee, "round-robin", at=at)
        if route_note:
            record_event(ticket, None, "routed", after=team, note=route_note, at=at)
    if not needs_person:
        if not message.emotion:
            _follow_mood(ticket, message, first=True)  # queues the job that reads it
        # Only its first message can ask for a manager yet: no query unless it does.
        if message.asks_for_manager() and _escalate_if_asked_for_manager(ticket, at):
            ticket.save()
    ticket.first_message = message  # type: ignore[attr-defined]  # spares the caller a query
    return ticket


@transaction.atomic(savepoint=False)
def record_customer_message(
    ticket: Ticket,
    text: str,
    html: str = "",
    at: datetime | None = None,
    reading: Reading | None = None,
    *,
    locked: bool = False,
) -> Message:
    """Add what the customer wrote; reopens solved tickets and resumes a paused clock.

    A message on a closed ticket opens a follow-up ticket instead, so history stays intact.
    `reading` is as for `open_ticket`. `locked`: the caller read `ticket`, with its team, under
    `select_for_update()` in this transaction (mail filing, which found it so), and it is not
    read again.
    """
    at = _now(at)
    if not locked:
        ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    if ticket.merged_into_id is not None:  # a duplicate: its conversation goes on in the other
        merged_into = ticket.merged_into
        assert merged_into is not None
        return record_customer_message(merged_into, text, html, at, reading)
    if ticket.status == Status.CLOSED:
        follow_up = open_ticket(
            customer=ticket.customer,
            team=ticket.team,
            subject=ticket.subject,
            text=text,
            html=html,
            channel=ticket.channel,
            priority=ticket.priority,
            at=at,
            follow_up_of=ticket,
            reading=reading,
        )
        return follow_up.first_message  # type: ignore[attr-defined,no-any-return]
    message = _customer_message(ticket, text, html, at, reading)
    if ticket.needs_person():  # its sender wrote words we can read: now they wait on a reply
        ticket.care_cues = [c for c in ticket.care_cues if c != ticket.needs_person()]
    before = ticket.status
    if ticket.status in (Status.SOLVED, Status.PENDING):
        ticket.status = Status.OPEN
        ticket.solved_at = None
        record_event(ticket, None, "status", before, ticket.status, "the customer wrote", at=at)
    if ticket.awaiting_since is None:
        ticket.awaiting_since = at
    ticket.unanswered_count += 1
    if ticket.sla_paused_remaining is not None:
        _resume_clock(ticket, at)
    elif ticket.reply_due_at is None:
        _start_clock(ticket, at, _target(ticket))
        if ticket.first_responded_at is not None:
            ticket.next_response_due_at = ticket.reply_due_at
    ticket.updated_at = at
    _follow_mood(ticket, message)
    _escalate_if_asked_for_manager(ticket, at)
    ticket.save()
    return message


# --- status, priority, assignment ------------------------------------------------------------


def check_status_change(ticket: Ticket, status: str, *, allow_same: bool = False) -> None:
    if status not in Status.values:
        raise DeskError(f"'{status}' is not a ticket status.", ErrorCode.INVALID)
    if allow_same and status == ticket.status:
        return
    if not ticket.can_move_to(status):
        raise DeskError(
            f"{ticket.reference} cannot go from {Status(ticket.status).label.lower()} to "
            f"{Status(status).label.lower()}.",
            ErrorCode.TRANSITION,
        )


def _set_status(ticket: Ticket, actor: Actor | None, status: str, at: datetime) -> None:
    before = ticket.status
    if status == before:
        return
    ticket.status = status
    if status == Status.PENDING:
        _pause_clock(ticket, at)
    elif before == Status.PENDING and status == Status.OPEN:
        _resume_clock(ticket, at)
    if status in (Status.SOLVED, Status.CLOSED):
        _stop_clock(ticket)
        ticket.sla_paused_remaining = None
        ticket.escalated = False
    ticket.solved_at = at if status == Status.SOLVED else ticket.solved_at
    if status == Status.CLOSED:
        ticket.closed_at = at
    record_event(ticket, actor, "status", before, status, at=at)


@transaction.atomic
def change_status(
    ticket: Ticket, actor: Actor | None, status: str, at: datetime | None = None
) -> Ticket:
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    check_status_change(ticket, status)
    _set_status(ticket, actor, status, at)
    ticket.updated_at = at
    ticket.save()
    return ticket


@transaction.atomic
def update_ticket(
    ticket: Ticket, actor: Actor | None, status: str, priority: str, assignee: Agent | None
) -> Ticket:
    """The ticket form: what changed of status, priority and assignee, all or none of it."""
    if status != ticket.status:
        ticket = change_status(ticket, actor, status)
    if priority != ticket.priority:
        ticket = change_priority(ticket, actor, priority)
    if assignee != ticket.assignee:
        ticket = assign(ticket, actor, assignee)
    return ticket


@transaction.atomic
def change_priority(
    ticket: Ticket, actor: Actor | None, priority: str, at: datetime | None = None
) -> Ticket:
    """Re-triage: a new priority recomputes the running reply target from when the wait began."""
    if priority not in Priority.values:
        raise DeskError(f"'{priority}' is not a priority.", ErrorCode.INVALID)
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    before = ticket.priority
    if before == priority:
        return ticket
    _retarget(ticket, Priority(priority))
    record_event(ticket, actor, "priority", before, priority, at=at)
    ticket.updated_at = at
    ticket.save()
    return ticket


@transaction.atomic
def merge_tickets(
    duplicate: Ticket, into: Ticket, agent: Actor, at: datetime | None = None
) -> Ticket:
    """Move a duplicate's conversation into another ticket of the same customer and close it;
    whatever the customer writes to the duplicate later lands in the other ticket."""
    at = _now(at)
    locked = (
        Ticket.objects.select_for_update().select_related("team").in_bulk([duplicate.pk, into.pk])
    )
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if duplicate.pk == into.pk:
        raise DeskError("A ticket cannot be merged into itself.", ErrorCode.BAD_MERGE)
    if duplicate.customer_id != into.customer_id:
        raise DeskError("Only tickets of the same customer can be merged.", ErrorCode.BAD_MERGE)
    if Status.CLOSED in (duplicate.status, into.status):
        raise DeskError("A closed ticket cannot be merged.", ErrorCode.CLOSED)
    Message.objects.filter(ticket=duplicate).update(ticket=into)
    if duplicate.awaiting_since is not None:
        into.awaiting_since = min(filter(None, [into.awaiting_since, duplicate.awaiting_since]))
        into.unanswered_count += duplicate.unanswered_count
        # A request for a manager the duplicate was escalated for is not escalated again.
        into.manager_escalated = into.manager_escalated or duplicate.manager_escalated
        if into.reply_due_at is None and into.sla_paused_remaining is None:
            _start_clock(into, into.awaiting_since, _target(into))
    into.updated_at = at
    into.save()
    record_event(into, agent, "merged", duplicate.reference, into.reference, at=at)
    duplicate.merged_into = into
    _set_status(duplicate, agent, Status.CLOSED, at)
    duplicate.awaiting_since, duplicate.unanswered_count = None, 0
    duplicate.save()
    record_event(duplicate, agent, "merged", duplicate.reference, into.reference, at=at)
    signals.tickets_merged.send(sender=Ticket, duplicate_id=duplicate.pk, into_id=into.pk)
    refresh_mood(into.pk)
    return Ticket.objects.get(pk=into.pk)


def close_solved_tickets(now: datetime | None = None) -> int:
    """Close tickets solved more than HEARD_AUTO_CLOSE_DAYS ago."""
    now = _now(now)
    cutoff = now - timedelta(days=settings.HEARD_AUTO_CLOSE_DAYS)
    closed = 0
    for pk in Ticket.objects.filter(status=Status.SOLVED, solved_at__lte=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(pk=pk, status=Status.SOLVED).first()
            if ticket is None:
                continue
            _set_status(ticket, None, Status.CLOSED, now)
            ticket.save()
            closed += 1
    return closed
