"""Desk jobs: thin adapters over actions, run in-process or on Celery."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User

from heard.desk import actions
from heard.desk.models import Ticket
from heard.jobs import job


@job
def watchdog() -> int:
    return actions.run_watchdog()


@job
def close_solved() -> int:
    return actions.close_solved_tickets()


@job
def read_message(message_id: int) -> None:
    actions.read_customer_message(message_id)


@job
def email_escalation(ticket_id: int, lead_id: int, reason: str) -> None:
    """Email the team lead about an escalation: automatic mail, Auto-Submitted, under the staff
    limit (beyond it, it waits for the digest; the lead has the notification in the app)."""
    from heard.mail import outbound  # the mail app builds on the desk, not the other way
    from heard.mail.models import Kind

    ticket = Ticket.objects.select_related("customer").get(pk=ticket_id)
    lead = User.objects.get(pk=lead_id)
    if not lead.email:
        return
    link = f"{settings.SITE_URL}/tickets/{ticket.pk}/"
    outbound.queue_automatic(
        ticket=ticket,
        kind=Kind.NOTIFICATION,
        to_address=lead.email,
        subject=f"[{ticket.reference}] escalated: {ticket.subject}",
        text=(
            f"Hello {lead.first_name or lead.username},\n\n"
            f"{ticket.customer.name}'s ticket {ticket.reference} was escalated because "
            f"{reason}.\n\nOpen it: {link}\n"
        ),
        summary=f"{ticket.subject}: escalated because {reason}",
    )
