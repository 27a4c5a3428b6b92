"""Escalation: the watchdog's rules and a customer's request for a manager."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction

from heard.desk import signals
from heard.desk.actions.base import _now
from heard.desk.models import (
    Direction,
    Notification,
    Priority,
    SlaStage,
    Ticket,
    TicketEvent,
    TicketQuerySet,
)

# --- escalation and the watchdog -------------------------------------------------------------


WATCHDOG_BATCH = 500
EscalationRule = Callable[[Ticket, datetime], str]  # updates the ticket, returns why


# care_at and care_reason: the escalation's care bump (heard.desk.care_order), also written by
# the watchdog's bulk update, which does not go through Ticket.save().
ESCALATION_FIELDS = [
    "priority",
    "escalated",
    "escalation_reason",
    "escalated_at",
    "care_at",
    "care_reason",
]


def _apply_escalation(
    ticket: Ticket, reason: str, at: datetime
) -> tuple[list[TicketEvent], list[Notification]]:
    """Escalate in memory; return the audit row and the lead's notice, still to be written.

    The priority goes up one step without moving the running reply target, and the ticket gets
    the care bump: it stands in care order no later than now (heard.desk.care_order), so the
    forecast made afterwards (the update email) counts only who is still before it."""
    before = ticket.priority
    ticket.priority = Priority(before).raised()
    ticket.escalated = True
    ticket.escalation_reason = reason[:300]
    ticket.escalated_at = at
    ticket.refresh_care()
    event = TicketEvent(
        ticket=ticket,
        what="escalated",
        before=before,
        after=ticket.priority,
        note=reason[:300],
        created_at=at,
    )
    lead = ticket.team.lead
    notices = []
    if lead is not None:
        notices.append(
            Notification(
                recipient=lead,
                ticket=ticket,
                text=f"{ticket.reference} escalated: {reason}"[:300],
                created_at=at,
            )
        )
    return [event], notices


def _notify_escalations(events: list[TicketEvent], notices: list[Notification]) -> None:
    """Write the audit rows and the leads' notices, and announce each escalation once, whether
    or not its team has a lead (the mail app emails the lead, once the transaction commits; the
    webhooks tell the team's integrations)."""
    TicketEvent.objects.bulk_create(events)
    Notification.objects.bulk_create(notices)
    leads = {notice.ticket_id: notice.recipient_id for notice in notices}
    for event in events:
        signals.ticket_escalated.send(
            sender=Ticket,
            ticket_id=event.ticket_id,
            lead_id=leads.get(event.ticket_id),
            reason=event.ticket.escalation_reason,
        )


def _in_team_time(ticket: Ticket, moment: datetime) -> str:
    """'Mon 30 Nov 17:00 CET': a time written into a reason, in the team's own zone (the lead
    reads it as the team lives it, never in UTC)."""
    try:
        zone = ZoneInfo(ticket.team.time_zone or "UTC")
    except (ValueError, ZoneInfoNotFoundError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"


def _sla_escalation(ticket: Ticket, now: datetime) -> str:
    """Move the clock's watch to its next stage and say why it escalates now."""
    due = ticket.reply_due_at
    kind = "first response" if ticket.first_responded_at is None else "next response"
    if due is None or now >= due:
        ticket.sla_check_at, ticket.sla_stage = None, SlaStage.BREACHED
        when = f" (was due {_in_team_time(ticket, due)})" if due else ""
        return f"{kind} target breached{when}"
    ticket.sla_check_at, ticket.sla_stage = due, SlaStage.AT_RISK
    return f"{kind} target at risk: less than 20% of the time left"


def _repeat_escalation(ticket: Ticket, now: datetime) -> str:
    ticket.repeat_escalated = True
    return f"the customer wrote {ticket.unanswered_count} times without an answer"


MANAGER_REASON = "the customer asked for a manager"
MANAGER_ESCALATION_FIELDS = ["manager_escalated", *ESCALATION_FIELDS]


def _escalate_if_asked_for_manager(ticket: Ticket, at: datetime) -> bool:
    """Escalate at once (the caller saves the locked ticket) when a message the customer is still
    waiting on us to answer asks for a manager; returns whether it did.

    It fires once until an agent answers, like the watchdog's reasons, so a message read again
    (a job run twice, `heard reread`) or a second request in the same wait never escalates twice,
    and an answered request is never escalated again.
    """
    if not ticket.may_escalate_for_manager():
        return False
    unanswered = ticket.messages.filter(
        direction=Direction.CUSTOMER, created_at__gte=ticket.awaiting_since
    ).only("reading", "ticket")  # the ticket's id too: the related manager reads it
    if not any(message.asks_for_manager() for message in unanswered):
        return False
    ticket.manager_escalated = True
    _notify_escalations(*_apply_escalation(ticket, MANAGER_REASON, at))
    return True


def _escalate_batch(
    candidates: TicketQuerySet, rule: EscalationRule, fields: list[str], now: datetime
) -> int:
    """Claim up to WATCHDOG_BATCH candidates and escalate them; returns how many.

    Rows are locked with SKIP LOCKED, so a second watchdog running at the same moment takes
    other rows, and the candidate filter is evaluated again under the lock, so a row another
    pass already escalated is no longer a candidate. (SQLite serialises write transactions.)
    """
    with transaction.atomic():
        batch = list(
            candidates.select_for_update(skip_locked=True, of=("self",))
            .select_related("team__lead")
            .order_by("pk")[:WATCHDOG_BATCH]
        )
        events: list[TicketEvent] = []
        notices: list[Notification] = []
        for ticket in batch:
            reason = rule(ticket, now)
            more_events, more_notices = _apply_escalation(ticket, reason, now)
            events += more_events
            notices += more_notices
        Ticket.objects.bulk_update(batch, fields + ESCALATION_FIELDS)
        _notify_escalations(events, notices)
        if rule is _repeat_escalation and batch:
            signals.written_again_unanswered.send(
                sender=Ticket, ticket_ids=[ticket.pk for ticket in batch]
            )
    return len(batch)


def run_watchdog(now: datetime | None = None) -> int:
    """One watchdog pass over every active ticket; returns how many escalations fired.

    (a) the customer wrote again with no reply since their previous message;
    (b) the reply clock has less than 20% of its time left, or is breached.
    Each fires once per episode, also with two watchdogs running at once.
    """
    now = _now(now)
    fired = 0
    rules = [
        (Ticket.objects.written_again_unanswered(), _repeat_escalation, ["repeat_escalated"]),
        (Ticket.objects.sla_due_for_check(now), _sla_escalation, ["sla_check_at", "sla_stage"]),
    ]
    for candidates, rule, fields in rules:
        while count := _escalate_batch(candidates, rule, fields, now):
            fired += count
    return fired


@transaction.atomic
def escalate(ticket: Ticket, reason: str, at: datetime | None = None) -> Ticket:
    """Escalate an active ticket for a reason another app found (a customer who answered a
    follow-up that it is still not better), as the watchdog does: one step up in priority, the
    care bump and the lead told, until an agent answers. One escalated already stays as it is."""
    at = _now(at)
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("team__lead").get(pk=ticket.pk)
    )
    if ticket.escalated or not ticket.is_active():
        return ticket
    _notify_escalations(*_apply_escalation(ticket, reason, at))
    ticket.save(update_fields=ESCALATION_FIELDS)
    return ticket
