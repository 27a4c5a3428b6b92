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

import contextlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from heard.desk import actions, routing
from heard.desk.models import Channel, Customer, CustomerEmail, Message, Status, Ticket
from heard.engine import Reading, read_many
from heard.mail.filing import matching
from heard.mail.models import Delivery, Intake, OutboundEmail, RawEmail, Source
from heard.mail.parsing.message import Address, InboundEmail
from heard.mail.parsing.parse import parse_email
from heard.mail.sending import acknowledge

log = logging.getLogger(__name__)

UNREADABLE_SUBJECT = "Email that could not be read"
# Such a ticket needs a person, not a reply target: no clock, no round-robin, after every
# customer in care order, and its row says this (heard.desk.actions.open_ticket's needs_person).
UNREADABLE_REASON = "this email could not be read"
# An email that was received but could not be filed (a bug, a database refusal) stands in the
# queue the same way, until `heard reprocess` files it.
UNFILED_SUBJECT = "Email that could not be filed"
UNFILED_REASON = "this email could not be filed"
MAX_ADDRESS = 254  # RFC 5321's limit for an address; a longer one is no sender to answer
ACKNOWLEDGE_WITHIN = timedelta(days=1)  # older emails are filed without an acknowledgement
BATCH = 16  # emails one job parses and reads together at most, in a burst
BATCH_EMAIL_BYTES = 256 * 1024  # larger emails (attachments) are only filed by their own job
CLAIM_FOR = timedelta(minutes=5)  # a claimed email is left to its worker this long
STRANDED_AFTER = timedelta(minutes=1)  # still waiting after this: its job was lost
_FROM_LINE = re.compile(rb"^From:.*?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", re.IGNORECASE | re.MULTILINE)


def file_waiting(raw_id: int) -> int:
    """File email `raw_id` and, in a burst, the oldest others still waiting; returns how many.

    The job queued for each received email calls this. Alone, an email is filed by itself; when
    many arrive at once, a job takes up to `BATCH` of them, so that the engine reads them in one
    call (a third of the cost of reading each alone) and what filing looks up (known senders,
    duplicates, the routing table) is read once for all, then files and acknowledges them one by
    one, oldest first. Claims keep two workers from taking the same email.
    """
    claimed = _claim(raw_id)
    if claimed:
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
    _process_all(list(_unfiled().filter(pk=raw_id)))


def _unfiled() -> QuerySet[RawEmail]:
    return RawEmail.objects.filter(intake__in=_UNFILED)


def _claim(raw_id: int | None, received_before: datetime | None = None) -> list[RawEmail]:
    """Claim `raw_id` (else the oldest waiting email) if no worker holds it, and the oldest
    other small waiting emails up to BATCH: a large one is never held in memory with others.
    The claimed rows come back whole, bytes included, read by the query that locks them."""
    now = timezone.now()
    # the usual end of a burst: no write transaction just to see that
    if not _any_waiting(now, received_before):
        return []
    waiting = RawEmail.objects.filter(intake=Intake.RECEIVED).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    if received_before is not None:
        waiting = waiting.filter(received_at__lt=received_before)
    # its own email (else the oldest) whatever its size, then the oldest small ones
    first = raw_id if raw_id is not None else Subquery(waiting.order_by("pk").values("pk")[:1])
    rows = waiting.filter(Q(pk=first) | Q(size__lte=BATCH_EMAIL_BYTES))
    order: list[str | Case] = ["pk"]
    if raw_id is not None:
        order.insert(0, Case(When(pk=raw_id, then=0), default=1))
    with transaction.atomic():
        claimed = list(rows.select_for_update(skip_locked=True).order_by(*order)[:BATCH])
        if claimed:
            RawEmail.objects.filter(pk__in=[r.pk for r in claimed]).update(
                claimed_until=now + CLAIM_FOR
            )
    return claimed


def _any_waiting(now: datetime, received_before: datetime | None) -> bool:
    """Whether any email waits unclaimed (received before `received_before`, when given).

    Every job of a burst's tail asks this and finds none, so it is written out as SQL: built by
    the ORM, the question costs several times the CPU of asking it. Only the table name is put
    into the SQL; every value is a parameter."""
    adapt = connection.ops.adapt_datetimefield_value
    sql = _ANY_WAITING.format(table=connection.ops.quote_name(RawEmail._meta.db_table))
    params = [Intake.RECEIVED.value, adapt(now)]
    if received_before is not None:
        sql, params = f"{sql} AND received_at < %s", [*params, adapt(received_before)]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT 1", params)
        return cursor.fetchone() is not None


_ANY_WAITING = (
    "SELECT 1 FROM {table} WHERE intake = %s AND (claimed_until IS NULL OR claimed_until < %s)"
)


def _process_all(raws: list[RawEmail]) -> None:
    """Parse the emails, read the people's words together, look up what filing needs for all
    of them, then file each in its own transaction, so that one email's failure never holds
    back or undoes another's."""
    parsed: dict[int, InboundEmail] = {}
    for raw in raws:
        try:
            parsed[raw.pk] = parse_email(
                bytes(raw.data),
                envelope_sender=raw.envelope_from,
                max_attachment_bytes=settings.HEARD_MAX_ATTACHMENT_BYTES,
                max_text_bytes=settings.HEARD_MAX_TEXT_BYTES,
            )
        except Exception as error:
            _failed(raw.pk, error)
    readings = _read(parsed)
    batch = _Batch.look_up([raw for raw in raws if raw.pk in parsed], parsed)
    for raw in sorted(raws, key=lambda r: r.pk):
        if raw.pk in parsed:
            _process_one(raw, parsed[raw.pk], readings.get(raw.pk), batch)


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


def _process_one(
    raw: RawEmail, email: InboundEmail, reading: Reading | None, batch: _Batch
) -> None:
    """File one parsed email; a failure is recorded on it, never raised into the job runner."""
    try:
        with transaction.atomic():
            stand_in = _take_stand_in(raw)
            _file(raw, email, reading, batch)
            raw.error = "" if raw.intake != Intake.UNREADABLE else raw.error
            raw.processed_at = timezone.now()
            # never rewrites the bytes as received; no row: filed meanwhile by another worker
            if not _record_filed(raw):
                raise _FiledMeanwhile
            if stand_in is not None:
                _stand_in_done(stand_in, raw)
    except _FiledMeanwhile:
        return  # its filing is undone: processing twice changes nothing
    except Exception as error:
        _failed(raw.pk, error)
    else:
        batch.filed(raw)


def _record_filed(raw: RawEmail) -> bool:
    """Write how `raw` was filed (its filing fields, never its bytes) if it is still unfiled;
    False if another worker filed it meanwhile.

    The conditional update written out as SQL, as every email runs it: built by the ORM, it
    costs several times the CPU of running it. Only the table name is put into the SQL; every
    value is a parameter."""
    filed: list[Any] = [str(raw.intake), raw.header_message_id, raw.automated, raw.error]
    filed += [raw.ticket_id, raw.message_id]
    filed += [connection.ops.adapt_datetimefield_value(raw.processed_at), raw.pk, *_UNFILED]
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(RawEmail._meta.db_table)
        cursor.execute(_RECORD_FILED.format(table=table), filed)
        return cursor.rowcount == 1


_UNFILED = (Intake.RECEIVED.value, Intake.FAILED.value)
_RECORD_FILED = (
    "UPDATE {table} SET intake = %s, header_message_id = %s, automated = %s, error = %s,"
    " ticket_id = %s, message_id = %s, processed_at = %s WHERE id = %s AND intake IN (%s, %s)"
)


class _FiledMeanwhile(Exception):
    """Another worker filed this email while this one was filing it too."""


def _failed(raw_id: int, error: Exception) -> None:
    log.exception("could not process raw email %s", raw_id)
    # Only an email that was not filed is marked: a failure after the commit (a job queued by
    # it) must not make `heard reprocess` file it twice.
    marked = RawEmail.objects.filter(
        pk=raw_id, intake__in=[Intake.RECEIVED, Intake.FAILED]
    ).update(intake=Intake.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
    if marked:
        _open_stand_in(raw_id)


def _open_stand_in(raw_id: int) -> None:
    """A ticket that needs a person, in place of an email that could not be filed (once per
    email): an agent sees it, why, and the original, while `heard reprocess` retries it. If even
    that cannot be written (the database is down), the email stays marked failed."""
    try:
        with transaction.atomic():
            raw = (
                RawEmail.objects.defer("data")
                .select_for_update()
                .filter(pk=raw_id, intake=Intake.FAILED, ticket__isnull=True)
                .first()
            )
            if raw is None:
                return
            text = (
                f"Heard received this email but could not file it ({raw.error}). It is kept "
                f"exactly as received ({raw.size} bytes): open the original from this ticket. "
                "Heard tries again when `heard reprocess` runs, and says here when it is filed."
            )
            ticket = _needs_person_ticket(raw, UNFILED_SUBJECT, text, UNFILED_REASON)
            raw.ticket, raw.message = ticket, ticket.first_message  # type: ignore[attr-defined]
            raw.save(update_fields=["ticket", "message"])
    except Exception:
        log.exception("could not open a ticket for raw email %s, which could not be filed", raw_id)


def _take_stand_in(raw: RawEmail) -> Ticket | None:
    """The stand-in ticket of an email filed on a later try, unlinked so that the email is
    filed as any other."""
    if raw.intake != Intake.FAILED or raw.ticket_id is None:
        return None
    stand_in = raw.ticket
    raw.ticket, raw.message = None, None
    return stand_in


def _stand_in_done(stand_in: Ticket, raw: RawEmail) -> None:
    """The stand-in says where the email went, and is solved: nothing is left to do there."""
    where = f"as {raw.ticket.reference}" if raw.ticket else f"({raw.get_intake_display()})"
    note = f"the email was filed on a later try {where}"
    actions.record_event(stand_in, None, "filed", note=note)
    with contextlib.suppress(actions.DeskError):  # an agent has already moved it on
        actions.change_status(stand_in, None, Status.SOLVED)


def _file(raw: RawEmail, email: InboundEmail, reading: Reading | None, batch: _Batch) -> None:
    raw.header_message_id = (email.message_id or "")[:998]
    if email.error or email.sender is None:
        _file_unreadable(raw, email.error or "the email names no sender")
    elif batch.is_duplicate(raw):
        raw.intake = Intake.DUPLICATE
    elif email.automated is not None:
        _file_automated(raw, email)
    else:
        with actions.events_together():  # a new ticket's history rows in one insert
            _file_from_person(raw, email, reading, batch)


def _from_person(email: InboundEmail) -> bool:
    return not email.error and email.sender is not None and email.automated is None


def customer_text(email: InboundEmail) -> str:
    """What the customer's message says: their new words, else the whole text."""
    return email.new_text.strip() or email.text.strip() or "(the email has no text)"


@dataclass
class _Sender:
    customer: Customer
    primary_address: str  # where their automatic mail goes
    latest_team_id: int | None  # the team of their most recent ticket (routing's earlier team)


@dataclass
class _Batch:
    """What filing a batch of emails looks up once for all of them: which were filed already
    (the same bytes, or the same Message-ID, e.g. received by SMTP and IMAP), the senders
    Heard knows, and the routing table with each team's reply targets."""

    filed_sha256: set[str]
    filed_message_ids: set[str]
    senders: dict[str, _Sender]
    table: routing.RoutingTable | None = None

    @classmethod
    def look_up(cls, raws: list[RawEmail], parsed: dict[int, InboundEmail]) -> _Batch:
        message_ids = [(parsed[r.pk].message_id or "")[:998] for r in raws]
        shas = [r.sha256 for r in raws]
        filed = RawEmail.objects.exclude(
            intake__in=[Intake.RECEIVED, Intake.FAILED, Intake.DUPLICATE]
        ).filter(Q(sha256__in=shas) | Q(header_message_id__in=[m for m in message_ids if m]))
        rows = list(filed.values_list("sha256", "header_message_id")) if raws else []
        people = {
            email.sender.address.strip().lower()
            for email in parsed.values()
            if email.sender is not None and _from_person(email)
        }
        return cls(
            filed_sha256={sha for sha, _ in rows},
            filed_message_ids={mid for _, mid in rows if mid},
            senders=_known_senders(people) if people else {},
        )

    def is_duplicate(self, raw: RawEmail) -> bool:
        mid = raw.header_message_id
        return raw.sha256 in self.filed_sha256 or bool(mid and mid in self.filed_message_ids)

    def filed(self, raw: RawEmail) -> None:
        """`raw` was filed: a later one in the batch with its bytes or id is a duplicate."""
        if raw.intake not in (Intake.RECEIVED, Intake.FAILED, Intake.DUPLICATE):
            self.filed_sha256.add(raw.sha256)
            if raw.header_message_id:
                self.filed_message_ids.add(raw.header_message_id)

    def routing_table(self) -> routing.RoutingTable:
        if self.table is None:
            table = routing.routing_table()
            if not table.teams:  # a desk with no team yet: the one made for it
                table = routing.RoutingTable([actions.default_team()], [])
            prefetch_related_objects(table.teams, "sla_policies")  # every ticket's targets
            self.table = table
        return self.table

    def sender(self, sender: Address, sent_at: datetime | None) -> _Sender:
        """The sender as a customer (a new one for an address never seen)."""
        address = sender.address.strip().lower()
        known = self.senders.get(address)
        if known is None:
            customer = actions.create_customer(
                address, _sender_name(sender, address), time_zone=_zone_of(sent_at)
            )
            known = self.senders[address] = _Sender(customer, address, None)
        return known


def _known_senders(addresses: set[str]) -> dict[str, _Sender]:
    """The customers with these addresses, with their primary address and latest team."""
    theirs = CustomerEmail.objects.filter(customer=OuterRef("customer"))
    latest = Ticket.objects.filter(customer=OuterRef("customer")).order_by("-created_at", "-pk")
    rows = (
        CustomerEmail.objects.filter(address__in=addresses)
        .select_related("customer")
        .annotate(
            primary_address=Subquery(theirs.order_by("-is_primary", "pk").values("address")[:1]),
            latest_team_id=Subquery(latest.values("team_id")[:1]),
        )
    )
    return {
        row.address: _Sender(row.customer, row.primary_address, row.latest_team_id)  # type: ignore[attr-defined]
        for row in rows
    }


def _file_from_person(
    raw: RawEmail, email: InboundEmail, reading: Reading | None, batch: _Batch
) -> None:
    assert email.sender is not None  # checked by _file
    sender = batch.sender(email.sender, email.date)
    customer = sender.customer
    ticket = matching.find_ticket(email, raw.recipients(), customer)
    text, html = customer_text(email), email.html or ""
    opened = ticket is None
    if ticket is None:
        chosen = route_for(
            email, raw.recipients(), customer, batch.routing_table(), sender.latest_team_id
        )
        ticket = actions.open_ticket(
            customer=customer,
            team=chosen.team,
            subject=email.subject,
            text=text,
            html=html,
            channel=Channel.PORTAL if raw.source == Source.WEB else Channel.EMAIL,
            reading=reading,
            route_note=chosen.event_note(),
        )
        sender.latest_team_id = ticket.team_id
        message = ticket.first_message  # type: ignore[attr-defined]
    else:
        message = actions.record_customer_message(
            ticket, text, html, reading=reading, locked=True  # found locked, with its team
        )
        # A follow-up ticket was opened when the old one was closed (a merged duplicate's words
        # go on in an existing ticket instead).
        opened = message.ticket.follow_up_of_id == ticket.pk
        ticket = message.ticket
    _store_attachments(message, email)
    raw.intake, raw.ticket, raw.message = Intake.THREADED, ticket, message
    if opened:
        theirs = ticket.customer_id == customer.pk
        address = sender.primary_address if theirs else ticket.customer.primary_email()
        _acknowledge_if_recent(ticket, email, message, address, raw.header_message_id)


def _acknowledge_if_recent(
    ticket: Ticket, email: InboundEmail, message: Message, address: str, message_id: str
) -> None:
    """Acknowledge a new ticket, unless the email was written long ago (an imported archive, a
    mailbox polled for the first time): "we got your message" days later would be untrue.

    It is queued in the transaction that files the email, so a filed email is never left
    without its acknowledgement by a crash; in a savepoint, so that an acknowledgement that
    fails leaves the filing whole (the ticket's history says so, the log says why).
    """
    written = email.date or timezone.now()
    if timezone.now() - written > ACKNOWLEDGE_WITHIN:
        note = f"not sent: the email was written {written:%Y-%m-%d}"
        actions.record_event(ticket, None, "acknowledgement", note=note)
        return
    try:  # undone whole if it fails: its rows, and the history rows it recorded
        with transaction.atomic(), actions.events_together():
            acknowledge.acknowledge_opened(ticket, message, address, answers=message_id)
    except Exception:
        log.exception("could not acknowledge %s", ticket.reference)
        note = "not sent: Heard could not write it (the error is in its log)"
        actions.record_event(ticket, None, "acknowledgement", note=note)


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
    text = (
        f"Heard could not read this email ({error}). The message is kept exactly as it was "
        f"received ({raw.size} bytes): open the original from this ticket."
    )
    ticket = _needs_person_ticket(raw, UNREADABLE_SUBJECT, text, UNREADABLE_REASON)
    raw.intake, raw.error, raw.ticket = Intake.UNREADABLE, error[:2000], ticket
    raw.message = ticket.first_message  # type: ignore[attr-defined]


def _needs_person_ticket(raw: RawEmail, subject: str, text: str, reason: str) -> Ticket:
    """A ticket for an agent to look at, from whoever the raw bytes seem to come from."""
    match = _FROM_LINE.search(bytes(raw.data)[:65536])
    address = match.group(1).decode("ascii", "replace") if match else ""
    customer = (
        customer_for(Address("", address))
        if 0 < len(address) <= MAX_ADDRESS
        else actions.find_or_create_unknown_sender()
    )
    return actions.open_ticket(
        customer=customer,
        team=actions.default_team(),
        subject=subject,
        text=text,
        needs_person=reason,
    )


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
    name = _sender_name(sender, address)
    return actions.find_or_create_customer(address, name, time_zone=_zone_of(sent_at))


def _sender_name(sender: Address, address: str) -> str:
    return sender.name.strip() or _name_from_address(address)


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


def route_for(
    email: InboundEmail,
    recipients: list[str],
    customer: Customer,
    table: routing.RoutingTable | None = None,
    earlier_team_id: int | None = None,
) -> routing.Route:
    """The team a new ticket from this email goes to, by the teams' routing rules (`table` and
    the customer's `earlier_team_id` when the caller read them already)."""
    addresses = [*recipients, *(a.address for a in email.to + email.cc)]
    sender = email.sender.address if email.sender is not None else ""
    if table is None:
        table = routing.routing_table()
        if not table.teams:  # a desk with no team yet: the one made for it
            table = routing.RoutingTable([actions.default_team()], [])
        return routing.route(
            addresses, sender, email.subject, customer_text(email), customer, table
        )
    facts = routing.Email(
        tuple(addresses), sender, email.subject, customer_text(email), earlier_team_id
    )
    return routing.choose(table, facts)
