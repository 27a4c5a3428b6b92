"""Desk workflows that touch several objects or cause side effects.

`check_*` functions validate and authorise; the others perform the write. Views, commands, jobs and
tests all call these, never `.save()` on a ticket directly.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from heard.desk.models import (
    ACTIVE_STATUSES,
    Agent,
    Customer,
    Direction,
    Message,
    Notification,
    Priority,
    SlaPolicy,
    SlaStage,
    Status,
    Team,
    Ticket,
    TicketEvent,
)
from heard.jobs import enqueue

log = logging.getLogger(__name__)

AT_RISK_FRACTION = 0.8  # escalate when only 20% of the reply window is left


class DeskError(Exception):
    """A request the desk refuses, with a message fit to show the person who made it."""


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _record(
    ticket: Ticket,
    actor: User | None,
    what: str,
    before: object = "",
    after: object = "",
    note: str = "",
    at: datetime | None = None,
) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        what=what,
        before=str(before),
        after=str(after),
        note=note[:300],
        created_at=_now(at),
    )


# --- the reply clock -------------------------------------------------------------------------


def _start_clock(ticket: Ticket, start: datetime, target: timedelta) -> None:
    """Set the running reply target `target` business time after `start`, and its check times."""
    calendar = ticket.team.calendar()
    due = calendar.add(start, target)
    ticket.reply_due_at = due
    ticket.sla_warn_at = calendar.point_in(start, due, AT_RISK_FRACTION)
    ticket.sla_check_at = ticket.sla_warn_at
    ticket.sla_stage = SlaStage.RUNNING
    ticket.sla_paused_remaining = None


def _stop_clock(ticket: Ticket) -> None:
    ticket.reply_due_at = None
    ticket.sla_warn_at = None
    ticket.sla_check_at = None
    ticket.sla_stage = SlaStage.RUNNING


def _pause_clock(ticket: Ticket, at: datetime) -> None:
    if ticket.reply_due_at is None:
        return
    ticket.sla_paused_remaining = ticket.team.calendar().between(at, ticket.reply_due_at)
    stage = ticket.sla_stage
    _stop_clock(ticket)
    ticket.sla_stage = stage


def _resume_clock(ticket: Ticket, at: datetime) -> None:
    remaining = ticket.sla_paused_remaining
    if remaining is None:
        return
    stage = ticket.sla_stage
    calendar = ticket.team.calendar()
    due = calendar.add(at, remaining)
    ticket.reply_due_at = due
    ticket.sla_warn_at = calendar.point_in(at, due, AT_RISK_FRACTION)
    ticket.sla_paused_remaining = None
    ticket.sla_stage = stage
    # A stage already escalated is not escalated again after the pause.
    ticket.sla_check_at = {
        SlaStage.RUNNING: ticket.sla_warn_at,
        SlaStage.AT_RISK: due,
    }.get(SlaStage(stage))


def _target(ticket: Ticket) -> timedelta:
    first = ticket.first_responded_at is None
    return SlaPolicy.targets(ticket.team, ticket.priority, first=first)


# --- opening tickets and customer messages ---------------------------------------------------


@transaction.atomic
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
) -> Ticket:
    """Open a ticket with the customer's first message, start its clock and assign it."""
    at = _now(at)
    ticket = Ticket.objects.create(
        customer=customer,
        team=team,
        subject=subject.strip()[:300] or "(no subject)",
        channel=channel,
        priority=priority,
        created_at=at,
        updated_at=at,
        follow_up_of=follow_up_of,
    )
    message = Message.objects.create(
        ticket=ticket, direction=Direction.CUSTOMER, text=text, html=html, created_at=at
    )
    ticket.awaiting_since = at
    ticket.unanswered_count = 1
    _start_clock(ticket, at, _target(ticket))
    ticket.first_response_due_at = ticket.reply_due_at
    ticket.save()
    _record(ticket, None, "created", after=ticket.reference, at=at)
    if team.auto_assign:
        assign_round_robin(ticket, at=at)
    _after_customer_message(message)
    return ticket


@transaction.atomic
def record_customer_message(
    ticket: Ticket, text: str, html: str = "", at: datetime | None = None
) -> Message:
    """Add what the customer wrote; reopens solved tickets and resumes a paused clock.

    A message on a closed ticket opens a follow-up ticket instead, so history stays intact.
    """
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
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
        )
        return follow_up.messages.get()
    message = Message.objects.create(
        ticket=ticket, direction=Direction.CUSTOMER, text=text, html=html, created_at=at
    )
    before = ticket.status
    if ticket.status in (Status.SOLVED, Status.PENDING):
        ticket.status = Status.OPEN
        ticket.solved_at = None
        _record(ticket, None, "status", before, ticket.status, "the customer wrote", at=at)
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
    ticket.save()
    _after_customer_message(message)
    return message


def _after_customer_message(message: Message) -> None:
    """Hook for what follows a customer's words (reading them, acknowledging them)."""


# --- agents' words ---------------------------------------------------------------------------


def check_can_reply(ticket: Ticket, agent: Agent, text: str) -> None:
    if not text.strip():
        raise DeskError("The reply is empty: write something for the customer first.")
    if ticket.status == Status.CLOSED:
        raise DeskError(
            f"{ticket.reference} is closed; the customer's next message opens a follow-up."
        )


@transaction.atomic
def post_agent_reply(
    ticket: Ticket,
    agent: Agent,
    text: str,
    *,
    status: str | None = None,
    html: str = "",
    at: datetime | None = None,
) -> Message:
    """Send the customer an agent's reply: stops the clock and clears the escalation."""
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    check_can_reply(ticket, agent, text)
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
    ticket.next_response_due_at = None
    ticket.sla_paused_remaining = None
    _stop_clock(ticket)
    if ticket.escalated:
        _record(ticket, agent.user, "escalation", ticket.escalation_reason, "", "answered", at=at)
        ticket.escalated = False
        ticket.escalation_reason = ""
    if ticket.assignee_id is None:
        _record(ticket, agent.user, "assignee", "", agent, at=at)
        ticket.assignee = agent
    new_status = status or (Status.OPEN if ticket.status == Status.NEW else ticket.status)
    _set_status(ticket, agent.user, new_status, at)
    ticket.updated_at = at
    ticket.save()
    return message


@transaction.atomic
def add_internal_note(
    ticket: Ticket, agent: Agent, text: str, at: datetime | None = None
) -> Message:
    if not text.strip():
        raise DeskError("The note is empty.")
    at = _now(at)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    return Message.objects.create(
        ticket=ticket, direction=Direction.NOTE, author=agent.user, text=text, created_at=at
    )


# --- status, priority, assignment ------------------------------------------------------------


def check_status_change(ticket: Ticket, status: str, *, allow_same: bool = False) -> None:
    if status not in Status.values:
        raise DeskError(f"'{status}' is not a ticket status.")
    if allow_same and status == ticket.status:
        return
    if not ticket.can_move_to(status):
        raise DeskError(
            f"{ticket.reference} cannot go from {Status(ticket.status).label.lower()} to "
            f"{Status(status).label.lower()}."
        )


def _set_status(ticket: Ticket, actor: User | None, status: str, at: datetime) -> None:
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
    _record(ticket, actor, "status", before, status, at=at)


@transaction.atomic
def change_status(
    ticket: Ticket, actor: User | None, status: str, at: datetime | None = None
) -> Ticket:
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    check_status_change(ticket, status)
    _set_status(ticket, actor, status, at)
    ticket.updated_at = at
    ticket.save()
    return ticket


@transaction.atomic
def change_priority(
    ticket: Ticket, actor: User | None, priority: str, at: datetime | None = None
) -> Ticket:
    """Re-triage: a new priority recomputes the running reply target from when the wait began."""
    if priority not in Priority.values:
        raise DeskError(f"'{priority}' is not a priority.")
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    before = ticket.priority
    if before == priority:
        return ticket
    ticket.priority = priority
    if ticket.reply_due_at is not None and ticket.awaiting_since is not None:
        _start_clock(ticket, ticket.awaiting_since, _target(ticket))
        if ticket.first_responded_at is None:
            ticket.first_response_due_at = ticket.reply_due_at
        else:
            ticket.next_response_due_at = ticket.reply_due_at
    _record(ticket, actor, "priority", before, priority, at=at)
    ticket.updated_at = at
    ticket.save()
    return ticket


def check_assignee(ticket: Ticket, agent: Agent | None) -> None:
    if agent is not None and not agent.teams.filter(pk=ticket.team_id).exists():
        raise DeskError(f"{agent} is not in the {ticket.team} team.")


@transaction.atomic
def assign(
    ticket: Ticket, actor: User | None, agent: Agent | None, at: datetime | None = None
) -> Ticket:
    """Manual (re)assignment; None unassigns."""
    check_assignee(ticket, agent)
    at = _now(at)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.assignee
    if before == agent:
        return ticket
    ticket.assignee = agent
    ticket.updated_at = at
    ticket.save(update_fields=["assignee", "updated_at"])
    _record(ticket, actor, "assignee", before or "", agent or "", at=at)
    return ticket


def open_ticket_counts(team: Team) -> dict[int, int]:
    from django.db.models import Count, Q

    rows = Agent.objects.filter(teams=team).annotate(
        open_count=Count("tickets", filter=Q(tickets__status__in=ACTIVE_STATUSES))
    )
    return {agent.pk: agent.open_count for agent in rows}  # type: ignore[attr-defined]


@transaction.atomic
def assign_round_robin(ticket: Ticket, at: datetime | None = None) -> Agent | None:
    """Give the ticket to the team's agent assigned longest ago who still has capacity.

    The team row is locked so two tickets arriving at once go to two different agents.
    """
    at = _now(at)
    Team.objects.select_for_update().filter(pk=ticket.team_id).first()
    counts = open_ticket_counts(ticket.team)
    candidates = Agent.objects.filter(
        teams=ticket.team, accepts_assignments=True, user__is_active=True
    ).order_by(F("last_assigned_at").asc(nulls_first=True), "pk")
    for agent in candidates:
        if counts.get(agent.pk, 0) < agent.max_open_tickets:
            Agent.objects.filter(pk=agent.pk).update(last_assigned_at=at)
            Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)
            ticket.assignee = agent
            _record(ticket, None, "assignee", "", agent, "round-robin", at=at)
            return agent
    return None


# --- escalation and the watchdog -------------------------------------------------------------


def escalate(ticket: Ticket, reason: str, at: datetime | None = None) -> None:
    """Raise priority one step, record why, and tell the team lead in the app and by email."""
    at = _now(at)
    before = ticket.priority
    ticket.priority = Priority(before).raised()
    ticket.escalated = True
    ticket.escalation_reason = reason[:300]
    ticket.escalated_at = at
    ticket.save(update_fields=["priority", "escalated", "escalation_reason", "escalated_at"])
    _record(ticket, None, "escalated", before, ticket.priority, reason, at=at)
    lead = ticket.team.lead
    if lead is not None:
        Notification.objects.create(
            recipient=lead,
            ticket=ticket,
            text=f"{ticket.reference} escalated: {reason}",
            created_at=at,
        )
        from heard.desk.tasks import email_escalation  # tasks import this module

        enqueue(email_escalation, ticket.pk, lead.pk, reason)


def _sla_reason(ticket: Ticket, now: datetime) -> tuple[str, datetime | None, int]:
    """What the clock says now: (reason, next check time, new stage)."""
    due = ticket.reply_due_at
    kind = "first response" if ticket.first_responded_at is None else "next response"
    if due is not None and now >= due:
        return f"{kind} target breached (was due {due:%Y-%m-%d %H:%M} UTC)", None, SlaStage.BREACHED
    return f"{kind} target at risk: less than 20% of the time left", due, SlaStage.AT_RISK


def claim_sla_escalation(ticket_id: int, now: datetime) -> bool:
    """Escalate one ticket whose clock needs a look; False if someone else claimed it first."""
    with transaction.atomic():
        ticket = Ticket.objects.select_related("team__lead").filter(pk=ticket_id).first()
        if ticket is None or ticket.sla_check_at is None or ticket.sla_check_at > now:
            return False
        reason, next_check, stage = _sla_reason(ticket, now)
        claimed = Ticket.objects.filter(
            pk=ticket.pk, sla_check_at=ticket.sla_check_at, sla_stage=ticket.sla_stage
        ).update(sla_check_at=next_check, sla_stage=stage)
        if claimed != 1:
            return False
        escalate(ticket, reason, at=now)
        return True


def claim_repeat_escalation(ticket_id: int, now: datetime) -> bool:
    """Escalate a ticket whose customer wrote again with no reply in between, exactly once."""
    with transaction.atomic():
        claimed = Ticket.objects.filter(
            pk=ticket_id, repeat_escalated=False, unanswered_count__gte=2
        ).update(repeat_escalated=True)
        if claimed != 1:
            return False
        ticket = Ticket.objects.select_related("team__lead").get(pk=ticket_id)
        escalate(
            ticket,
            f"the customer wrote {ticket.unanswered_count} times without an answer",
            at=now,
        )
        return True


def run_watchdog(now: datetime | None = None) -> int:
    """One watchdog pass over every active ticket; returns how many escalations fired.

    Safe to run twice at once: each escalation is claimed with a conditional update.
    """
    now = _now(now)
    fired = 0
    repeat_ids = list(Ticket.objects.written_again_unanswered().values_list("pk", flat=True))
    for pk in repeat_ids:
        fired += claim_repeat_escalation(pk, now)
    sla_ids = list(Ticket.objects.sla_due_for_check(now).values_list("pk", flat=True))
    for pk in sla_ids:
        fired += claim_sla_escalation(pk, now)
    return fired


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
