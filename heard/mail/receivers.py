"""The mail app's answers to what the desk announces (connected in MailConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from heard.desk.models import Message
from heard.jobs import enqueue


def email_agent_reply(sender: Any, message: Message, **kwargs: Any) -> None:
    """An agent's reply goes to the customer as an email."""
    from heard.mail.sending import outbound

    outbound.queue_reply(message)


def email_escalation_to_lead(
    sender: Any, ticket_id: int, lead_id: int | None, reason: str, **kwargs: Any
) -> None:
    """The team lead told in the app about an escalation also gets it by email (or in a digest);
    a team with no lead has nobody to email."""
    from heard.mail.tasks import email_escalation

    if lead_id is None:
        return

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


def forget_customer_mail(
    sender: Any, customer_id: int, ticket_ids: list[int], addresses: list[str], **kwargs: Any
) -> None:
    """A forgotten customer's emails: the raw copies lose their bytes and sender, what we sent
    them its words and their address (the rows stay, for the tickets' figures)."""
    from heard.desk.actions import REMOVED
    from heard.mail.models import HeldNotice, OutboundEmail, RawEmail

    RawEmail.objects.filter(Q(ticket__in=ticket_ids) | Q(envelope_from__in=addresses)).update(
        data=b"", envelope_from=None, envelope_to="", origin="", error=""
    )
    sent = OutboundEmail.objects.filter(Q(ticket__in=ticket_ids) | Q(to_address__in=addresses))
    sent.update(text=REMOVED, html="", subject=REMOVED, to_address="", unsubscribe_url="")
    HeldNotice.objects.filter(ticket__in=ticket_ids).update(
        text=REMOVED, subject=REMOVED, summary=REMOVED
    )
