"""Which ticket an email belongs to.

In order: a reply address or Message-ID of Heard's own (signed, so nobody can forge one), then
In-Reply-To/References naming an email already on a ticket, then the ticket reference in the
subject; otherwise the email starts a new ticket. Matches that a stranger could make up (a
reference in the subject, the Message-ID of a customer's own earlier email) count only when the
sender is that ticket's customer.
"""

from __future__ import annotations

import re

from django.conf import settings

from heard.desk.models import Customer, Ticket, parse_reference
from heard.mail.models import OutboundEmail, RawEmail
from heard.mail.parsing.message import InboundEmail
from heard.mail.sending import signing


def find_ticket(
    email: InboundEmail, recipients: list[str], customer: Customer | None
) -> Ticket | None:
    """The ticket this email continues, or None for a new one. `customer` is the sender's
    (None when unknown, e.g. for automated mail: then only signed matches count)."""
    ids = [i for i in (email.in_reply_to, *reversed(email.references)) if i]
    signed = _signed_ticket(ids, [*recipients, *(a.address for a in email.to + email.cc)])
    if signed is not None:
        return signed
    if customer is None:
        return None
    return _known_message_ticket(ids, customer) or _subject_ticket(email.subject, customer)


def find_ticket_of_returned(email: InboundEmail) -> Ticket | None:
    """The ticket of the email a bounce or report returns, if it was one of ours."""
    if not email.original_message_id:
        return None
    returned = email.original_message_id.strip("<>")
    sent = OutboundEmail.objects.filter(header_message_id=returned).exclude(ticket=None).first()
    return sent.ticket if sent is not None else _signed_ticket([returned], [])


def _signed_ticket(ids: list[str], recipients: list[str]) -> Ticket | None:
    candidates = [signing.ticket_from_address(a) for a in recipients]
    candidates += [signing.ticket_from_message_id(i) for i in ids]
    for ticket_id in candidates:
        if ticket_id is not None:
            ticket = Ticket.objects.filter(pk=ticket_id).first()
            if ticket is not None:
                return ticket
    return None


def _known_message_ticket(ids: list[str], customer: Customer) -> Ticket | None:
    """A ticket holding one of the emails this one answers, sent by or to this customer."""
    if not ids:
        return None
    ours = OutboundEmail.objects.filter(header_message_id__in=ids, ticket__customer=customer)
    theirs = RawEmail.objects.filter(header_message_id__in=ids, ticket__customer=customer)
    for rows in (ours, theirs):
        found = rows.exclude(ticket=None).order_by("-pk").values_list("ticket", flat=True).first()
        if found is not None:
            return Ticket.objects.get(pk=found)
    return None


def _subject_ticket(subject: str, customer: Customer) -> Ticket | None:
    prefix = re.escape(settings.HEARD_TICKET_PREFIX)
    for match in re.finditer(rf"\b{prefix}-\d+\b", subject, re.IGNORECASE):
        ticket_id = parse_reference(match.group())
        if ticket_id is None:
            continue
        ticket = Ticket.objects.filter(pk=ticket_id, customer=customer).first()
        if ticket is not None:
            return ticket
    return None
