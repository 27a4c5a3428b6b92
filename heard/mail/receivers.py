"""The mail app's answers to what the desk announces (connected in MailConfig.ready)."""

from __future__ import annotations

from typing import Any

from heard.desk.models import Message
from heard.jobs import enqueue


def email_agent_reply(sender: Any, message: Message, **kwargs: Any) -> None:
    """An agent's reply goes to the customer as an email."""
    from heard.mail.sending import outbound

    outbound.queue_reply(message)


def email_escalation_to_lead(
    sender: Any, ticket_id: int, lead_id: int, reason: str, **kwargs: Any
) -> None:
    """The team lead told in the app about an escalation also gets it by email (or in a digest)."""
    from heard.mail.tasks import email_escalation

    enqueue(email_escalation, ticket_id, lead_id, reason)


def follow_merged_ticket(sender: Any, duplicate_id: int, into_id: int, **kwargs: Any) -> None:
    """Emails of a merged duplicate belong to the ticket it was merged into (threading, history)."""
    from heard.mail.models import OutboundEmail, RawEmail

    RawEmail.objects.filter(ticket=duplicate_id).update(ticket=into_id)
    OutboundEmail.objects.filter(ticket=duplicate_id).update(ticket=into_id)


def update_waiting_customers(sender: Any, ticket_ids: list[int], **kwargs: Any) -> None:
    """Customers who wrote again unanswered get one honest update each."""
    from heard.mail.tasks import send_update

    for ticket_id in ticket_ids:
        enqueue(send_update, ticket_id)
