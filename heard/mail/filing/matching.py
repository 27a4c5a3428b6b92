"""Which ticket an email belongs to.

In order: a reply address or Message-ID of Heard's own (signed, so nobody can forge one), then
In-Reply-To/References naming an email already on a ticket, then the ticket reference in the
subject; otherwise the email starts a new ticket. Matches that a stranger could make up (a
reference in the subject, the Message-ID of a customer's own earlier email) count only when the
sender is that ticket's customer.
"""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.db.models.expressions import RawSQL

from heard.desk.models import Customer, Ticket, parse_reference
from heard.mail.models import OutboundEmail, RawEmail
from heard.mail.parsing.message import InboundEmail
from heard.mail.sending import signing


def find_ticket(
    email: InboundEmail, recipients: list[str], customer: Customer | None
) -> Ticket | None:
    """The ticket this email continues, or None for a new one. `customer` is the sender's
    (None when unknown, e.g. for automated mail: then only signed matches count).

    Filing calls it in the transaction that files the email: the ticket comes locked
    (`select_for_update`), with its team, as recording the customer's message reads it."""
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
            ticket = _locked(pk=ticket_id)
            if ticket is not None:
                return ticket
    return None


def _known_message_ticket(ids: list[str], customer: Customer) -> Ticket | None:
    """A ticket holding one of the emails this one answers, sent by or to this customer."""
    if not ids:
        return None
    # Ours first, then theirs, the latest of each first: one query for both and the ticket,
    # written out as SQL (for every reply, the ORM's union cost several times the CPU of
    # running it). Only table names are put into the SQL; every value is a parameter.
    listed = ", ".join(["%s"] * len(ids))
    sql = _KNOWN_MESSAGE_TICKET.format_map(_tables()).replace("%(ids)s", listed)
    return _locked(pk=RawSQL(sql, [*ids, customer.pk, *ids, customer.pk]))  # noqa: S611


_KNOWN_MESSAGE_TICKET = (
    "(SELECT ticket_id FROM ("
    "SELECT 0 AS rank, o.id AS pk, o.ticket_id FROM {sent} o JOIN {tickets} t ON t.id = o.ticket_id"
    " WHERE o.header_message_id IN (%(ids)s) AND t.customer_id = %s"
    " UNION ALL "
    "SELECT 1 AS rank, r.id AS pk, r.ticket_id FROM {raws} r JOIN {tickets} t ON t.id = r.ticket_id"
    " WHERE r.header_message_id IN (%(ids)s) AND t.customer_id = %s"
    ") found ORDER BY rank, pk DESC LIMIT 1)"
)


@cache
def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    models: dict[str, type[Model]] = {"sent": OutboundEmail, "raws": RawEmail, "tickets": Ticket}
    return {name: quote(model._meta.db_table) for name, model in models.items()}


def _subject_ticket(subject: str, customer: Customer) -> Ticket | None:
    prefix = re.escape(settings.HEARD_TICKET_PREFIX)
    for match in re.finditer(rf"\b{prefix}-\d+\b", subject, re.IGNORECASE):
        ticket_id = parse_reference(match.group())
        if ticket_id is None:
            continue
        ticket = _locked(pk=ticket_id, customer=customer)
        if ticket is not None:
            return ticket
    return None


def _locked(**lookup: object) -> Ticket | None:
    """The ticket, locked until the filing transaction ends and read with its team."""
    return Ticket.objects.select_for_update().select_related("team").filter(**lookup).first()
