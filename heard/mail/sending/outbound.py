"""Outgoing email: queued with the change that causes it, sent by a job, retried, reported.

An email is an `OutboundEmail` row first, created in the transaction of the reply or event that
causes it; the `send_email` job sends it once that transaction commits. A failed attempt is
retried with exponential backoff by `send_due()` (scheduled every 30 s, which also catches rows
whose job was lost); after HEARD_MAIL_ATTEMPTS attempts, or at once on a permanent refusal, the
email is marked failed, the ticket's history says so and its assignee (else the team lead) gets a
notification. The state of each email shows under its message on the ticket page.

Heard must never start a mail loop, so automatic mail (`heard.mail.kinds`) goes through
`queue_automatic`, which refuses Heard's own addresses, our own domain, machines' mailboxes and
bouncing addresses, and caps what any one address gets; `heard.mail.sending.compose` marks it
Auto-Submitted. The caps differ by audience. A customer's address gets at most
HEARD_AUTOMAIL_PER_HOUR and HEARD_AUTOMAIL_PER_DAY automatic emails (sliding windows); beyond
them an email is held back. A notice to a member of staff (a notification to an active user's
address, e.g. an escalation to a team lead) never counts against those caps: up to
HEARD_STAFF_NOTICES_PER_HOUR go out one by one in an hour, and the rest wait as `HeldNotice` rows
for one digest (`heard.mail.sending.digest`). Nothing is held back silently: the ticket's history
says what was held and why ("email held back").

Sending is at least once: a worker that dies between handing an email to the mail server and
recording it leaves the row claimed until SEND_LEASE passes, and it is then sent again.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    IntegerField,
    Model,
    Q,
)
from django.db.models.expressions import Col, RawSQL
from django.db.models.fields import Field
from django.urls import reverse
from django.utils import timezone

from heard.desk import actions
from heard.desk.models import (
    ConsentKind,
    Customer,
    CustomerEmail,
    Direction,
    Message,
    Team,
    Ticket,
    agent_for,
)
from heard.jobs import enqueue
from heard.mail import kinds
from heard.mail.kinds import Audience, Caps, EmailKind, OptOut
from heard.mail.models import Delivery, HeldNotice, OutboundEmail, RawEmail
from heard.mail.parsing.senders import is_system_address
from heard.mail.sending import compose, signing, unsubscribe
from heard.mail.sending.compose import build_email

__all__ = [
    "build_email",
    "create_automatic",
    "queue_automatic",
    "queue_reply",
    "retry_delay",
    "send",
    "send_due",
]

log = logging.getLogger(__name__)

SEND_LEASE = timedelta(minutes=10)  # a claimed email is not claimed again before this passes
QUEUED_GRACE = timedelta(minutes=1)  # send_due leaves fresh emails to their own job
MAX_RETRY_DELAY = timedelta(hours=1)
SMTP_TIMEOUT = 30  # seconds, unless EMAIL_TIMEOUT says otherwise
SEND_BATCH = 100
_PENDING = (Delivery.QUEUED, Delivery.RETRYING)


# --- queueing --------------------------------------------------------------------------------


def queue_reply(message: Message) -> OutboundEmail | None:
    """Queue an agent's reply to the ticket's customer; None when they have no email address.

    Call it inside the transaction that posts the reply: the email is sent after the commit.
    """
    ticket = (
        Ticket.objects.select_related("customer")
        .prefetch_related("customer__emails")
        .get(pk=message.ticket_id)
    )
    address = ticket.customer.primary_email()
    if not address:
        return None
    agent = agent_for(message.author) if message.author else None
    first_name = agent.first_name() if agent else getattr(message.author, "first_name", "")
    in_reply_to, references = _thread(ticket)
    email = OutboundEmail.objects.create(
        ticket=ticket,
        message=message,
        kind=kinds.REPLY.code,
        from_header=compose.format_address(
            compose.sender_name(first_name, settings.HEARD_SUPPORT_NAME),
            settings.HEARD_SUPPORT_ADDRESS,
        ),
        to_address=address,
        reply_to=signing.reply_address(ticket.pk),
        subject=compose.thread_subject(ticket.subject, ticket.reference, reply=True),
        header_message_id=signing.new_message_id(ticket.pk),
        in_reply_to=in_reply_to,
        references=" ".join(references),
        text=message.text,
        html=compose.text_to_html(message.text),
    )
    _enqueue_send(email)
    return email


@transaction.atomic(savepoint=False)  # nested, it is part of its caller's work: no savepoint
def queue_automatic(
    kind: EmailKind,
    *,
    to_address: str,
    subject: str,
    text: str,
    ticket: Ticket | None = None,
    customer: Customer | None = None,
    why: Mapping[str, object] | None = None,
    summary: str = "",
    recipient: Recipient | None = None,
    keep_on_ticket: bool = False,
    answers: str | None = None,
) -> OutboundEmail | None:
    """Queue an email no person wrote, if its kind allows it now; the one way Heard writes by
    itself to anyone.

    The kind (`heard.mail.kinds`) decides: the loop guard first, then who may get it (a
    customer's own address, with the consent the kind needs and its automatic updates not
    stopped; an active member of staff), then the caps. The email ends with the kind's reason
    line, filled from `why` (and, for mail sent by consent, the day they agreed, so it is always
    true), and for a customer the way to stop it, also given as List-Unsubscribe.

    Returns None when it is not sent, with the reason in the ticket's history; a notice to staff
    over their hourly limit waits for the digest, where `summary` (else the subject) is its line.
    A customer email on their ticket threads into their conversation (signed Message-ID, reply
    address); any other email stands alone, and a reply to it cannot land in a customer's ticket.

    What the checks need is read in one query (`recipient_facts`; a caller that read it already,
    under the same transaction, passes it as `recipient`). With `keep_on_ticket`, what the email
    says is also kept on the ticket as a system message (acknowledgements, updates). `answers` is
    the Message-ID of the customer's email when it is the only one on the ticket (a ticket it
    just opened): the thread is then known without reading it.
    """
    if not kind.is_automatic or kind.caps == Caps.DIGEST:  # digests: heard.mail.sending.digest
        raise ValueError(f"{kind} is not an automatic kind of email sent one by one")
    address = to_address.strip().lower()
    now = timezone.now()
    if kind.audience == Audience.CUSTOMER and customer is None and ticket is not None:
        customer = ticket.customer
    facts = recipient or recipient_facts(kind, address, customer, now)
    customer = facts.customer  # what they agreed to as it stands now, not as it was loaded
    reason = refusal(address, facts) or withheld(kind, address, customer, facts)
    if reason is None and kind.caps in (Caps.CUSTOMER, Caps.STAFF):
        if kind.caps == Caps.STAFF:
            reason = over_staff_limit(address, now)
            if reason is not None:
                HeldNotice.objects.create(
                    ticket=ticket,
                    to_address=address,
                    subject=subject[:400],
                    text=text,
                    summary=(summary or subject)[:300],
                    reason=reason[:300],
                    created_at=now,
                )
                reason = f"{reason}; it waits for the next digest"
        else:
            reason = over_cap(address, now, facts)
    if reason is not None:
        _record_held_back(ticket, kind, address, reason, now)
        return None
    stop = unsubscribe.link(customer, kind) if customer is not None else ""
    for_them = customer is not None and ticket is not None and customer.pk == ticket.customer_id
    return create_automatic(
        kind,
        ticket=ticket,
        to_address=address,
        subject=subject,
        text=_with_reason(kind, text, ticket, customer, why or {}, stop),
        unsubscribe_url=stop,
        at=now,
        theirs=facts.theirs if for_them else None,
        keep_on_ticket=keep_on_ticket,
        answers=answers,
    )


@dataclass(frozen=True)
class Recipient:
    """What the loop guard, the audience and the caps need to know of an address (and of the
    customer an email is for), read together: one query for a customer's email."""

    customer: Customer | None  # re-read: the consent the kind needs and stopped updates, now
    theirs: bool  # the address is one of that customer's
    team_address: bool
    active_staff: bool  # an active user has this address
    bouncing: bool
    sent_last_hour: int  # automatic emails under the customer caps, in the sliding windows
    sent_last_day: int
    last_of_kind: datetime | None  # when this address last got an email of this kind


def recipient_facts(
    kind: EmailKind, address: str, customer: Customer | None, now: datetime | None = None
) -> Recipient:
    """Read what `queue_automatic` checks for this kind of email to this address, after taking
    the address's lock for capped kinds (so the counts cannot change before the email is
    queued in this transaction)."""
    now = now or timezone.now()
    address = address.strip().lower()
    if kind.caps in (Caps.CUSTOMER, Caps.STAFF):
        lock_recipient(address)
    if customer is None:  # a notice to staff: no customer row to read them with
        return Recipient(
            customer=None,
            theirs=False,
            team_address=Team.objects.filter(email__iexact=address).exists(),
            active_staff=_active_staff(address),
            bouncing=_bouncing(address),
            sent_last_hour=0,  # the customer caps count only customers' mail
            sent_last_day=0,
            last_of_kind=None,
        )
    facts = _facts_of_row(kind, address, now)
    if kind.consent is not None:  # with the consent record it needs
        consent = f"{kind.consent}_consent"
        fresh = Customer.objects.filter(pk=customer.pk).select_related(consent).annotate(**facts)
        row = fresh.get()
        return Recipient(customer=row, **{name: getattr(row, name) for name in facts})
    return _facts_of_customer(customer.pk, facts)


def _facts_of_customer(customer_id: int, facts: dict[str, RawSQL]) -> Recipient:
    """The customer's row with the facts, in one query written out as SQL and read as the ORM
    reads it (each value through its field's converters: SQLite gives 0/1 and dates as text):
    the ORM's `annotate(**facts).get()` costs ten times the CPU of running it, for every email
    queued. Only table and column names are put into the SQL; every value is a parameter."""
    columns, names, cols = _customer_columns()
    table = _tables()["customers"]
    subqueries = ", ".join(f"({fact.sql})" for fact in facts.values())
    sql = f"SELECT {columns}, {subqueries} FROM {table} WHERE {table}.id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(p for fact in facts.values() for p in fact.params), customer_id])
        row = cursor.fetchone()
    if row is None:
        raise Customer.DoesNotExist(f"no customer {customer_id}")
    read: list[Col | RawSQL] = [*cols, *facts.values()]
    values = [_read(value, column) for value, column in zip(row, read, strict=True)]
    customer = Customer.from_db(connection.alias, names, values[: len(names)])
    return Recipient(customer, **dict(zip(facts, values[len(names) :], strict=True)))


@cache
def _customer_columns() -> tuple[str, list[str], list[Col]]:
    """The customer's columns as SQL, their attribute names, and as expressions to read."""
    table = _tables()["customers"]
    fields = Customer._meta.concrete_fields
    columns = ", ".join(f"{table}.{connection.ops.quote_name(f.column)}" for f in fields)
    cols = [field.get_col(Customer._meta.db_table) for field in fields]
    return columns, [field.attname for field in fields], cols


def _read(value: Any, expression: Col | RawSQL) -> Any:
    """A value as the ORM reads it from a column or annotation of this expression."""
    for convert in [
        *connection.ops.get_db_converters(expression),
        *expression.get_db_converters(connection),
    ]:
        value = convert(value, expression, connection)
    return value


def _facts_of_row(kind: EmailKind, address: str, now: datetime) -> dict[str, RawSQL]:
    """The facts as subqueries of the customer's row, written out as SQL: built by the ORM,
    these seven subqueries cost several times the CPU of running them, for every email queued.
    Only table names are put into the SQL; every value is a parameter."""
    adapt = connection.ops.adapt_datetimefield_value
    capped = kinds.capped(Caps.CUSTOMER) or [""]
    kinds_in = ", ".join(["%s"] * len(capped))
    facts: dict[str, tuple[str, list[object]]] = {
        "theirs": (_THEIRS, [address]),
        "team_address": (_TEAM_ADDRESS, [address]),
        "active_staff": (_ACTIVE_STAFF, [address]),
        "bouncing": (_BOUNCING, [address]),
        "sent_last_hour": (
            _SENT_SINCE.replace("%(kinds)s", kinds_in),
            [address, *capped, adapt(now - timedelta(hours=1))],
        ),
        "sent_last_day": (
            _SENT_SINCE.replace("%(kinds)s", kinds_in),
            [address, *capped, adapt(now - timedelta(hours=24))],
        ),
        "last_of_kind": (_LAST_OF_KIND, [address, kind.code]),
    }
    tables = _tables()
    return {
        name: RawSQL(sql.format_map(tables), params, _FACT_FIELDS[name])  # noqa: S611  (see above)
        for name, (sql, params) in facts.items()
    }


# What each fact is read as (one field each, for every query: making fields costs CPU too).
_FACT_FIELDS: dict[str, Field[Any, Any]] = {
    "theirs": BooleanField(),
    "team_address": BooleanField(),
    "active_staff": BooleanField(),
    "bouncing": BooleanField(),
    "sent_last_hour": IntegerField(),
    "sent_last_day": IntegerField(),
    "last_of_kind": DateTimeField(),
}


_THEIRS = "EXISTS(SELECT 1 FROM {emails} WHERE customer_id = {customers}.id AND address = %s)"
_TEAM_ADDRESS = "EXISTS(SELECT 1 FROM {teams} WHERE UPPER(email) = UPPER(%s))"
_ACTIVE_STAFF = "EXISTS(SELECT 1 FROM {users} WHERE UPPER(email) = UPPER(%s) AND is_active)"
_BOUNCING = "EXISTS(SELECT 1 FROM {emails} WHERE address = %s AND bouncing)"
_SENT_SINCE = (
    "SELECT COUNT(*) FROM {sent} WHERE to_address = %s AND kind IN (%(kinds)s) AND created_at > %s"
)
_LAST_OF_KIND = "SELECT MAX(created_at) FROM {sent} WHERE to_address = %s AND kind = %s"


@cache
def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    models: dict[str, type[Model]] = {
        "customers": Customer,
        "emails": CustomerEmail,
        "teams": Team,
        "users": get_user_model(),
        "sent": OutboundEmail,
    }
    return {name: quote(model._meta.db_table) for name, model in models.items()}


def withheld(
    kind: EmailKind, address: str, customer: Customer | None, facts: Recipient | None = None
) -> str | None:
    """Why this kind may not go to this recipient (audience, consent, stopped updates), or None.

    Consent is never assumed: never asked is no, and a withdrawal counts from its moment.
    """
    if kind.audience == Audience.STAFF:
        if not (facts.active_staff if facts else _active_staff(address)):
            return "it is not the address of an active member of staff"
        return None
    if customer is None or not (
        facts.theirs if facts else customer.emails.filter(address=address).exists()
    ):
        return "it is not the address of the customer it is for"
    if kind.consent is not None and not customer.has_consent(kind.consent):
        change = customer.consent(kind.consent)
        label = ConsentKind(kind.consent).label.lower()
        if change is None:
            return f"the customer never agreed to {label}"
        return f"the customer withdrew their consent to {label} on {_day(change.at, customer)}"
    if kind.opt_out == OptOut.UPDATES and customer.updates_stopped_at is not None:
        stopped = _day(customer.updates_stopped_at, customer)
        return f"the customer stopped automatic updates on {stopped}"
    return None


def _with_reason(
    kind: EmailKind,
    text: str,
    ticket: Ticket | None,
    customer: Customer | None,
    why: Mapping[str, object],
    stop: str,
) -> str:
    """The text, then why they get it (always true), then (to a customer) where their portal is
    and how to stop it.

    The reason line may name the ticket ({subject}, quoted; {reference}; {team}) and, for mail
    sent by consent, {agreed}: the day the consent in force was given.
    """
    context: dict[str, object] = {}
    if ticket is not None:
        context |= {
            "subject": f"“{ticket.subject}”",
            "reference": ticket.reference,
            "team": ticket.team.name,
        }
    if kind.consent is not None and customer is not None:
        consent = customer.consent(kind.consent)
        assert consent is not None  # withheld() sends nothing by consent without one
        context["agreed"] = _day(consent.at, customer)
    context |= why
    paragraphs = [text.rstrip(), kind.words()[kind.reason].format_map(context)]
    if kind.audience == Audience.CUSTOMER:
        portal = f"{settings.SITE_URL.rstrip('/')}{reverse('portal:sign_in')}"
        paragraphs.append(unsubscribe.wording()["portal"].format(portal=portal))
    if stop:
        paragraphs.append(unsubscribe.wording()["stop"][kind.opt_out.value].format(link=stop))
    return "\n\n".join(paragraphs)


def _day(at: datetime, customer: Customer) -> str:
    """'3 December 2026', in the customer's time zone."""
    day = at.astimezone(customer.zone())
    return f"{day.day} {day:%B %Y}"


def _record_held_back(
    ticket: Ticket | None, kind: EmailKind, address: str, reason: str, now: datetime
) -> None:
    """Write on the ticket what was held back and why: nothing is held back silently."""
    what = f"{kind.label.lower()} to {address} held back: {reason}"
    if ticket is None:
        log.info("automatic email %s", what)
        return
    log.debug("automatic email on %s: %s", ticket.reference, what)
    actions.record_event(ticket, None, "email held back", note=what, at=now)


def create_automatic(
    kind: EmailKind,
    *,
    ticket: Ticket | None,
    to_address: str,
    subject: str,
    text: str,
    at: datetime,
    unsubscribe_url: str = "",
    theirs: bool | None = None,
    keep_on_ticket: bool = False,
    answers: str | None = None,
) -> OutboundEmail:
    """The automatic email's row, queued to send after the commit; no checks, no caps.

    Callers are `queue_automatic` and the digest, which check first. `theirs` says whether the
    address is one of the ticket's customer's, when the caller knows; `keep_on_ticket` and
    `answers` are as for `queue_automatic`.
    """
    address, now = to_address, at
    if theirs is None:
        theirs = ticket is not None and _is_customer_address(ticket, address)
    if ticket is not None and theirs:
        in_reply_to, references = _thread(ticket) if answers is None else _answering(answers)
        from_header = compose.format_address(
            settings.HEARD_SUPPORT_NAME, settings.HEARD_SUPPORT_ADDRESS
        )
        reply_to = signing.reply_address(ticket.pk)
        message_id = signing.new_message_id(ticket.pk)
        subject = compose.thread_subject(subject, ticket.reference, reply=kind.answers)
    else:
        in_reply_to, references, reply_to = "", [], ""
        message_id = signing.new_message_id(None)  # unsigned: a reply threads nowhere
        if kind.audience == Audience.CUSTOMER:  # a reply to it opens a request, as any email
            from_header = compose.format_address(
                settings.HEARD_SUPPORT_NAME, settings.HEARD_SUPPORT_ADDRESS
            )
        else:
            from_header = settings.DEFAULT_FROM_EMAIL
        reference = ticket.reference if ticket is not None else ""
        subject = compose.thread_subject(subject, reference, reply=False)
    kept = None
    if keep_on_ticket and ticket is not None:  # what the customer was told, on their ticket
        kept = actions.record_system_message(ticket, text, at=now)
    email = OutboundEmail.objects.create(
        ticket=ticket,
        message=kept,
        kind=kind.code,
        from_header=from_header,
        to_address=address,
        reply_to=reply_to,
        subject=subject,
        header_message_id=message_id,
        in_reply_to=in_reply_to,
        references=" ".join(references),
        text=text,
        html=compose.text_to_html(text),
        unsubscribe_url=unsubscribe_url,
        created_at=now,
    )
    _enqueue_send(email)
    return email


def _enqueue_send(email: OutboundEmail) -> None:
    """Send it once the transaction commits. Its job usually runs right then in this thread
    (filing runs what it queues inline): it takes the row as written here instead of reading
    it back. Only a committed row is handed over, and only for the moment its job is queued."""
    from heard.mail.tasks import send_email  # tasks import this module

    transaction.on_commit(lambda: _committed_here().__setitem__(email.pk, email))
    enqueue(send_email, email.pk)
    transaction.on_commit(lambda: _committed_here().pop(email.pk, None))


_local = threading.local()


def _committed_here() -> dict[int, OutboundEmail]:
    """Rows this thread has just committed and is about to send."""
    if not hasattr(_local, "committed"):
        _local.committed = {}
    return _local.committed  # type: ignore[no-any-return]


def _thread(ticket: Ticket) -> tuple[str, list[str]]:
    """(In-Reply-To, References) for the next email to the customer on this ticket.

    In-Reply-To names the customer's latest email, else our latest email to them; References
    lists the conversation's emails both ways, oldest first.
    """
    customer_addresses = [e.address for e in ticket.customer.emails.all()]
    theirs = list(
        RawEmail.objects.filter(message__ticket=ticket, message__direction=Direction.CUSTOMER)
        .exclude(header_message_id="")
        .values_list("message__created_at", "header_message_id")
    )
    ours = list(
        OutboundEmail.objects.filter(ticket=ticket, to_address__in=customer_addresses)
        .exclude(delivery=Delivery.FAILED)
        .values_list("created_at", "header_message_id")
    )
    theirs = [(at, mid.strip("<> ")) for at, mid in theirs]
    parent = max(theirs or ours, default=None, key=lambda row: row[0])
    in_reply_to = parent[1] if parent and compose.is_message_id(parent[1]) else ""
    ordered = [mid for _, mid in sorted(theirs + ours, key=lambda row: row[0])]
    return in_reply_to, compose.references(ordered)


def _answering(message_id: str) -> tuple[str, list[str]]:
    """(In-Reply-To, References) for the first email to a customer on a ticket their email
    `message_id` just opened: the conversation is that email alone."""
    message_id = message_id.strip("<> ")
    in_reply_to = message_id if compose.is_message_id(message_id) else ""
    return in_reply_to, compose.references([message_id] if message_id else [])


def _is_customer_address(ticket: Ticket, address: str) -> bool:
    return any(e.address == address for e in ticket.customer.emails.all())


# --- loop guard and caps ---------------------------------------------------------------------


def refusal(address: str, facts: Recipient | None = None) -> str | None:
    """Why automatic mail must never go to this address, or None when it may (from `facts`
    when read already, else a query for each check)."""
    local, _, host = address.rpartition("@")
    if not local or not host:
        return "it is not an email address"
    support_local, _, support_host = settings.HEARD_SUPPORT_ADDRESS.partition("@")
    if host == support_host and (local == support_local or local.startswith(support_local + "+")):
        return "it is Heard's own support address"
    if facts.team_address if facts else Team.objects.filter(email__iexact=address).exists():
        return "it is a team's address, which opens tickets"
    if is_system_address(address):
        return "it is a machine's mailbox"
    domain = signing.domain().lower()
    ours = host == domain or host.endswith("." + domain)
    if ours and not (facts.active_staff if facts else _active_staff(address)):
        return f"it is on our own domain ({domain})"
    if facts.bouncing if facts else _bouncing(address):
        return "it bounced before"
    return None


def over_staff_limit(address: str, now: datetime) -> str | None:
    """Why one more notice to this member of staff must wait for the digest, or None.

    Only notices sent one by one count, over a sliding hour; digests have their own interval.
    """
    limit = settings.HEARD_STAFF_NOTICES_PER_HOUR
    count = OutboundEmail.objects.filter(
        to_address=address,
        kind__in=kinds.capped(Caps.STAFF),
        created_at__gt=now - timedelta(hours=1),
    ).count()
    if count >= limit:
        return f"{count} notices to this address in the last hour (the limit is {limit})"
    return None


def over_cap(address: str, now: datetime, facts: Recipient | None = None) -> str | None:
    """Why one more automatic email to this address is too many, or None while under the caps.

    Every kind with the customer caps counts (acknowledgements, updates, surveys, follow-ups,
    greetings), over sliding windows of the last hour and the last 24 hours; replies agents
    write never count, nor what the customer asked for (a sign-in link).
    """
    caps = {
        "hour": (timedelta(hours=1), settings.HEARD_AUTOMAIL_PER_HOUR),
        "24 hours": (timedelta(hours=24), settings.HEARD_AUTOMAIL_PER_DAY),
    }
    if facts is not None:
        counts = [facts.sent_last_hour, facts.sent_last_day]
    else:
        sent = OutboundEmail.objects.filter(
            to_address=address, kind__in=kinds.capped(Caps.CUSTOMER)
        )
        counts = list(
            sent.aggregate(  # both windows in one query
                **{
                    f"window{i}": Count("pk", filter=Q(created_at__gt=now - window))
                    for i, (window, _) in enumerate(caps.values())
                }
            ).values()
        )
    for (name, (_, cap)), count in zip(caps.items(), counts, strict=True):
        if count >= cap:
            return f"{count} automatic emails to this address in the last {name} (the cap is {cap})"
    return None


def _bouncing(address: str) -> bool:
    return CustomerEmail.objects.filter(address=address, bouncing=True).exists()


def _active_staff(address: str) -> bool:
    return get_user_model().objects.filter(email__iexact=address, is_active=True).exists()


def lock_recipient(address: str) -> None:
    """Serialise cap checks for one address until the transaction ends (PostgreSQL).

    SQLite needs no lock: it lets one transaction write at a time.
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"heard.mail.cap:{address}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], signed=True)]
        )


# --- sending ---------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: doubling, capped."""
    seconds = settings.HEARD_MAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)


def send(outbound_id: int, now: datetime | None = None) -> bool:
    """Send one email if it is still waiting and due; True if the mail server took it."""
    now = now or timezone.now()
    if not _claim(outbound_id, now):
        return False
    return _deliver(outbound_id, now)


def send_due(now: datetime | None = None, batch: int = SEND_BATCH) -> int:
    """Send every waiting email whose time has come, a batch at a time; returns how many went.

    Retries are due at their `next_attempt_at`; a queued email only after QUEUED_GRACE, so this
    does not race the job queued with it. Safe to run twice at once: each row is claimed by a
    conditional update, and on PostgreSQL a second pass skips the rows the first has locked.
    """
    now = now or timezone.now()
    sent = 0
    while claimed := _claim_due(now, batch):
        sent += sum(_deliver(pk, now) for pk in claimed)
    return sent


def _claim(pk: int, now: datetime) -> bool:
    """Take one due email for this attempt: counts it and sets a lease, or False if not ours.
    Due: still pending, and its next attempt unset or come.

    A conditional update written out as SQL: every email sent runs it, and built by the ORM it
    costs ten times the CPU of running it. Only the table name is put into the SQL; every value
    is a parameter."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM.format(table=_tables()["sent"], pending=", ".join(["%s"] * len(_PENDING))),
            [adapt(now + SEND_LEASE), pk, *(str(d) for d in _PENDING), adapt(now)],
        )
        return cursor.rowcount == 1


_CLAIM = (
    "UPDATE {table} SET attempts = attempts + 1, next_attempt_at = %s WHERE id = %s"
    " AND delivery IN ({pending}) AND (next_attempt_at IS NULL OR next_attempt_at <= %s)"
)


def _claim_due(now: datetime, batch: int) -> list[int]:
    due = OutboundEmail.objects.filter(delivery__in=_PENDING).filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - QUEUED_GRACE)
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidates = list(due.order_by("pk").values_list("pk", flat=True)[:batch])
        return [pk for pk in candidates if _claim(pk, now)]


def _deliver(pk: int, now: datetime) -> bool:
    """Hand a claimed email to the mail server and record what happened (its ticket is read
    only if it fails)."""
    email = _committed_here().pop(pk, None)
    if email is None:
        email = OutboundEmail.objects.get(pk=pk)
    else:  # as `_claim` left the row
        email.attempts, email.next_attempt_at = email.attempts + 1, now + SEND_LEASE
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT
    try:
        message = build_email(email, at=now)
        message.connection = get_connection(timeout=timeout)
        message.send()
    except Exception as error:  # any failure is one failed attempt, never a lost email
        expected = isinstance(error, smtplib.SMTPException | OSError)  # the server, not a bug
        log.warning("email %s to %s failed: %r", pk, email.to_address, error, exc_info=not expected)
        _record_failure(email, error, now)
        return False
    OutboundEmail.objects.filter(pk=pk).update(
        delivery=Delivery.SENT, sent_at=now, next_attempt_at=None, last_error=""
    )
    return True


def is_permanent(error: Exception) -> bool:
    """A refusal that trying again cannot fix: a 5xx for the message or its recipient, or an
    email that cannot be built (a malformed address or header). Our own login or sender being
    refused is a configuration problem an operator fixes, so those are retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, ValueError | LookupError)  # LookupError: a kind nobody declares


def _record_failure(email: OutboundEmail, error: Exception, now: datetime) -> None:
    email.last_error = f"{type(error).__name__}: {error}".strip()[:2000]
    if email.attempts >= settings.HEARD_MAIL_ATTEMPTS or is_permanent(error):
        email.delivery, email.next_attempt_at = Delivery.FAILED, None
    else:
        email.delivery, email.next_attempt_at = Delivery.RETRYING, now + retry_delay(email.attempts)
    with transaction.atomic():
        email.save(update_fields=["delivery", "next_attempt_at", "last_error"])
        if email.delivery == Delivery.FAILED:
            _report_failure(email, now)


def _report_failure(email: OutboundEmail, now: datetime) -> None:
    """A failed email is written on its ticket and told to whoever looks after the ticket."""
    ticket = email.ticket
    if ticket is None:
        log.error("email %s to %s failed: %s", email.pk, email.to_address, email.last_error)
        return
    what = f"email to {email.to_address} failed: {email.last_error}"
    actions.record_event(ticket, None, "email failed", note=what, at=now)
    recipient = ticket.assignee.user if ticket.assignee is not None else ticket.team.lead
    if recipient is not None:
        actions.notify([recipient.pk], ticket, f"{ticket.reference}: {what}", at=now)
