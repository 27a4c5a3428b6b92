"""What happens to a stored email: read it, recognise automated mail, thread it, answer it.

`file_waiting(raw_id)` runs as a job after `intake.receive()` committed the raw bytes (in a burst,
a job files many: `BATCH`). It never loses the email: mail that cannot be read becomes a ticket
for an agent; automated mail (bounces, out-of-office, lists) is filed without an answer, a bounce
marking the address as bouncing; a person's email threads into its ticket or opens a new one,
which is acknowledged. If processing itself fails, the raw email is marked failed with the error
and can be processed again (`heard reprocess`). Emails whose job was lost are filed by a periodic
job (`file_stranded`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.desk import actions, routing
from heard.desk.models import Channel, Customer, Message, Ticket
from heard.engine import Reading, read_many
from heard.jobs import enqueue
from heard.mail.filing import matching
from heard.mail.models import Delivery, Intake, OutboundEmail, RawEmail, Source
from heard.mail.parsing.message import Address, InboundEmail
from heard.mail.parsing.parse import parse_email

log = logging.getLogger(__name__)

UNREADABLE_SUBJECT = "Email that could not be read"
# Such a ticket needs a person, not a reply target: no clock, no round-robin, after every
# customer in care order, and its row says this (heard.desk.actions.open_ticket's needs_person).
UNREADABLE_REASON = "this email could not be read"
ACKNOWLEDGE_WITHIN = timedelta(days=1)  # older emails are filed without an acknowledgement
BATCH = 16  # emails one job parses and reads together at most, in a burst
BATCH_EMAIL_BYTES = 256 * 1024  # larger emails (attachments) are only filed by their own job
CLAIM_FOR = timedelta(minutes=5)  # a claimed email is left to its worker this long
STRANDED_AFTER = timedelta(minutes=1)  # still waiting after this: its job was lost
FILED_FIELDS = [
    "intake",
    "header_message_id",
    "automated",
    "error",
    "ticket",
    "message",
    "processed_at",
]
_FROM_LINE = re.compile(rb"^From:.*?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", re.IGNORECASE | re.MULTILINE)


def file_waiting(raw_id: int) -> int:
    """File email `raw_id` and, in a burst, the oldest others still waiting; returns how many.

    The job queued for each received email calls this. Alone, an email is filed by itself; when
    many arrive at once, a job takes up to `BATCH` of them, so that the engine reads them in one
    call (a third of the cost of reading each alone), then files and acknowledges them one by
    one, oldest first. Claims keep two workers from taking the same email.
    """
    claimed = _claim(raw_id)
    _process_all(claimed)
    return len(claimed)


def file_stranded(older_than: timedelta = STRANDED_AFTER) -> int:
    """File emails still waiting long after they arrived: their job was lost (the in-process
    pool loses its queue when Heard stops) or their worker died holding them."""
    done = 0
    while claimed := _claim(None, received_before=timezone.now() - older_than):
        _process_all(claimed)
        done += len(claimed)
    return done


def process(raw_id: int) -> None:
    """File one received or failed email (`heard reprocess`), whether claimed or not."""
    _process_all([raw_id])


def _claim(raw_id: int | None, received_before: datetime | None = None) -> list[int]:
    """Claim `raw_id` (else the oldest waiting email) if no worker holds it, and the oldest
    other small waiting emails up to BATCH: a large one is never held in memory with others."""
    now = timezone.now()
    waiting = RawEmail.objects.filter(intake=Intake.RECEIVED).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    if received_before is not None:
        waiting = waiting.filter(received_at__lt=received_before)
    if not waiting.exists():  # the usual end of a burst: no write transaction just to see that
        return []
    free = waiting.select_for_update(skip_locked=True).values_list("pk", flat=True)
    with transaction.atomic():
        first = free.filter(pk=raw_id) if raw_id is not None else free.order_by("pk")[:1]
        claimed = list(first)
        small = free.exclude(pk__in=[raw_id, *claimed]).filter(size__lte=BATCH_EMAIL_BYTES)
        claimed += small.order_by("pk")[: BATCH - len(claimed)]
        if claimed:
            RawEmail.objects.filter(pk__in=claimed).update(claimed_until=now + CLAIM_FOR)
    return claimed


def _process_all(raw_ids: list[int]) -> None:
    """Parse the emails, read the people's words together, then file each in its own
    transaction, so that one email's failure never holds back or undoes another's."""
    unfiled = RawEmail.objects.filter(pk__in=raw_ids, intake__in=[Intake.RECEIVED, Intake.FAILED])
    parsed: dict[int, InboundEmail] = {}
    for raw_id, data, envelope_from in unfiled.values_list("pk", "data", "envelope_from"):
        try:
            parsed[raw_id] = parse_email(
                bytes(data),
                envelope_sender=envelope_from,
                max_attachment_bytes=settings.HEARD_MAX_ATTACHMENT_BYTES,
            )
        except Exception as error:
            _failed(raw_id, error)
    readings = _read(parsed)
    for raw_id in sorted(parsed):
        _process_one(raw_id, parsed[raw_id], readings.get(raw_id))


def _read(parsed: dict[int, InboundEmail]) -> dict[int, Reading]:
    """The engine's reading of each email from a person, all in one call. If the engine fails,
    nothing is lost: each message is then read by a job of its own after filing."""
    people = [pk for pk, email in sorted(parsed.items()) if _from_person(email)]
    try:
        readings = read_many([customer_text(parsed[pk]) for pk in people])
    except Exception:
        log.exception("could not read emails %s: each will be read after filing", people)
        return {}
    return dict(zip(people, readings, strict=True))


def _process_one(raw_id: int, email: InboundEmail, reading: Reading | None) -> None:
    """File one parsed email; a failure is recorded on it, never raised into the job runner."""
    unfiled = RawEmail.objects.filter(pk=raw_id, intake__in=[Intake.RECEIVED, Intake.FAILED])
    try:
        with transaction.atomic():
            raw = unfiled.defer("data").select_for_update().first()
            if raw is None:
                return  # filed meanwhile by another worker: processing twice changes nothing
            _file(raw, email, reading)
            raw.error = "" if raw.intake != Intake.UNREADABLE else raw.error
            raw.processed_at = timezone.now()
            raw.save(update_fields=FILED_FIELDS)  # never rewrites the bytes as received
    except Exception as error:
        _failed(raw_id, error)


def _failed(raw_id: int, error: Exception) -> None:
    log.exception("could not process raw email %s", raw_id)
    # Only an email that was not filed is marked: a failure after the commit (a job queued by
    # it) must not make `heard reprocess` file it twice.
    RawEmail.objects.filter(pk=raw_id, intake__in=[Intake.RECEIVED, Intake.FAILED]).update(
        intake=Intake.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
    )


def _file(raw: RawEmail, email: InboundEmail, reading: Reading | None) -> None:
    raw.header_message_id = (email.message_id or "")[:998]
    if email.error or email.sender is None:
        _file_unreadable(raw, email.error or "the email names no sender")
    elif _is_duplicate(raw):
        raw.intake = Intake.DUPLICATE
    elif email.automated is not None:
        _file_automated(raw, email)
    else:
        _file_from_person(raw, email, reading)


def _from_person(email: InboundEmail) -> bool:
    return not email.error and email.sender is not None and email.automated is None


def customer_text(email: InboundEmail) -> str:
    """What the customer's message says: their new words, else the whole text."""
    return email.new_text.strip() or email.text.strip() or "(the email has no text)"


def _is_duplicate(raw: RawEmail) -> bool:
    """The same bytes, or the same Message-ID, already filed (e.g. received by SMTP and IMAP)."""
    filed = RawEmail.objects.exclude(pk=raw.pk).exclude(
        intake__in=[Intake.RECEIVED, Intake.FAILED, Intake.DUPLICATE]
    )
    same = Q(sha256=raw.sha256)
    if raw.header_message_id:
        same |= Q(header_message_id=raw.header_message_id)
    return filed.filter(same).exists()


def _file_from_person(raw: RawEmail, email: InboundEmail, reading: Reading | None) -> None:
    sender = email.sender
    assert sender is not None  # checked by _file
    customer = customer_for(sender, email.date)
    ticket = matching.find_ticket(email, raw.recipients(), customer)
    text, html = customer_text(email), email.html or ""
    opened = ticket is None
    if ticket is None:
        chosen = route_for(email, raw.recipients(), customer)
        ticket = actions.open_ticket(
            customer=customer,
            team=chosen.team,
            subject=email.subject,
            text=text,
            html=html,
            channel=Channel.PORTAL if raw.source == Source.WEB else Channel.EMAIL,
            reading=reading,
        )
        actions.record_event(ticket, None, "routed", after=chosen.team, note=chosen.event_note())
        message = ticket.first_message  # type: ignore[attr-defined]
    else:
        message = actions.record_customer_message(ticket, text, html, reading=reading)
        # A follow-up ticket was opened when the old one was closed (a merged duplicate's words
        # go on in an existing ticket instead).
        opened = message.ticket.follow_up_of_id == ticket.pk
        ticket = message.ticket
    _store_attachments(message, email)
    raw.intake, raw.ticket, raw.message = Intake.THREADED, ticket, message
    if opened:
        _acknowledge_if_recent(ticket, email)


def _acknowledge_if_recent(ticket: Ticket, email: InboundEmail) -> None:
    """Acknowledge a new ticket, unless the email was written long ago (an imported archive, a
    mailbox polled for the first time): "we got your message" days later would be untrue."""
    written = email.date or timezone.now()
    if timezone.now() - written > ACKNOWLEDGE_WITHIN:
        note = f"not sent: the email was written {written:%Y-%m-%d}"
        actions.record_event(ticket, None, "acknowledgement", note=note)
        return
    from heard.mail.tasks import send_acknowledgement  # tasks import this module

    enqueue(send_acknowledgement, ticket.pk)


def _file_automated(raw: RawEmail, email: InboundEmail) -> None:
    """Automated mail gets no answer. A bounce marks the address and the email it returns;
    anything that threads into a ticket is noted there for the agent."""
    automated = email.automated
    assert automated is not None
    raw.intake, raw.automated = Intake.AUTOMATED, automated.reason[:300]
    if email.bounced_recipients:
        actions.mark_addresses_bouncing(email.bounced_recipients)
    ticket = matching.find_ticket_of_returned(email) or matching.find_ticket(
        email, raw.recipients(), None
    )
    if ticket is None:
        return
    raw.ticket = ticket
    if automated.kind == "bounce":
        _mark_bounced(ticket, email)
    actions.record_event(
        ticket, None, "automated mail", note=f"{automated.kind}: {automated.detail}"
    )


def _mark_bounced(ticket: Ticket, email: InboundEmail) -> None:
    returned = OutboundEmail.objects.filter(ticket=ticket)
    if email.original_message_id:
        returned = returned.filter(header_message_id=email.original_message_id.strip("<>"))
    else:
        returned = returned.filter(to_address__in=email.bounced_recipients)
    recipients = ", ".join(email.bounced_recipients) or "the recipient"
    returned.update(delivery=Delivery.FAILED, last_error=f"bounced: {recipients} unreachable")


def _file_unreadable(raw: RawEmail, error: str) -> None:
    """A ticket for an agent to look at (not timed or assigned like a customer's), from whoever
    the bytes seem to come from; the raw stays attached."""
    match = _FROM_LINE.search(bytes(raw.data)[:65536])
    address = match.group(1).decode("ascii", "replace") if match else ""
    customer = (
        customer_for(Address("", address)) if address else actions.find_or_create_unknown_sender()
    )
    text = (
        f"Heard could not read this email ({error}). The message is kept exactly as it was "
        f"received ({raw.size} bytes): open the original from this ticket."
    )
    ticket = actions.open_ticket(
        customer=customer,
        team=actions.default_team(),
        subject=UNREADABLE_SUBJECT,
        text=text,
        needs_person=UNREADABLE_REASON,
    )
    raw.intake, raw.error, raw.ticket = Intake.UNREADABLE, error[:2000], ticket
    raw.message = ticket.first_message  # type: ignore[attr-defined]


def _store_attachments(message: Message, email: InboundEmail) -> None:
    for part in email.attachments:
        if part.content is None and not part.oversize:
            continue  # nested too deeply to write back: the raw email still holds it
        # an oversize one (no content) is listed by name and size alone
        actions.add_attachment(
            message, part.filename or "", part.content_type, part.size, part.content
        )


def customer_for(sender: Address, sent_at: datetime | None = None) -> Customer:
    """The customer with this address; a new sender becomes a customer, named as they sign,
    in the time zone their email was written in (so that "around 10:00" means their 10:00)."""
    address = sender.address.strip().lower()
    name = sender.name.strip() or _name_from_address(address)
    return actions.find_or_create_customer(address, name, time_zone=_zone_of(sent_at))


def _zone_of(sent_at: datetime | None) -> str:
    """A whole-hour UTC offset as an IANA zone ("Etc/GMT-2" is UTC+2, POSIX's sign), else UTC."""
    offset = sent_at.utcoffset() if sent_at is not None else None
    if offset is None or offset.total_seconds() % 3600 or abs(offset.total_seconds()) > 14 * 3600:
        return "UTC"
    hours = int(offset.total_seconds() // 3600)
    return f"Etc/GMT{-hours:+d}" if hours else "UTC"


def _name_from_address(address: str) -> str:
    """'maja.novak@example.com' -> 'Maja Novak': better than an address in a greeting."""
    local = address.partition("@")[0].partition("+")[0]
    words = [w for w in re.split(r"[._-]+", local) if w.isalpha()]
    return " ".join(w.capitalize() for w in words) or address


def route_for(email: InboundEmail, recipients: list[str], customer: Customer) -> routing.Route:
    """The team a new ticket from this email goes to, by the teams' routing rules."""
    addresses = [*recipients, *(a.address for a in email.to + email.cc)]
    sender = email.sender.address if email.sender is not None else ""
    table = routing.routing_table()
    if not table.teams:  # a desk with no team yet: the one made for it
        table = routing.RoutingTable([actions.default_team()], [])
    return routing.route(addresses, sender, email.subject, customer_text(email), customer, table)
