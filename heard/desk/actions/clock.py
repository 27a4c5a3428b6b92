"""The reply clock: targets, pausing and resuming, and retargeting on a new priority."""

from __future__ import annotations

from datetime import datetime, timedelta

from heard.desk.models import (
    Priority,
    SlaPolicy,
    SlaStage,
    Ticket,
)

AT_RISK_FRACTION = 0.8  # escalate when only 20% of the reply window is left

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


def _retarget(ticket: Ticket, priority: Priority) -> None:
    """Set the priority and recompute the running reply target from when the wait began (the
    caller saves the ticket)."""
    ticket.priority = priority
    if ticket.reply_due_at is not None and ticket.awaiting_since is not None:
        _start_clock(ticket, ticket.awaiting_since, _target(ticket))
        if ticket.first_responded_at is None:
            ticket.first_response_due_at = ticket.reply_due_at
        else:
            ticket.next_response_due_at = ticket.reply_due_at
