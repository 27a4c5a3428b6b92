"""What other apps write on the desk (they never write its rows themselves)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from heard.desk.actions.base import _now, record_event
from heard.desk.actions.escalation import _in_team_time
from heard.desk.models import (
    Attachment,
    Customer,
    CustomerEmail,
    Direction,
    Message,
    Notification,
    Team,
    Ticket,
)

# --- what other apps write on the desk (they never write its rows themselves) ------------------


def find_or_create_customer(address: str, name: str, time_zone: str = "UTC") -> Customer:
    """The customer with this address; an address never seen becomes a new customer, `name`d,
    with it as their primary address. Two jobs filing the same new sender at once make one."""
    address = address.strip().lower()
    known = CustomerEmail.objects.select_related("customer").filter(address=address).first()
    if known is not None:
        return known.customer
    return create_customer(address, name, time_zone)


def create_customer(address: str, name: str, time_zone: str = "UTC") -> Customer:
    """A new customer with this (lower-case) address as their primary one, for a caller that
    looked the address up already; if another job made them in the meantime, that customer."""
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                name=name.strip()[:200] or address[:200], time_zone=time_zone
            )
            CustomerEmail.objects.create(customer=customer, address=address, is_primary=True)
            return customer
    except IntegrityError:  # made by the other job in the meantime
        return CustomerEmail.objects.select_related("customer").get(address=address).customer


UNKNOWN_SENDER = "Unknown sender"


def find_or_create_unknown_sender() -> Customer:
    """The one customer that stands for senders nobody could read (unreadable email)."""
    customer, _ = Customer.objects.get_or_create(
        name=UNKNOWN_SENDER, defaults={"notes": "Emails whose sender could not be read."}
    )
    return customer


def mark_addresses_bouncing(addresses: Iterable[str]) -> int:
    """Customers' addresses that mail bounced from: no automatic mail goes to them any more.
    Returns how many known addresses were marked."""
    lowered = [address.strip().lower() for address in addresses]
    return CustomerEmail.objects.filter(address__in=lowered).update(bouncing=True)


def default_team() -> Team:
    """Where work nobody routed waits: the triage team, else the first team, else (a desk with
    no team yet) a team "Support" made for it."""
    team = Team.objects.order_by("-is_triage", "pk").first()
    if team is None:
        team, _ = Team.objects.get_or_create(slug="support", defaults={"name": "Support"})
    return team


def add_attachment(
    message: Message, filename: str, content_type: str, size: int, content: bytes | None
) -> Attachment:
    """Keep a file that came with a customer's message; `content` None lists one too large to
    keep by name and size alone (the raw email still holds it)."""
    name = (filename or "attachment").replace("/", "_")[:200]
    attachment = Attachment(message=message, filename=name, content_type=content_type, size=size)
    if content is not None:
        attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def record_system_message(ticket: Ticket, text: str, at: datetime | None = None) -> Message:
    """Keep on the ticket what Heard itself wrote to the customer (an acknowledgement, an
    update): it shows in the conversation, and moves no clock."""
    return Message.objects.create(
        ticket=ticket, direction=Direction.SYSTEM, text=text, created_at=_now(at)
    )


def record_promise(ticket: Ticket, promised: datetime, at: datetime | None = None) -> bool:
    """Keep when the acknowledgement (sent `at`) told the customer a person would first reply,
    for the honest-promise record (promised against actual first reply). Only the first promise
    counts, and only one made before the first reply; returns whether this one was kept."""
    at = _now(at)
    before_reply = Q(first_responded_at__isnull=True) | Q(first_responded_at__gt=at)
    kept = Ticket.objects.filter(before_reply, pk=ticket.pk, promised_reply_at__isnull=True).update(
        promised_reply_at=promised
    )
    if kept:
        ticket.promised_reply_at = promised
        when = _in_team_time(ticket, promised)
        record_event(ticket, None, "promise", note=f"a first reply by {when}", at=at)
    return bool(kept)


def notify(
    recipient_ids: Iterable[int | None],
    ticket: Ticket | None,
    text: str,
    at: datetime | None = None,
) -> list[Notification]:
    """An in-app notice to each of these users (ids; None and repeats are skipped), e.g. the
    people who helped on a ticket whose customer answered a survey unhappily."""
    at = _now(at)
    ids = list(dict.fromkeys(pk for pk in recipient_ids if pk is not None))
    return Notification.objects.bulk_create(
        Notification(recipient_id=pk, ticket=ticket, text=text[:300], created_at=at) for pk in ids
    )


def mark_notifications_read(user: User, at: datetime | None = None) -> int:
    """Mark every unread notice of this user read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.update(read_at=_now(at))
